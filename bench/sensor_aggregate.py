#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensor aggregation throughput: ``sensors/aggregate.py`` next to DuckDB's
GROUP BY computing the same statistics on the same synthetic readings.

    deploy/sca bench sensor_aggregate [--readings 10000000] [--sensors 1000]
    .venv/bin/python bench/sensor_aggregate.py          (no services needed)

Readings: ``--sensors`` sensors reporting every 5 minutes (noise levels
around 55 dB, so the mean is energetic), with duplicates, negative values,
stuck runs and spikes mixed in; generated and aggregated one local day
(Europe/Berlin) at a time, as the harvester does, so memory stays bounded
by one day's readings whatever the total. Both sides compute, per sensor
and per hour and per day: duplicates removed (first kept), the range,
stuck and spike filters, count, energetic mean, min, max, median, p95
(linear interpolation) and completeness from the sensor's median interval.
The figures are readings per second of the aggregation alone (generation
excluded) and the peak memory of the process; a sample of rows is compared
between the two.
"""
from __future__ import annotations

import argparse
import datetime
import math
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ckanext-smartcityatlas"))

from ckanext.smartcityatlas.sensors import aggregate as agg  # noqa: E402

RULES = agg.Plausibility(min_value=20, max_value=140, stuck_readings=12, spike_delta=40)
INTERVAL_MS = 300_000
FIRST_DAY = datetime.date(2024, 10, 20)  # the days span the autumn clock change

DUCK_SQL = """
WITH numbered AS (
  SELECT sensor, ts, v, row_number() OVER (PARTITION BY sensor, ts ORDER BY seq) AS k FROM readings),
dedup AS (SELECT sensor, ts, v FROM numbered WHERE k = 1),
gaps AS (SELECT sensor, ts - lag(ts) OVER (PARTITION BY sensor ORDER BY ts) AS gap FROM dedup),
interval AS (SELECT sensor, quantile_cont(gap, 0.5) / 1000.0 AS iv FROM gaps WHERE gap IS NOT NULL GROUP BY sensor),
ranged AS (SELECT * FROM dedup WHERE v >= {lo} AND v <= {hi}),
runs AS (SELECT *, sum(CASE WHEN v = prev THEN 0 ELSE 1 END) OVER (PARTITION BY sensor ORDER BY ts) AS run
         FROM (SELECT *, lag(v) OVER (PARTITION BY sensor ORDER BY ts) AS prev FROM ranged)),
unstuck AS (SELECT sensor, ts, v FROM runs QUALIFY count(*) OVER (PARTITION BY sensor, run) < {stuck}),
neighbours AS (SELECT *, lag(v) OVER w AS p, lead(v) OVER w AS n FROM unstuck
               WINDOW w AS (PARTITION BY sensor ORDER BY ts)),
clean AS (SELECT sensor, ts, v FROM neighbours
          WHERE p IS NULL OR n IS NULL OR NOT ((v - p > {d} AND v - n > {d}) OR (p - v > {d} AND n - v > {d}))),
hourly AS (
  SELECT sensor, ts // 3600000 AS w, count(*) AS c, 10 * log10(avg(pow(10, v / 10))) AS mean, min(v) AS mn,
         max(v) AS mx, quantile_cont(v, 0.5) AS med, quantile_cont(v, 0.95) AS p95, 3600.0 AS secs
  FROM clean GROUP BY sensor, w),
daily AS (
  SELECT sensor, -1 AS w, count(*) AS c, 10 * log10(avg(pow(10, v / 10))) AS mean, min(v), max(v),
         quantile_cont(v, 0.5), quantile_cont(v, 0.95), {day_seconds} AS secs
  FROM clean GROUP BY sensor)
SELECT h.sensor, w, c, mean, mn, mx, med, p95, least(1.0, c / (secs / iv)) AS completeness
FROM (SELECT * FROM hourly UNION ALL SELECT * FROM daily) h JOIN interval USING (sensor)
"""


def generate(day: datetime.date, sensors: int, rng: np.random.Generator):
    """One local day of readings: (sensor, ts_ms, value, seq) arrays, shuffled a little."""
    window = agg.day_window(day)
    steps = np.arange(window.start_ms, window.end_ms, INTERVAL_MS, dtype=np.int64)
    sensor = np.repeat(np.arange(sensors, dtype=np.int64), len(steps))
    ts = np.tile(steps, sensors) + rng.integers(0, 20_000, len(sensor))
    value = np.round(55 + 8 * rng.standard_normal(len(sensor)), 1)
    value[rng.random(len(sensor)) < 0.002] = -1.0  # implausible
    value[rng.random(len(sensor)) < 0.001] += 60  # spikes
    stuck = rng.integers(0, len(sensor) - 20, max(1, sensors // 50))
    for start in stuck:  # a few sensors freeze for 15 readings
        value[start:start + 15] = value[start]
    dup = rng.integers(0, len(sensor), len(sensor) // 200)  # 0.5 % duplicates
    sensor = np.concatenate([sensor, sensor[dup]])
    ts = np.concatenate([ts, ts[dup]])
    value = np.concatenate([value, value[dup] + 1])  # a duplicate with another value: the first is kept
    return sensor, ts, value, np.arange(len(sensor), dtype=np.int64), window


def ours(sensor, ts, value) -> dict:
    series: dict[int, list] = {}
    for s, t, v in zip(sensor.tolist(), ts.tolist(), value.tolist()):
        series.setdefault(s, []).append((t, v))
    cleaned = {s: agg.clean(rows, RULES) for s, rows in series.items()}
    out = {}
    for resolution in ("hourly", "daily"):
        for row in agg.aggregate(cleaned, resolution, energetic=True):
            if row.count:
                w = row.window.start_ms // 3_600_000 if resolution == "hourly" else -1
                out[(row.key, w)] = (row.count, row.mean, row.median, row.p95, row.completeness)
    return out


def duckdb_day(con, sensor, ts, value, seq, window) -> dict:
    con.register("readings", {"sensor": sensor, "ts": ts, "v": value, "seq": seq})
    rows = con.execute(DUCK_SQL.format(lo=RULES.min_value, hi=RULES.max_value, stuck=RULES.stuck_readings,
                                       d=RULES.spike_delta, day_seconds=window.seconds)).fetchall()
    con.unregister("readings")
    return {(r[0], r[1]): (r[2], r[3], r[6], r[7], r[8]) for r in rows}


def same(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a[1:], b[1:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readings", type=int, default=10_000_000)
    parser.add_argument("--sensors", type=int, default=1000)
    parser.add_argument("--ini", help="ignored (deploy/sca bench passes it; no CKAN needed)")
    args = parser.parse_args()
    try:
        import duckdb
    except ImportError:
        duckdb = None
        print("duckdb is not installed (pip install duckdb): only the project's aggregation is measured")
    rng = np.random.default_rng(12)
    con = duckdb.connect() if duckdb else None
    if con is not None:
        con.execute("SET threads TO 1")  # one core each: the same footing for both
    total = ours_s = duck_s = 0.0
    checked = mismatched = 0
    day = FIRST_DAY
    while total < args.readings:
        sensor, ts, value, seq, window = generate(day, args.sensors, rng)
        if total + len(sensor) > args.readings:
            keep = args.readings - int(total)
            sensor, ts, value, seq = sensor[:keep], ts[:keep], value[:keep], seq[:keep]
        started = time.perf_counter()
        mine = ours(sensor, ts, value)
        ours_s += time.perf_counter() - started
        if con is not None:
            started = time.perf_counter()
            theirs = duckdb_day(con, sensor, ts, value, seq, window)
            duck_s += time.perf_counter() - started
            for key in list(mine)[:: max(1, len(mine) // 200)]:
                checked += 1
                mismatched += not (key in theirs and same(mine[key], theirs[key]))
        total += len(sensor)
        day += datetime.timedelta(days=1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"readings: {int(total):,} ({args.sensors} sensors, 5-minute interval, {(day - FIRST_DAY).days} days, "
          "aggregated a day at a time)")
    print(f"sensors/aggregate.py: {total / ours_s:,.0f} readings/s ({ours_s:.1f} s, one core)")
    if con is not None:
        print(f"DuckDB {duckdb.__version__} GROUP BY: {total / duck_s:,.0f} readings/s ({duck_s:.1f} s, one thread)")
        print(f"rows compared: {checked}, differing: {mismatched}")
    print(f"peak memory of the process: {peak_mb:,.0f} MB")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
