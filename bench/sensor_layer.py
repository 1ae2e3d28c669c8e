#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas' sensor layer (sca_sensor_layer) on many sensors.

    deploy/sca bench sensor_layer [--boxes 300] [--hours 48] [--runs 20]

Harvests (once, idempotently) synthetic senseBoxes spread over the city
(PM10, PM2.5, temperature and humidity, a reading every 10 minutes) through
the real openSenseMap harvester from the local replay server, then times
sca_sensor_layer as an anonymous caller: all phenomena with the 24-hour
series, one phenomenon (what the map loads), and one phenomenon without
series (the table page); with the feature count and the JSON size, plain
and gzipped. Each figure is printed next to its baseline in the same run:
reading the same tables through the DataStore API (two datastore_search
calls per table, what the layer did before issue 28).
"""
from __future__ import annotations

import argparse
import datetime
import gzip
import json
import sys
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import replay_harvest  # noqa: E402

SOURCE = "bench-sensor-layer"
END = datetime.datetime(2024, 10, 27, 23, tzinfo=datetime.timezone.utc)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SENSORS = [("PM10", "µg/m³", "SDS 011", 15.0), ("PM2.5", "µg/m³", "SDS 011", 9.0),
           ("Temperatur", "°C", "DHT22", 10.0), ("rel. Luftfeuchte", "%", "DHT22", 70.0)]


def ensure_harvest(boxes: int, hours: int) -> None:
    start = END - datetime.timedelta(hours=hours)

    def make():
        box_list, readings = replay_harvest.synthetic(boxes, SENSORS, start, END, seed=20261126)
        return box_list, readings, start, END

    replay_harvest.harvest_once(SOURCE, "Bench: sensor layer", make, window_hours=hours)


def datastore_api_baseline(context: dict, tables: list[str], hours: int) -> None:
    """The rows the layer needs through the DataStore API, as the layer read
    them before issue 28: per table its newest window, then the rows of the
    local days of the last hours of all its sensors (two datastore_search
    calls per table, pages of 10,000 rows)."""
    import ckan.plugins.toolkit as tk

    search = tk.get_action("datastore_search")
    for table in tables:
        head = search(dict(context), {"resource_id": table, "limit": 1, "sort": "window_start_utc desc",
                                      "fields": ["window_start_utc"], "include_total": False})
        if not head["records"]:
            continue
        newest = datetime.datetime.fromisoformat(str(head["records"][0]["window_start_utc"])[:19]) \
            .replace(tzinfo=datetime.timezone.utc)
        first = (newest - datetime.timedelta(hours=max(hours, 24) - 1)).astimezone(BERLIN).date()
        last = newest.astimezone(BERLIN).date()
        days = [(first + datetime.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        offset = 0
        while True:
            page = search(dict(context), {"resource_id": table, "filters": {"day": days}, "limit": 10000,
                                          "offset": offset, "sort": "sensor_id, window_start_utc",
                                          "include_total": False,
                                          "fields": ["sensor_id", "window_start_utc", "count", "mean"]})
            if len(page["records"]) < 10000:
                break
            offset += 10000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--boxes", type=int, default=300)
    parser.add_argument("--hours", type=int, default=48)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk

        from ckanext.smartcityatlas.sensors import layer

        ensure_harvest(args.boxes, args.hours)
        anonymous = {"user": "", "auth_user_obj": None}
        entries = layer.sensor_datasets(dict(anonymous))
        print(f"{len(entries)} sensor datasets; target: all phenomena p95 <= 300 ms. Baseline in the same run: "
              "the same tables read through the DataStore API (2 datastore_search calls per table, as the "
              "layer did before issue 28)\n")
        for name, params in (("all phenomena, 24 h series", {}), ("pm10, 24 h series", {"phenomenon": "pm10"}),
                             ("pm10, no series (table page)", {"phenomenon": "pm10", "hours": 0})):
            result = tk.get_action("sca_sensor_layer")(dict(anonymous), dict(params))
            body = json.dumps(result, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
            print(f"{name}: {len(result['features'])} features, {len(body) / 1024:.0f} KiB JSON, "
                  f"{len(gzip.compress(body, 6)) / 1024:.0f} KiB gzipped (as /atlas/sensoren.geojson sends it)"
                  + (" (truncated)" if result.get("truncated") else ""))
            fast = common.timed(lambda: tk.get_action("sca_sensor_layer")(dict(anonymous), dict(params)),
                                args.runs, warmup=2)
            tables = [e["table"] for e in entries if params.get("phenomenon") in (None, e["phenomenon"])]
            base = common.timed(lambda: datastore_api_baseline(dict(anonymous), tables, params.get("hours", 24)),
                                args.runs, warmup=2)
            p50, p95 = common.percentiles(fast)
            b50, b95 = common.percentiles(base)
            print(f"  sca_sensor_layer ({len(tables)} tables)  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
                  f"   | DataStore API baseline p50 {b50:7.1f}  p95 {b95:7.1f}   | p95 ratio {p95 / b95:4.2f}")


if __name__ == "__main__":
    main()
