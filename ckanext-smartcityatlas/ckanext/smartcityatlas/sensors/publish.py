# SPDX-License-Identifier: AGPL-3.0-or-later
"""Aggregates of one phenomenon as DataStore tables, updated by upsert.

Four tables per phenomenon dataset (hourly and daily, per sensor and per
district). A row's key is its sensor (or district) and the UTC start of its
window; ``window_start`` is also given in local time with its offset, so the
two 02:00 hours of the autumn change stay apart. Only rows that differ from
the stored ones are upserted: recomputing a day that did not change writes
nothing (no new ``last_modified``, no new ``metadata_modified``).

What a sensor row publishes about its senseBox: the box id, the district
and the position coarsened to the privacy grid (``privacy.py``); never the
box name or its owner.
"""
from __future__ import annotations

import datetime
import math

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.sensors import aggregate as agg
from ckanext.smartcityatlas.sensors import day_summary, store

WINDOW_FIELDS = [
    {"id": "window_start_utc", "type": "timestamp"},
    {"id": "window_start", "type": "text"},
    {"id": "window_end", "type": "text"},
    {"id": "day", "type": "date"},
]
STAT_FIELDS = [
    {"id": "count", "type": "int"},
    {"id": "mean", "type": "float8"},
    {"id": "min", "type": "float8"},
    {"id": "max", "type": "float8"},
    {"id": "median", "type": "float8"},
    {"id": "p95", "type": "float8"},
    {"id": "completeness", "type": "float8"},
]
SENSOR_FIELDS = [{"id": "sensor_id", "type": "text"}, {"id": "box_id", "type": "text"},
                 {"id": "district", "type": "text"}, {"id": "lon", "type": "float8"},
                 {"id": "lat", "type": "float8"}]
DISTRICT_FIELDS = [{"id": "district", "type": "text"}, {"id": "sensors", "type": "int"}]

# key → (level, resolution, German name, English name)
TABLES = {
    "hourly-sensor": ("sensor", "hourly", "Stundenwerte je Sensor", "Hourly values per sensor"),
    "daily-sensor": ("sensor", "daily", "Tageswerte je Sensor", "Daily values per sensor"),
    "hourly-district": ("district", "hourly", "Stundenwerte je Stadtteil", "Hourly values per district"),
    "daily-district": ("district", "daily", "Tageswerte je Stadtteil", "Daily values per district"),
}
GEOJSON_KEY = "daily-sensor-geojson"
# the table the environment dashboard reads, summarised per day (day_summary.py)
SUMMARISED_KEY = "hourly-district"
DIGITS = 3
# a counter in Redis that every upsert of changed aggregates raises: caches
# of figures computed from the tables (the environment dashboard) key on it
VERSION_KEY = "sca:sensors:aggregates-version"


def aggregates_version() -> int:
    from ckan.lib.redis import connect_to_redis

    return int(connect_to_redis().get(VERSION_KEY) or 0)


def _aggregates_changed() -> None:
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().incr(VERSION_KEY)


def fields(level: str) -> list[dict]:
    own = SENSOR_FIELDS if level == "sensor" else DISTRICT_FIELDS
    return own + WINDOW_FIELDS + STAT_FIELDS


def primary_key(level: str) -> list[str]:
    return ["sensor_id" if level == "sensor" else "district", "window_start_utc"]


def _round(value, digits=DIGITS):
    return None if value is None else round(value, digits)


def _window(window: agg.Window) -> dict:
    start = window.start_local()
    return {"window_start_utc": store.ms_to_dt(window.start_ms).replace(tzinfo=None).isoformat(),
            "window_start": start.isoformat(), "window_end": window.end_local().isoformat(),
            "day": start.date().isoformat()}


def compute(source_id: str, phenomenon, days: list[datetime.date]) -> dict[str, list[dict]]:
    """The rows of the four tables for the given local days, one day at a time
    (memory stays bounded by the readings of one day)."""
    sensors = store.sensors(source_id, phenomenon.id)
    out: dict[str, list[dict]] = {key: [] for key in TABLES}
    for day in days:
        window = agg.day_window(day)
        raw = store.readings(source_id, list(sensors), store.ms_to_dt(window.start_ms),
                             store.ms_to_dt(window.end_ms))
        cleaned, districts = {}, {}
        for sensor_id, rows in raw.items():
            cleaned[sensor_id] = agg.clean([(ms, v) for ms, v, _ in rows], phenomenon.plausibility)
            # a box that moved within the day counts for the district it was in at its end
            if rows[-1][2]:
                districts[sensor_id] = rows[-1][2]
        for key, (level, resolution, _de, _en) in TABLES.items():
            for row in agg.aggregate(cleaned, resolution, phenomenon.energetic, districts):
                if row.level != level or agg.day_of(row.window.start_ms) != day:
                    continue
                record = {**_window(row.window), "count": row.count, "mean": _round(row.mean),
                          "min": _round(row.min), "max": _round(row.max), "median": _round(row.median),
                          "p95": _round(row.p95), "completeness": _round(row.completeness, 4)}
                if level == "sensor":
                    meta = sensors[row.key]
                    record.update({"sensor_id": row.key, "box_id": meta["box_id"],
                                   "district": districts.get(row.key), "lon": meta["lon"], "lat": meta["lat"]})
                else:
                    record.update({"district": row.key, "sensors": sum(
                        1 for s, d in districts.items() if d == row.key and cleaned[s].readings)})
                out[key].append(record)
    return out


def ensure_table(context: dict, resource_id: str, level: str) -> bool:
    """Create the table if it does not exist; True when created."""
    try:
        tk.get_action("datastore_search")(dict(context), {"resource_id": resource_id, "limit": 0})
        return False
    except tk.ObjectNotFound:
        tk.get_action("datastore_create")(dict(context), {
            "resource_id": resource_id, "fields": fields(level), "primary_key": primary_key(level),
            "indexes": ["day"], "calculate_record_count": True})
        return True


def write(context: dict, resource_id: str, key: str, records: list[dict], days, energetic: bool) -> int:
    """Create the table ``key`` if needed and upsert the changed records of
    ``days``; the hourly district table's daily summary is updated with it
    (the dashboard reads that). The number of rows upserted."""
    level = TABLES[key][0]
    if ensure_table(context, resource_id, level) and key == SUMMARISED_KEY:
        day_summary.forget(resource_id)
    changed = upsert_changed(context, resource_id, level, records, days)
    if key == SUMMARISED_KEY:
        day_summary.update(resource_id, days, energetic)
        # the table's rows are committed (DataStore): its summary with them
        model.Session.commit()
    return changed


def _comparable(record: dict, names: list[str]) -> tuple:
    out = []
    for name in names:
        value = record.get(name)
        if isinstance(value, float) and math.isnan(value):
            value = None
        if name == "window_start_utc" and value:
            value = str(value).replace(" ", "T")[:19]
        elif name == "day" and value:
            value = str(value)[:10]
        out.append(value)
    return tuple(out)


def upsert_changed(context: dict, resource_id: str, level: str, records: list[dict], days) -> int:
    """Upsert the records that differ from what the table holds for ``days``; the number upserted."""
    names = [f["id"] for f in fields(level)]
    key = primary_key(level)
    stored: dict[tuple, tuple] = {}
    day_list = sorted({str(d) for d in days})
    offset = 0
    while day_list:
        result = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "filters": {"day": day_list}, "limit": 10000, "offset": offset,
            "sort": "_id"})
        for row in result["records"]:
            stored[_comparable(row, key)] = _comparable(row, names)
        if len(result["records"]) < 10000:
            break
        offset += 10000
    changed = [r for r in records if stored.get(_comparable(r, key)) != _comparable(r, names)]
    for i in range(0, len(changed), 5000):
        tk.get_action("datastore_upsert")(dict(context), {
            "resource_id": resource_id, "records": changed[i:i + 5000], "method": "upsert",
            "calculate_record_count": i + 5000 >= len(changed)})
    if changed:
        _aggregates_changed()
    return len(changed)
