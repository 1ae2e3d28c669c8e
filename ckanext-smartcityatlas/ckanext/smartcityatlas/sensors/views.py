# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sensors over HTTP: the sensor layer ``/atlas/sensoren.geojson`` for
the map (cached per parameters, language and permission labels),
``/atlas/sensoren``, the same values as an HTML table that needs no
JavaScript (the layer's accessible alternative), and the GeoJSON of one
sensor table ``/sensoren/<id>.geojson``."""
from __future__ import annotations

import datetime
import gzip
import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request

from ckanext.smartcityatlas.common.language import ui_language
from ckanext.smartcityatlas.common.caller import caller_context, permission_labels
from ckanext.smartcityatlas.common import response_cache
from ckanext.smartcityatlas.common.input_schema import validate
from ckanext.smartcityatlas.sensors import phenomena, schema, settings
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_sensor_layer", __name__))
table_blueprint = register.blueprint(Blueprint("sca_sensors", __name__))
# part of every cache key: bump when the features change shape
FORMAT_VERSION = 2  # 2: age and state of each value
PARAMS = ("phenomenon", "sensor_id", "hours")


def _params() -> dict:
    return {k: request.args.get(k) for k in PARAMS if request.args.get(k) not in (None, "")}


def _error(status: int, message) -> Response:
    return Response(json.dumps({"error": message}, ensure_ascii=False), status=status,
                    mimetype="application/json")


@blueprint.route("/atlas/sensoren.geojson")
def sensor_layer_geojson():
    context = caller_context()
    params = _params()
    try:
        params = validate(schema.sca_sensor_layer(), params, context)
        tk.check_access("sca_sensor_layer", context, params)
    except tk.ValidationError as e:
        return _error(400, e.error_dict)
    except tk.NotAuthorized:
        return _error(403, tk._("Not authorised to see the sensor data."))
    labels = permission_labels(context)
    # DataStore upserts do not touch the index: entries expire after the TTL
    key = response_cache.key("sensor-layer", params, labels, ui_language(), settings.layer_max_features(),
                             FORMAT_VERSION)

    def build() -> bytes:
        collection = tk.get_action("sca_sensor_layer")(dict(context), dict(params))
        body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
        return gzip.compress(body, compresslevel=6, mtime=0)

    body = response_cache.get_or_build(key, build, settings.layer_cache_seconds())
    headers = {"Vary": "Accept-Encoding, Cookie, Authorization"}
    if "gzip" in (request.headers.get("Accept-Encoding") or ""):
        headers["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    response = Response(body, mimetype="application/geo+json", headers=headers)
    if context["auth_user_obj"] is not None:
        request.environ["__no_cache__"] = True
    return response


def window_label(start: str | None, end: str | None) -> str:
    """"2024-10-27T23:00:00+01:00", "…T00:00:00+01:00" → "27.10.2024, 23:00–00:00"
    (English "Oct 27, 2024, 23:00–00:00"): the table's local time, as the page
    language writes dates."""
    from babel.dates import format_date, format_time

    try:
        first, last = datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end)
    except (TypeError, ValueError):
        return f"{start or ''}–{end or ''}"
    lang = ui_language()
    return (f"{format_date(first, 'medium', locale=lang)}, {format_time(first, 'HH:mm', locale=lang)}"
            f"–{format_time(last, 'HH:mm', locale=lang)}")


@blueprint.route("/atlas/sensoren")
def sensor_table():
    context = caller_context()
    params = _params()
    params["hours"] = 0  # the table needs no series
    try:
        collection = tk.get_action("sca_sensor_layer")(dict(context), params)
        error = None
    except tk.ValidationError as e:
        collection, error = None, e.error_dict
    groups = []
    if collection:
        for p in collection["phenomena"]:
            if p["sensors"] is None:  # left out by the phenomenon filter
                continue
            rows = [f["properties"] for f in collection["features"] if f["properties"]["phenomenon"] == p["id"]]
            for row in rows:
                row["window_label"] = window_label(row["window_start"], row["window_end"])
                row["age_label"] = age_label(row.get("age_seconds"))
                row["state_label"] = state_labels().get(row.get("state"), "")
            groups.append({**p, "rows": rows})
    choices = [{"id": pid, "label": ph.title_en if ui_language() == "en" else ph.title_de}
               for pid, ph in phenomena.phenomena().items()]
    response = tk.render("atlas/sensors.html", extra_vars={
        "groups": groups, "choices": choices, "selected": request.args.get("phenomenon") or "",
        "error": error, "truncated": bool(collection and collection.get("truncated")),
        "source_labels": source_labels(), "stale_hours": sca_number(settings.stale_after_seconds() / 3600),
        "inactive_days": sca_number(settings.inactive_after_seconds() / 86400)})
    return Response(response, status=400 if error else 200)


def age_label(seconds) -> str:
    """How old a value is, in the page language ("vor 3 Stunden", "3 hours ago")."""
    from babel.dates import format_timedelta

    if seconds is None:
        return ""
    return format_timedelta(datetime.timedelta(seconds=-int(seconds)), add_direction=True, threshold=1.0,
                            locale=ui_language())


def state_labels() -> dict[str, str]:
    return {"live": tk._("current"), "stale": tk._("out of date"), "inactive": tk._("sensor inactive")}


def source_labels() -> dict[str, str]:
    return {"sca_opensensemap": "openSenseMap", "sca_sensorthings": "OGC SensorThings"}


@register.helper
def sca_number(value, digits: int = 1) -> str:
    """A measured value in the page's language (German: decimal comma)."""
    from babel.numbers import format_decimal

    if value is None:
        return ""
    return format_decimal(round(float(value), digits), format="#,##0." + "#" * digits, locale=ui_language())


@register.helper
def sca_percent(value) -> str:
    from babel.numbers import format_percent

    return "" if value is None else format_percent(float(value), locale=ui_language())


@table_blueprint.route("/sensoren/<resource_id>.geojson")
def sensor_geojson(resource_id):

    try:
        collection = tk.get_action("sca_sensor_geojson")(
            caller_context(), {"resource_id": resource_id, "day": request.args.get("day")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        # the same answer for "private" and "missing": nothing to learn
        return Response(json.dumps({"error": tk._("Not found")}), status=404, mimetype="application/json")
    except tk.ValidationError as exc:
        return Response(json.dumps({"error": exc.error_dict}, ensure_ascii=False), status=400,
                        mimetype="application/json")
    return Response(json.dumps(collection, ensure_ascii=False, default=str), mimetype="application/geo+json")
