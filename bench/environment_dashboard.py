#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The environment dashboard (sca_environment_show) on a year of hourly aggregates.

    deploy/sca bench environment_dashboard [--boxes 300] [--year 2025] [--runs 20]

Harvests (once, idempotently) synthetic senseBoxes spread over the city
(PM10, PM2.5, noise, temperature: 4 phenomena) for one hour through the
real openSenseMap harvester from the local replay, which creates the
datasets, their DataStore tables and each district's sensor count; then
fills each "hourly per district" table with every hour of ``--year``
(8,760 windows per district, in SQL, idempotent). The dashboard reads only
these district tables (the per-sensor tables are not read, so they are not
filled for the year). Timed as an anonymous caller: the whole year without
the cache (every request computes), with the cache (what visitors get
between two harvests), and one district, all from the daily summary
(``sensors/day_summary.py``; the filled year is summarised once, as
``ckan sca environment-summary`` does). Baselines in the same run: the
queries of the year over the hourly rows (the computation before the
summary), and the same rows read through the DataStore API
(datastore_search pages of 32,000), what a dashboard without its own
query would have to fetch before computing.
"""
from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import replay_harvest  # noqa: E402

SOURCE = "bench-environment"
SENSORS = [("PM10", "µg/m³", "SDS 011", 18.0), ("PM2.5", "µg/m³", "SDS 011", 11.0),
           ("Lautstärke", "dB (A)", "SPH0645", 55.0), ("Temperatur", "°C", "DHT22", 10.0)]
# the phenomenon's mean and swing of the synthetic year, per district table
YEAR_VALUES = {"pm10": (18.0, 14.0), "pm25": (11.0, 8.0), "noise": (52.0, 12.0)}


def ensure_harvest(boxes: int, year: int) -> None:
    """One hour of readings: it creates the datasets, tables and district rows."""
    end = datetime.datetime(year, 12, 31, 23, tzinfo=datetime.timezone.utc)
    start = end - datetime.timedelta(hours=1)

    def make():
        box_list, readings = replay_harvest.synthetic(boxes, SENSORS, start, end, seed=20261206, prefix="e")
        return box_list, readings, start, end

    replay_harvest.harvest_once(SOURCE, "Bench: environment dashboard", make, window_hours=1)


def fill_year(table: str, phenomenon: str, year: int) -> int:
    """Every hour of the year for every district the harvest gave the table (idempotent)."""
    import sqlalchemy as sa
    from ckanext.datastore.backend.postgres import get_write_engine, identifier

    mean, swing = YEAR_VALUES[phenomenon]
    t = identifier(table)
    with get_write_engine().connect() as connection:
        if connection.execute(sa.text(f"SELECT count(*) FROM {t} WHERE day >= make_date(:year, 1, 1)"),
                              {"year": year}).scalar() > 8760:
            return 0  # filled by an earlier run
    statement = f"""
INSERT INTO {t} (district, sensors, window_start_utc, window_start, window_end, day, count, mean, min, max,
                 median, p95, completeness)
SELECT d.district, d.sensors, ts, to_char(timezone('Europe/Berlin', timezone('UTC', ts)), 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(timezone('Europe/Berlin', timezone('UTC', ts + interval '1 hour')), 'YYYY-MM-DD"T"HH24:MI:SS'),
       timezone('Europe/Berlin', timezone('UTC', ts))::date, 6 * d.sensors,
       v, v, v, v, v, 0.9 + random() * 0.1
FROM (SELECT DISTINCT ON (district) district, sensors FROM {t} ORDER BY district, window_start_utc DESC) d,
     generate_series(timezone('UTC', timezone('Europe/Berlin', make_timestamp(:year, 1, 1, 0, 0, 0))),
                     timezone('UTC', timezone('Europe/Berlin', make_timestamp(:year, 12, 31, 23, 0, 0))),
                     interval '1 hour') ts,
     LATERAL (SELECT :mean + :swing * (sin(extract(epoch FROM ts) / 86400 * 2 * pi())
                                       + 0.8 * (random() - 0.5)) AS v) w
ON CONFLICT DO NOTHING"""
    with get_write_engine().begin() as connection:
        return connection.execute(sa.text(statement), {"year": year, "mean": mean, "swing": swing}).rowcount


def datastore_api_baseline(context: dict, tables: list[str], year: int) -> None:
    import ckan.plugins.toolkit as tk

    search = tk.get_action("datastore_search")
    for table in tables:
        offset = 0
        while True:
            page = search(dict(context), {
                "resource_id": table, "filters": {}, "limit": 32000, "offset": offset, "include_total": False,
                "q": "", "sort": "_id", "fields": ["district", "window_start_utc", "day", "count", "mean",
                                                   "completeness", "sensors"]})
            if len(page["records"]) < 32000:
                break
            offset += 32000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--boxes", type=int, default=300)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=3)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk

        from ckanext.smartcityatlas.environment import actions, query
        from ckanext.smartcityatlas.sensors import day_summary

        ensure_harvest(args.boxes, args.year)
        anonymous = {"user": "", "auth_user_obj": None}
        entries = actions.sources(dict(anonymous), ("pm10", "pm25", "noise"))
        started = time.perf_counter()
        rows = sum(fill_year(e["table"], e["phenomenon"], args.year) for e in entries)
        print(f"{len(entries)} district tables; {rows} hourly district rows added for {args.year} in "
              f"{time.perf_counter() - started:.1f} s")
        if rows:  # written behind the harvester's back: summarised as `ckan sca environment-summary` does
            started = time.perf_counter()
            summary_rows = sum(day_summary.rebuild(e["table"], e["phenomenon"] == "noise") for e in entries)
            print(f"daily summary: {summary_rows} rows in {time.perf_counter() - started:.1f} s")
        result = tk.get_action("sca_environment_show")(dict(anonymous), {"year": args.year})
        pm10 = result["phenomena"]["pm10"]
        print(f"{len(pm10['districts'])} districts, {pm10['city']['sensors']} PM10 sensors, "
              f"{pm10['city']['hours_covered']} PM10 city hours; target: p95 <= 300 ms. Baseline in the same run: "
              "the same district rows read through the DataStore API\n")
        district = pm10["districts"][0]["district"]
        cases = (("whole year, no cache", {"year": args.year}, 0),
                 ("whole year, cached", {"year": args.year}, 3600),
                 ("one district, no cache", {"year": args.year, "district": district}, 0))
        for name, params, ttl in cases:
            tk.config["ckanext.smartcityatlas.environment.cache_seconds"] = ttl
            samples = common.timed(lambda: tk.get_action("sca_environment_show")(dict(anonymous), dict(params)),
                                   args.runs, warmup=2)
            p50, p95 = common.percentiles(samples)
            print(f"  {name:<26} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        start, end = datetime.date(args.year, 1, 1), datetime.date(args.year, 12, 31)
        by_phen = {p: [e["table"] for e in entries if e["phenomenon"] == p] for p in ("pm10", "pm25", "noise")}
        hourly = common.timed(lambda: [query.hours_of_day(t, start, end, hourly=True) if p == "noise"
                                       else query.daily(t, start, end, hourly=True) for p, t in by_phen.items()],
                              args.baseline_runs, warmup=0)
        h50, h95 = common.percentiles(hourly)
        print(f"  hourly rows (no summary)   p50 {h50:7.1f} ms  p95 {h95:7.1f} ms  (the queries of the year "
              f"before the daily summary, {args.baseline_runs} runs)")
        base = common.timed(lambda: datastore_api_baseline(dict(anonymous), [e["table"] for e in entries],
                                                           args.year), args.baseline_runs, warmup=0)
        b50, b95 = common.percentiles(base)
        print(f"  DataStore API baseline     p50 {b50:7.1f} ms  p95 {b95:7.1f} ms  (reading only, "
              f"{args.baseline_runs} runs)")


if __name__ == "__main__":
    main()
