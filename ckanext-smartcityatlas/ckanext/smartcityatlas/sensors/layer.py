# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas' sensor layer: per sensor location the latest hourly aggregate
and its last hours, from every sensor harvester (``sca_sensor_layer``).

Source-agnostic: the datasets are found through ``sca_sensor_source`` in
the index, their phenomenon is their tag of ``phenomena.yaml`` and their
values are the "hourly per sensor" DataStore table (``publish.TABLES``).
Everything is read as the caller: ``package_search`` only finds datasets
the caller may read and ``datastore_search`` checks the table again, so a
private dataset never shows. Two DataStore searches per table (its newest
window, then the rows of the last hours of all its sensors), never one per
sensor.
"""
from __future__ import annotations

import datetime
import zoneinfo

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.language import ui_language
from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.sensors import SENSOR_SOURCE_TYPES, _source_type
from ckanext.smartcityatlas.sensors import phenomena as phen
from ckanext.smartcityatlas.sensors import publish, scales, schema, settings
from ckanext.smartcityatlas.capability import Registry

register = Registry()

TABLE_KEY = "hourly-sensor"
# a sensor whose newest value is older than this (before its table's newest
# window) is no "latest value" any more and is left out
STALE_HOURS = 24
PAGE = 10000
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ROW_FIELDS = ["sensor_id", "box_id", "district", "lon", "lat", "window_start_utc", "window_start", "window_end",
              "count", "mean", "completeness"]


@register.auth("sca_sensor_layer")
@tk.auth_allow_anonymous_access
def sca_sensor_layer_auth(context, data_dict):
    """Anyone, like package_search: the layer holds only the sensor datasets the caller may read
    (package_search, datastore_search)."""
    return {"success": True}


def _table_id(pkg: dict) -> str | None:
    wanted = resource_id(pkg["id"], TABLE_KEY)
    name = publish.TABLES[TABLE_KEY][2]
    for res in pkg.get("resources") or []:
        if res.get("id") == wanted:
            return wanted
    # a harvester that keys its resources differently: the table by its name
    for res in pkg.get("resources") or []:
        if res.get("name") == name and res.get("url_type") == "datastore":
            return res["id"]
    return None


def _dataset_url(name: str) -> str:
    try:
        return tk.url_for("dataset.read", id=name, qualified=True)
    except RuntimeError:  # outside a request (CLI, jobs)
        return f"{tk.config.get('ckan.site_url', '').rstrip('/')}/dataset/{name}"


def sensor_datasets(context: dict) -> list[dict]:
    """The sensor datasets the caller may read: dataset, phenomenon, table."""
    known = phen.phenomena()
    fq = "+sca_sensor_source:*"
    result = tk.get_action("package_search")(dict(context), {
        "fq": fq, "rows": 1000, "include_private": True, "sort": "name asc"})
    out = []
    for pkg in result["results"]:
        tags = [t["name"] for t in pkg.get("tags") or []]
        phen_id = next((t for t in tags if t in known), None)
        table = _table_id(pkg)
        if phen_id is None or table is None:
            continue
        source_id = pkg.get("sca_harvest_source") or pkg.get("harvest_source_id")
        source_type = _source_type(source_id) if source_id else None
        if source_type not in SENSOR_SOURCE_TYPES:
            continue
        out.append({"package": pkg, "phenomenon": phen_id, "table": table, "source_type": source_type})
    return out


def _utc(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return datetime.datetime.fromisoformat(str(value).replace(" ", "T")[:19])


def recent_rows(context: dict, table: str, hours: int, sensor_id: str | None) -> tuple[datetime.datetime | None, list]:
    """The table's newest window (UTC) and its rows of the hours before it;
    NotAuthorized/ObjectNotFound from the DataStore pass through."""
    search = tk.get_action("datastore_search")
    head = search(dict(context), {"resource_id": table, "limit": 1, "sort": "window_start_utc desc",
                                  "fields": ["window_start_utc"], "include_total": False})
    if not head["records"]:
        return None, []
    newest = _utc(head["records"][0]["window_start_utc"])
    since = newest - datetime.timedelta(hours=max(hours, STALE_HOURS) - 1)
    # "day" is indexed: the local days the period touches
    first = since.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).date()
    last = newest.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).date()
    days = [(first + datetime.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    filters = {"day": days}
    if sensor_id:
        filters["sensor_id"] = sensor_id
    rows, offset = [], 0
    while True:
        page = search(dict(context), {"resource_id": table, "filters": filters, "fields": ROW_FIELDS,
                                      "sort": "sensor_id, window_start_utc", "limit": PAGE, "offset": offset,
                                      "include_total": False})
        rows.extend(r for r in page["records"] if _utc(r["window_start_utc"]) >= since)
        if len(page["records"]) < PAGE:
            break
        offset += PAGE
    return newest, rows


def _features(entry: dict, newest, rows: list, hours: int, lang: str) -> list[dict]:
    pkg, phen_id = entry["package"], entry["phenomenon"]
    p = phen.phenomena()[phen_id]
    title = (pkg.get("title_en") if lang == "en" else None) or pkg.get("title") or pkg["name"]
    url = _dataset_url(pkg["name"])  # once per dataset: url_for is not free
    series_since = newest - datetime.timedelta(hours=hours - 1)
    stale_since = newest - datetime.timedelta(hours=STALE_HOURS - 1)
    by_sensor: dict[str, list] = {}
    for row in rows:
        by_sensor.setdefault(row["sensor_id"], []).append(row)
    features = []
    for sensor_id, sensor_rows in by_sensor.items():
        valid = [r for r in sensor_rows if r.get("mean") is not None and r.get("count")]
        latest = valid[-1] if valid else None  # rows are sorted by window
        if latest is None or _utc(latest["window_start_utc"]) < stale_since \
                or latest.get("lon") is None or latest.get("lat") is None:
            continue
        props = {
            "sensor_id": sensor_id, "box_id": latest.get("box_id"), "district": latest.get("district"),
            "phenomenon": phen_id, "label": p.title_en if lang == "en" else p.title_de, "unit": p.unit,
            "mean": latest["mean"], "count": latest["count"], "completeness": latest.get("completeness"),
            "window_start": latest["window_start"], "window_end": latest["window_end"],
            "class": scales.classify(phen_id, latest["mean"]), "source_type": entry["source_type"],
            "dataset_name": pkg["name"], "dataset_title": title, "dataset_url": url,
        }
        if hours:
            means = {_utc(r["window_start_utc"]): r.get("mean") for r in sensor_rows if r.get("count")}
            props["series"] = [means.get(series_since + datetime.timedelta(hours=i)) for i in range(hours)]
            props["series_start"] = series_since.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).isoformat()
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Point", "coordinates": [latest["lon"], latest["lat"]]}})
    return features


@register.action
@tk.side_effect_free
@validated(schema.sca_sensor_layer)
def sca_sensor_layer(context, data_dict):
    """The sensor layer as a GeoJSON FeatureCollection: per sensor location
    the latest hourly mean (count, completeness, window), the phenomenon
    and the dataset; ``series``: the means of the last ``hours`` (0 to 48,
    default 24) hourly windows up to the table's newest one, null where
    none. Optional filters ``phenomenon`` (an id of phenomena.yaml) and
    ``sensor_id``. ``phenomena`` lists every phenomenon of a readable
    sensor dataset with its legend (``sensors`` is null where the
    ``phenomenon`` filter left it out); at most ``layer_max_features``
    features (then ``truncated``)."""
    tk.check_access("sca_sensor_layer", context, data_dict)
    phenomenon, sensor_id, hours = data_dict.get("phenomenon"), data_dict.get("sensor_id"), data_dict["hours"]
    lang = ui_language()
    limit = settings.layer_max_features()
    features, found, truncated = [], {}, False
    for entry in sensor_datasets(context):
        # every readable phenomenon is listed (one Solr query); values only of the chosen one
        if phenomenon and entry["phenomenon"] != phenomenon:
            found.setdefault(entry["phenomenon"], {"newest": None, "sensors": None})
            continue
        try:
            newest, rows = recent_rows(context, entry["table"], hours, sensor_id)
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue  # a table the caller may not read, or not created yet
        info = found.setdefault(entry["phenomenon"], {"newest": None, "sensors": 0})
        if newest is None:
            continue
        info["newest"] = max(filter(None, (info["newest"], newest)))
        batch = _features(entry, newest, rows, hours, lang)
        info["sensors"] += len(batch)
        features.extend(batch)
    features.sort(key=lambda f: (list(phen.phenomena()).index(f["properties"]["phenomenon"]),
                                 f["properties"]["dataset_name"], f["properties"]["sensor_id"]))
    if len(features) > limit:
        features, truncated = features[:limit], True
    phenomena = []
    for phen_id, p in phen.phenomena().items():
        if phen_id in found:
            newest = found[phen_id]["newest"]
            phenomena.append({
                "id": phen_id, "label": p.title_en if lang == "en" else p.title_de, "unit": p.unit,
                "sensors": found[phen_id]["sensors"], "legend": scales.legend(phen_id, lang),
                "newest_window_start": newest.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).isoformat()
                if newest else None})
    out = {"type": "FeatureCollection", "features": features, "phenomena": phenomena, "hours": hours}
    if truncated:
        out["truncated"] = True
    return out
