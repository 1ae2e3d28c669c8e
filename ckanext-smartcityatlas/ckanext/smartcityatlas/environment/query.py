# SPDX-License-Identifier: AGPL-3.0-or-later
"""The hourly district aggregates of several sensor tables, summarised in
the database for the dashboard (``figures.py`` computes from the result).

The tables are the "hourly per district" DataStore tables of the sensor
datasets (``sensors/publish.py``) the caller may read (``actions.py``
checks that first; this module only reads). Several tables of one
phenomenon (two harvest sources) are pooled per district and hour,
weighted by their readings; the city-wide row pools all districts
(``GROUPING SETS``). One statement per phenomenon, whatever the number of
tables and days: per area and local day (particulate matter) or per area
and local hour of day (noise), never row by row.

A phenomenon with one table whose daily summary is complete
(``sensors/day_summary.py``, written with the aggregates) is read from
that summary: one row per area and day, the same figures. Two tables of
one phenomenon are pooled hour by hour, so they are read from the hours.
"""
from __future__ import annotations

import datetime
import itertools
import operator

import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_read_engine, identifier

from ckanext.smartcityatlas.environment import figures
from ckanext.smartcityatlas.environment.figures import Day, HourOfDay
from ckanext.smartcityatlas.sensors import day_summary

ZONE = "Europe/Berlin"
CITY = None  # the area key of the city-wide figures
# a year of hourly rows per district is aggregated in memory, not sorted on disk
WORK_MEM = "64MB"


def _run(statement: str, params: dict):
    with get_read_engine().begin() as connection:
        connection.execute(sa.text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        return connection.execute(sa.text(statement), params).all()


def _source(tables: list[str]) -> str:
    parts = [f"SELECT district, window_start_utc AS ts, day, count, mean, completeness, sensors "
             f"FROM {identifier(t)} WHERE day >= :start AND day <= :end AND count > 0 AND mean IS NOT NULL"
             for t in tables]
    return "\nUNION ALL\n".join(parts)


def _hourly(tables: list[str], energetic: bool) -> str:
    """Per district and hour, and per hour city-wide: the pooled value (for
    noise its energy 10^(L/10)), the sensors and the expected readings.
    With one table a district's hour is one row already: only the city-wide
    hours are pooled (grouping a year of rows by district and hour costs
    more than the rest of the query)."""
    value = ("sum(count * power(10, mean / 10)) / sum(count)" if energetic
             else "sum(count * mean) / sum(count)")
    if len(tables) == 1:
        return day_summary.hourly_ctes(tables[0], energetic, "day >= :start AND day <= :end")
    return f"""
  src AS ({_source(tables)}),
  hourly AS (
    SELECT GROUPING(district) = 1 AS city, district, ts, min(day) AS day, {value} AS value,
           sum(sensors) AS sensors, sum(count) AS n, sum(count / NULLIF(completeness, 0)) AS expected
    FROM src GROUP BY GROUPING SETS ((district, ts), (ts)))"""


def _area(row) -> str | None:
    return CITY if row.city else row.district


def _completeness(n, expected) -> float | None:
    return min(1.0, float(n) / float(expected)) if expected else None


def summarised(tables: list[str]) -> str | None:
    """The one table of a phenomenon when its daily summary is complete."""
    return tables[0] if len(tables) == 1 and day_summary.complete(tables) else None


_first = operator.itemgetter(0)


def _summary_area(district: str) -> str | None:
    return CITY if district == day_summary.CITY else district


def daily(tables: list[str], start: datetime.date, end: datetime.date,
          hourly: bool = False, areas: set | None = None) -> dict[str | None, list[Day]]:
    """Per area (a district, or ``CITY``) its local days with hourly values
    (from the daily summary when there is one, unless ``hourly``; there only
    the ``areas`` given)."""
    if not tables:
        return {}
    table = None if hourly else summarised(tables)
    if table:
        wanted = None if areas is None else [day_summary.CITY if a is CITY else a for a in areas]
        # rows come ordered by district: grouped in C, one tuple per day (a year of every district)
        make = Day._make
        return {_summary_area(district): [make(row[1:]) for row in rows]
                for district, rows in itertools.groupby(day_summary.daily(table, start, end, wanted), key=_first)}
    statement = f"""WITH {_hourly(tables, energetic=False)}
SELECT city, district, day, count(*) AS hours, avg(value) AS mean, max(sensors) AS sensors,
       sum(n) AS n, sum(expected) AS expected
FROM hourly GROUP BY city, district, day"""
    out: dict[str | None, list[Day]] = {}
    for row in _run(statement, {"start": start, "end": end}):
        out.setdefault(_area(row), []).append(Day(
            day=row.day, hours=int(row.hours), mean=float(row.mean), sensors=int(row.sensors or 0),
            completeness=_completeness(row.n, row.expected)))
    return out


def particulate_areas(tables: list[str], start: datetime.date, end: datetime.date,
                      phenomenon: str) -> dict[str | None, dict] | None:
    """Per area the period figures of particulate matter, summed by the
    database from the daily summary (no row per day reaches Python); None
    without a complete summary (then ``daily`` and figures.particulate)."""
    table = summarised(tables)
    if not table:
        return None
    required, usual = figures.required_hours_between(start, end)
    limits = figures.PM_LIMITS[phenomenon]
    rows = day_summary.area_sums(table, start, end, required, usual, (limits.eu_daily, limits.who_daily))
    return {_summary_area(row[0]): figures.particulate_from_sums(phenomenon, row[1:], start, end) for row in rows}


def hours_of_day(tables: list[str], start: datetime.date, end: datetime.date,
                 hourly: bool = False) -> dict[str | None, list[HourOfDay]]:
    """Per area its noise energy per local hour of day (0–23) (from the
    daily summary when there is one, unless ``hourly``)."""
    if not tables:
        return {}
    table = None if hourly else summarised(tables)
    if table:
        return {_summary_area(row["district"]): [
            HourOfDay(hour=h, hours=int(row[f"hours{h}"]), energy=float(row[f"energy{h}"]),
                      sensors=int(row["sensors"] or 0), completeness=_completeness(row[f"n{h}"], row[f"expected{h}"]))
            for h in range(day_summary.HOURS) if row[f"hours{h}"]]
            for row in (r._mapping for r in day_summary.hours_of_day(table, start, end))}
    statement = f"""WITH {_hourly(tables, energetic=True)}
SELECT city, district, extract(hour FROM timezone('{ZONE}', timezone('UTC', ts)))::int AS hour,
       count(*) AS hours, sum(value) AS energy, max(sensors) AS sensors, sum(n) AS n, sum(expected) AS expected
FROM hourly GROUP BY city, district, 3"""
    out: dict[str | None, list[HourOfDay]] = {}
    for row in _run(statement, {"start": start, "end": end}):
        out.setdefault(_area(row), []).append(HourOfDay(
            hour=int(row.hour), hours=int(row.hours), energy=float(row.energy), sensors=int(row.sensors or 0),
            completeness=_completeness(row.n, row.expected)))
    return out


def newest_day(tables: list[str]) -> datetime.date | None:
    """The newest local day any of the tables has a row for."""
    if not tables:
        return None
    parts = ", ".join(f"(SELECT max(day) FROM {identifier(t)})" for t in tables)
    with get_read_engine().connect() as connection:
        return connection.execute(sa.text(f"SELECT greatest({parts})")).scalar()
