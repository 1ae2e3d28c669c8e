# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas' sensor layer: per sensor location the latest hourly aggregate
and its last hours, from every sensor harvester (``sca_sensor_layer``).

Source-agnostic: the datasets are found through ``sca_sensor_source`` in
the index, their phenomenon is their tag of ``phenomena.yaml`` and their
values are the "hourly per sensor" DataStore table (``publish.TABLES``).
Everything is read as the caller: ``package_search`` only finds datasets
the caller may read and ``datastore_search``'s auth checks each table
again, so a private dataset never shows. All tables in one DataStore query
(``recent.py``: per sensor its latest value and its last hours, aggregated
in the database), never one per table or sensor.
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
from ckanext.smartcityatlas.sensors import publish, recent, scales, schema, settings
from ckanext.smartcityatlas.capability import Registry

register = Registry()

TABLE_KEY = "hourly-sensor"
# a sensor whose newest value is older than this (before its table's newest
# window) is no "latest value" any more and is left out
STALE_HOURS = 24
HOUR = datetime.timedelta(hours=1)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@register.auth("sca_sensor_layer")
@tk.auth_allow_anonymous_access
def sca_sensor_layer_auth(context, data_dict):
    """Anyone, like package_search: the layer holds only the sensor datasets the caller may read
    (package_search, datastore_search)."""
    return {"success": True}


def table_id(pkg: dict, key: str = TABLE_KEY) -> str | None:
    """The DataStore table ``key`` (of ``publish.TABLES``) of a sensor dataset."""
    wanted = resource_id(pkg["id"], key)
    name = publish.TABLES[key][2]
    for res in pkg.get("resources") or []:
        if res.get("id") == wanted:
            return wanted
    # a harvester that keys its resources differently: the table by its name
    for res in pkg.get("resources") or []:
        if res.get("name") == name and res.get("url_type") == "datastore":
            return res["id"]
    return None


def dataset_url(name: str) -> str:
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
        table = table_id(pkg)
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


def readable_tables(context: dict, entries: list[dict]) -> list[dict]:
    """The entries whose table the caller may read (``datastore_search``'s
    own check, on top of package_search's) and that exist."""
    readable = []
    for entry in entries:
        try:
            tk.check_access("datastore_search", dict(context), {"resource_id": entry["table"]})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
        readable.append(entry)
    existing = recent.existing_tables([e["table"] for e in readable])
    return [e for e in readable if e["table"] in existing]


def state_of(age_seconds: float) -> str:
    """live (the value is current), stale (out of date: older than
    ``sensors.stale_after_minutes``) or inactive (the sensor sent nothing
    for ``sensors.inactive_after_hours``), by the age of its newest value."""
    if age_seconds <= settings.stale_after_seconds():
        return "live"
    return "stale" if age_seconds <= settings.inactive_after_seconds() else "inactive"


def _features(entry: dict, table: recent.TableRecent, hours: int, lang: str,
              now: datetime.datetime) -> list[dict]:
    pkg, phen_id, newest = entry["package"], entry["phenomenon"], table.newest
    p = phen.phenomena()[phen_id]
    title = (pkg.get("title_en") if lang == "en" else None) or pkg.get("title") or pkg["name"]
    url = dataset_url(pkg["name"])  # once per dataset: url_for is not free
    series_since = newest - datetime.timedelta(hours=hours - 1)
    stale_since = newest - datetime.timedelta(hours=STALE_HOURS - 1)
    series_start = series_since.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).isoformat()
    features = []
    for sensor_id, (latest, windows) in table.sensors.items():
        if latest is None or _utc(latest["window_start_utc"]) < stale_since \
                or latest.get("lon") is None or latest.get("lat") is None:
            continue
        # the age of the value: from the end of its hour to now
        age = max(0, int((now - _utc(latest["window_start_utc"]) - HOUR).total_seconds()))
        props = {
            "sensor_id": sensor_id, "box_id": latest.get("box_id"), "district": latest.get("district"),
            "phenomenon": phen_id, "label": p.title_en if lang == "en" else p.title_de, "unit": p.unit,
            "mean": latest["mean"], "count": latest["count"], "completeness": latest.get("completeness"),
            "window_start": latest["window_start"], "window_end": latest["window_end"],
            "class": scales.classify(phen_id, latest["mean"]), "source_type": entry["source_type"],
            "age_seconds": age, "state": state_of(age),
            "dataset_name": pkg["name"], "dataset_title": title, "dataset_url": url,
        }
        if hours:
            series = [None] * hours  # oldest first, the newest window last
            for age, mean in windows:
                slot, rest = divmod(age, 3600)
                if not rest and slot < hours:
                    series[hours - 1 - slot] = mean
            props["series"] = series
            props["series_start"] = series_start
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
    none; ``age_seconds`` (from the end of the value's hour to now) and
    ``state``: ``live``, ``stale`` (older than
    ``ckanext.smartcityatlas.sensors.stale_after_minutes``: not a current
    value) or ``inactive`` (older than ``…sensors.inactive_after_hours``).
    Optional filters ``phenomenon`` (an id of phenomena.yaml) and
    ``sensor_id``. ``phenomena`` lists every phenomenon of a readable
    sensor dataset with its legend (``sensors`` is null where the
    ``phenomenon`` filter left it out); at most ``layer_max_features``
    features (then ``truncated``)."""
    tk.check_access("sca_sensor_layer", context, data_dict)
    phenomenon, sensor_id, hours = data_dict.get("phenomenon"), data_dict.get("sensor_id"), data_dict["hours"]
    lang = ui_language()
    limit = settings.layer_max_features()
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    features, found, truncated = [], {}, False
    entries = sensor_datasets(context)
    # every readable phenomenon is listed (one Solr query); values only of the chosen one
    for entry in entries:
        if phenomenon and entry["phenomenon"] != phenomenon:
            found.setdefault(entry["phenomenon"], {"newest": None, "sensors": None})
    chosen = readable_tables(context, [e for e in entries if not phenomenon or e["phenomenon"] == phenomenon])
    # one query for all tables; a sensor's latest value may be up to STALE_HOURS old
    tables = recent.recent([e["table"] for e in chosen], max(hours, STALE_HOURS), sensor_id)
    for entry in chosen:
        table = tables[entry["table"]]
        info = found.setdefault(entry["phenomenon"], {"newest": None, "sensors": 0})
        if table.newest is None:
            continue
        info["newest"] = max(filter(None, (info["newest"], table.newest)))
        batch = _features(entry, table, hours, lang, now)
        info["sensors"] += len(batch)
        info["live"] = info.get("live", 0) + sum(f["properties"]["state"] == "live" for f in batch)
        features.extend(batch)
    order = {phen_id: i for i, phen_id in enumerate(phen.phenomena())}
    features.sort(key=lambda f: (order[f["properties"]["phenomenon"]], f["properties"]["dataset_name"],
                                 f["properties"]["sensor_id"]))
    if len(features) > limit:
        features, truncated = features[:limit], True
    phenomena = []
    for phen_id, p in phen.phenomena().items():
        if phen_id in found:
            newest = found[phen_id]["newest"]
            phenomena.append({
                "id": phen_id, "label": p.title_en if lang == "en" else p.title_de, "unit": p.unit,
                "sensors": found[phen_id]["sensors"], "live": found[phen_id].get("live", 0)
                if found[phen_id]["sensors"] is not None else None, "legend": scales.legend(phen_id, lang),
                "newest_window_start": newest.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN).isoformat()
                if newest else None})
    out = {"type": "FeatureCollection", "features": features, "phenomena": phenomena, "hours": hours,
           # what the map needs to tell the age of each value when it shows it (the answer is cached)
           "generated": now.replace(tzinfo=datetime.timezone.utc).isoformat(),
           "stale_after_seconds": settings.stale_after_seconds(),
           "inactive_after_seconds": settings.inactive_after_seconds()}
    if truncated:
        out["truncated"] = True
    return out
