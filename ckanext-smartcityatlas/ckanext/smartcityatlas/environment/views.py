# SPDX-License-Identifier: AGPL-3.0-or-later
"""The environment dashboard: ``/atlas/umwelt`` (tables that need no
script, charts drawn on the server above them, a GET form for district and
period), ``/atlas/umwelt/embed`` (for other websites: anonymous, no
cookie, ``frame-ancestors`` as the atlas embed) and ``/atlas/umwelt.csv``
(one table of the page as CSV, ``table=<id>``, with the page's parameters)."""
from __future__ import annotations

import datetime
import re

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, make_response, request

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common.language import ui_language
from ckanext.smartcityatlas.environment import charts, tables

register = Registry()

blueprint = register.blueprint(Blueprint("sca_environment", __name__))
PARAMS = ("district", "year", "start", "end")
EMBED_PATH = re.compile(r"^(/[a-z]{2}(_[A-Z]{2})?)?/atlas/umwelt/embed/?$")


def _params() -> dict:
    return {k: request.args.get(k) for k in PARAMS if request.args.get(k) not in (None, "")}


def _figures(embed: bool) -> tuple[dict | None, dict | None]:
    # embedded pages are anonymous, as the atlas embed: a visitor's session
    # must not show private data inside another website
    context = {"user": "", "auth_user_obj": None} if embed else caller_context()
    try:
        return tk.get_action("sca_environment_show")(context, _params()), None
    except tk.ValidationError as e:
        return None, e.error_dict


def _charts(result: dict) -> list:
    """The charts above the tables: daily PM10 means of the chosen area,
    the PM10 ranking and noise by hour of day."""
    out = []
    chosen = "district" if result["district"] else "city"
    area = result["district"] or tk._("Whole city")
    pm10, limits = result["phenomena"].get("pm10"), result["limits"]
    if pm10 and pm10.get(chosen):
        lim = limits["pm10"]
        out.append(charts.bars(
            "sca-env-pm10-daily", tk._("{area}: daily means of PM10").format(area=area),
            tk._("One bar per counted day; lines: EU daily limit {eu} µg/m³, WHO guideline {who} µg/m³. "
                 "The table of monthly means below holds the values.").format(eu=lim["eu_daily"], who=lim["who_daily"]),
            [(d["day"][5:], d["mean"]) for d in pm10[chosen]["daily"]],
            [("eu", tk._("EU daily limit {v}").format(v=lim["eu_daily"]), lim["eu_daily"]),
             ("who", tk._("WHO {v}").format(v=lim["who_daily"]), lim["who_daily"])], "µg/m³"))
    if pm10 and pm10["districts"]:
        lim = limits["pm10"]
        out.append(charts.bars(
            "sca-env-pm10-ranking", tk._("PM10: mean of the daily means per district"),
            tk._("One bar per district; lines: EU annual limit {eu} µg/m³, WHO annual guideline {who} µg/m³. "
                 "The PM10 table below holds the values.").format(eu=lim["eu_annual"], who=lim["who_annual"]),
            [(r["district"], r.get("mean")) for r in pm10["districts"]],
            [("eu", tk._("EU annual limit {v}").format(v=lim["eu_annual"]), lim["eu_annual"]),
             ("who", tk._("WHO {v}").format(v=lim["who_annual"]), lim["who_annual"])], "µg/m³"))
    noise = result["phenomena"].get("noise")
    if noise and noise.get(chosen):
        lim = limits["noise"]
        out.append(charts.bars(
            "sca-env-noise-hours", tk._("{area}: noise by hour of day").format(area=area),
            tk._("One bar per hour of day (energetic mean); line: WHO night guideline {v} dB. "
                 "The table of hours below holds the values.").format(v=lim["who_lnight"]),
            [(f"{h['hour']:02d}", h["level"]) for h in noise[chosen]["by_hour"]],
            [("who", tk._("WHO Lnight {v}").format(v=lim["who_lnight"]), lim["who_lnight"]),
             ("who", tk._("WHO Lden {v}").format(v=lim["who_lden"]), lim["who_lden"])], "dB(A)", floor=20.0))
    return out


def choropleth(result: dict) -> dict | None:
    """The PM10 map: per district its colour class (the sensor layer's
    scale, ``sensors/scales.yaml``) and tooltip text, and the legend."""
    from ckanext.smartcityatlas.sensors import scales
    from ckanext.smartcityatlas.sensors.views import sca_number

    pm10 = result["phenomena"].get("pm10")
    if not pm10 or not pm10["districts"]:
        return None
    legend = scales.legend("pm10", ui_language())
    values = {}
    for row in pm10["districts"]:
        cls = scales.classify("pm10", row.get("mean"))
        if cls is not None:
            values[row["district"]] = {"colour": legend[cls]["colour"],
                                       "text": f"{row['district']}: {sca_number(row['mean'])} µg/m³"}
    return {"values": values, "legend": legend}


def _year_choices(result: dict | None) -> list[int]:
    this_year = datetime.date.today().year
    shown = int(result["period"]["start"][:4]) if result else this_year
    return sorted({*range(this_year - 4, this_year + 1), shown}, reverse=True)


def period_label(period: dict) -> str:
    """"01.01.2024 – 31.12.2024" (English "Jan 1, 2024 – Dec 31, 2024")."""
    from babel.dates import format_date

    lang = ui_language()
    return " – ".join(format_date(datetime.date.fromisoformat(period[k]), "medium", locale=lang)
                      for k in ("start", "end"))


def _render(embed: bool):
    result, error = _figures(embed)
    extra = {"period_label": period_label(result["period"]) if result else "","result": result, "error": error, "embed": embed, "params": _params(),
             "tables": tables.build(result) if result else [], "charts": _charts(result) if result else [],
             "choropleth": choropleth(result) if result else None,
             "districts": [d.name for d in city_config.current().districts], "years": _year_choices(result),
             "query_string": request.query_string.decode("utf-8", "replace"),
             "city_title": city_config.current().settings.get("title", "")}
    response = make_response(tk.render("environment/embed.html" if embed else "environment/index.html",
                                       extra_vars=extra), 400 if error else 200)
    if embed:
        ancestors = tk.config.get("ckanext.smartcityatlas.embed.frame_ancestors") or "'none'"
        response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        response.headers.pop("X-Frame-Options", None)
    return response


@blueprint.route("/atlas/umwelt")
def index():
    return _render(embed=False)


@blueprint.route("/atlas/umwelt/embed")
def embed():
    return _render(embed=True)


@blueprint.route("/atlas/umwelt.csv")
def csv_download():
    # the embed's download links say embed=1: the file holds what the embed shows (anonymous)
    result, error = _figures(embed=bool(request.args.get("embed")))
    wanted = request.args.get("table") or ""
    table = next((t for t in tables.build(result) if t.id == wanted), None) if result else None
    if error or table is None:
        message = tk._("Unknown table; one of the tables of the page (table=pm10, pm25, noise, trend, hours).") \
            if not error else "; ".join(f"{k}: {' '.join(v)}" for k, v in error.items())
        return Response(message, status=400, mimetype="text/plain")
    period = result["period"]
    name = f"umwelt-{wanted}-{period['start']}-{period['end']}.csv"
    return Response(tables.csv_body(table), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
