# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_environment_show``: air quality and noise per district and
city-wide against limit and guideline values (figures.py), from the
hourly district aggregates of the sensor datasets the caller may read.

Permissions: the datasets are found with the caller's ``package_search``
and each table is checked with ``datastore_search``'s own auth
(``sensors/layer.py``), so a private dataset never counts for a caller who
may not read it. Cache: the figures of a period are kept in Redis under
the exact set of tables they were computed from (so callers who may read
the same tables share them, nobody else), the index state and the sensor
aggregates' version, which every DataStore upsert of new aggregates
changes (``sensors/publish.py``): new values are never hidden by the cache.
"""
from __future__ import annotations

import datetime
import json

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config, response_cache
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.environment import figures, query, schema, settings
from ckanext.smartcityatlas.sensors import layer, publish

register = Registry()

DISTRICT_TABLE = "hourly-district"
# part of every cache key: bump when the figures change shape
FORMAT_VERSION = 2
NOTICE = ("Indicative values of citizen sensors: not calibrated, not official measurements; no legal "
          "conclusion can be drawn from them (official air quality and noise figures: the Land's "
          "measuring network and the noise maps under Directive 2002/49/EC).")


@register.auth("sca_environment_show")
@tk.auth_allow_anonymous_access
def sca_environment_show_auth(context, data_dict):
    """Anyone: the figures count only the sensor datasets the caller may read (package_search,
    datastore_search)."""
    return {"success": True}


def sources(context: dict, phenomena) -> list[dict]:
    """The readable sensor datasets of these phenomena with their hourly district table."""
    entries = []
    for entry in layer.sensor_datasets(context):
        table = layer.table_id(entry["package"], DISTRICT_TABLE)
        if entry["phenomenon"] in phenomena and table:
            entries.append({**entry, "table": table})
    return layer.readable_tables(context, entries)


def period(data_dict: dict, newest: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    """start … end of the request: both given, or a calendar year (default:
    the year of the newest values; the current year up to today)."""
    start, end = data_dict.get("start"), data_dict.get("end")
    if (start is None) != (end is None):
        missing = "end" if end is None else "start"
        raise tk.ValidationError({missing: [tk._("Give start and end together, or a year.")]})
    if start is not None:
        if end < start:
            raise tk.ValidationError({"end": [tk._("The end must not be before the start.")]})
        if (end - start).days + 1 > schema.MAX_DAYS:
            raise tk.ValidationError({"end": [tk._("At most {n} days.").format(n=schema.MAX_DAYS)]})
        return start, end
    today = datetime.date.today()
    year = data_dict.get("year") or (newest or today).year
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), max(today, newest or today))


def _ranked(areas: dict, key: str) -> list[dict]:
    """Districts (not the city) by a figure, the highest first, those without it last."""
    rows = [{"district": name, **values} for name, values in areas.items() if name is not query.CITY]
    return sorted(rows, key=lambda r: (r.get(key) is None, -(r.get(key) or 0), r["district"]))


def compute(tables: dict[str, list[str]], start: datetime.date, end: datetime.date,
            district: str | None = None) -> dict:
    """The figures of every area for each phenomenon, with the daily,
    weekly and monthly series of the city and ``district`` (what the cache keeps)."""
    with_series = {query.CITY, district}
    out = {}
    for phen_id, phen_tables in tables.items():
        if phen_id == figures.NOISE:
            rows = query.hours_of_day(phen_tables, start, end)
            areas = {area: figures.noise(hours, start, end) for area, hours in rows.items()}
            out[phen_id] = {"city": areas.get(query.CITY), "districts": _ranked(areas, "lden")}
        else:
            areas = query.particulate_areas(phen_tables, start, end, phen_id)
            if areas is None:  # no complete daily summary: every area's days
                rows = query.daily(phen_tables, start, end)
                areas = {area: figures.particulate(phen_id, days, start, end) for area, days in rows.items()}
            else:  # the figures summed by the database; the days only of the areas with series
                rows = query.daily(phen_tables, start, end, areas=with_series)
            for area in with_series & areas.keys():
                days = rows[area]
                areas[area].update(daily=figures.daily_series(days, start, end),
                                   weekly=figures.trend(days, "week"), monthly=figures.trend(days, "month"))
            out[phen_id] = {"city": areas.get(query.CITY), "districts": _ranked(areas, "mean")}
    return out


def cache_key(tables: dict[str, list[str]], start: datetime.date, end: datetime.date,
              district: str | None = None) -> str:
    """The figures' key: the period and district, the exact tables (who may
    read them is in there), the index state and the aggregates' version."""
    return response_cache.key("environment", {"start": start, "end": end, "district": district}, None,
                              json.dumps(tables, sort_keys=True), publish.aggregates_version(), FORMAT_VERSION)


def _cached(tables: dict[str, list[str]], start: datetime.date, end: datetime.date,
            district: str | None = None) -> dict:
    body = response_cache.get_or_build(
        cache_key(tables, start, end, district),
        lambda: json.dumps(compute(tables, start, end, district), default=str).encode("utf-8"),
        settings.cache_seconds())
    return json.loads(body)


def _tables(entries: list[dict], wanted) -> dict[str, list[str]]:
    """Per phenomenon (that has any) its readable district tables."""
    tables = {p: sorted(e["table"] for e in entries if e["phenomenon"] == p) for p in wanted}
    return {p: t for p, t in tables.items() if t}


@register.periodic_task("warm_environment_cache")
def warm_environment_cache() -> bool:
    """Compute the dashboard's default figures for anonymous visitors (the
    year of the newest values) after new aggregates, ahead of the first
    visitor; True when they were computed."""
    if settings.cache_seconds() <= 0:
        return False
    entries = sources({"user": "", "auth_user_obj": None}, figures.PHENOMENA)
    tables = _tables(entries, figures.PHENOMENA)
    start, end = period({}, query.newest_day([e["table"] for e in entries]))
    if response_cache.cached(cache_key(tables, start, end)):
        return False
    _cached(tables, start, end)
    return True


def _dataset(entry: dict) -> dict:
    pkg = entry["package"]
    return {"name": pkg["name"], "title": pkg.get("title") or pkg["name"],
            "title_en": pkg.get("title_en") or pkg.get("title") or pkg["name"],
            "phenomenon": entry["phenomenon"], "url": layer.dataset_url(pkg["name"]),
            "demo": settings.is_demo(pkg)}


def _limits() -> dict:
    out = {phen_id: {"eu_daily": lim.eu_daily, "eu_daily_days": lim.eu_daily_days, "eu_annual": lim.eu_annual,
                     "who_daily": lim.who_daily, "who_annual": lim.who_annual, "unit": "µg/m³"}
           for phen_id, lim in figures.PM_LIMITS.items()}
    out[figures.NOISE] = {"who_lden": figures.NOISE_GUIDELINES["lden"],
                          "who_lnight": figures.NOISE_GUIDELINES["lnight"], "unit": "dB(A)"}
    return out


def _only(section: dict, district: str | None) -> dict:
    """One district's figures (with its series) and the ranking without series."""
    rows = [{k: v for k, v in row.items() if k not in ("daily", "weekly", "monthly")}
            for row in section["districts"]]
    chosen = next((r for r in section["districts"] if r["district"] == district), None) if district else None
    city = section["city"]
    return {"city": city, "district": chosen, "districts": rows}


@register.action
@tk.side_effect_free
@validated(schema.sca_environment_show)
def sca_environment_show(context, data_dict):
    """Air quality (PM10, PM2.5) and noise per district and city-wide, against limit and guideline values.

    Per phenomenon ``city`` (all districts), ``district`` (the one asked
    for, else null) and ``districts`` (ranked: PM by the period mean, noise
    by Lden). Particulate matter: the period mean of the daily means,
    exceedance days of the EU daily limit and of the WHO 2021 guideline,
    and the daily means, weekly and monthly means (``daily``, ``weekly``,
    ``monthly`` of city and district); a day counts only when at least 75 %
    of its hours have a value (18 of 24, 18 of 23, 19 of 25; local days,
    Europe/Berlin). Noise: the energetic means per hour of day and Lday,
    Levening, Lnight and Lden (Directive 2002/49/EC). Every figure carries
    its data basis: ``sensors`` (the most that reported on one day),
    ``completeness`` (readings of the expected), ``hours_covered`` of
    ``hours`` and ``hours_share``. ``limits``: the EU limit and WHO
    guideline values; ``datasets``: the DCAT datasets the figures come
    from. Only sensor datasets the caller may read count. The values of
    citizen sensors are indicative, not official measurements (``notice``).
    """
    tk.check_access("sca_environment_show", context, data_dict)
    district = data_dict.get("district")
    if district and city_config.current().district_by_name(district) is None:
        raise tk.ValidationError({"district": [tk._("Unknown district.")]})
    wanted = (data_dict["phenomenon"],) if data_dict.get("phenomenon") else figures.PHENOMENA
    entries = sources(context, wanted)
    start, end = period(data_dict, query.newest_day([e["table"] for e in entries]))
    computed = _cached(_tables(entries, wanted), start, end, district)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(),
                   "days": figures.day_count(start, end), "hours": figures.hours_between(start, end)},
        "district": district,
        "rules": {"day_coverage": figures.DAY_COVERAGE, "time_zone": query.ZONE,
                  "noise_periods": {name: [hours[0], (hours[-1] + 1) % 24] for name, hours in
                                    (("day", list(figures.PERIODS["day"])),
                                     ("evening", list(figures.PERIODS["evening"])),
                                     ("night", list(figures.PERIODS["night"])))}},
        "limits": {p: v for p, v in _limits().items() if p in wanted},
        "phenomena": {p: _only(computed[p], district) if p in computed else None for p in wanted},
        "datasets": [_dataset(e) for e in entries],
        "indicative": True,
        "notice": NOTICE,
    }
