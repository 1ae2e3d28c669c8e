# SPDX-License-Identifier: AGPL-3.0-or-later
"""A daily summary of each "hourly per district" DataStore table (migration
b2d6e8f0a4c1), written with the hourly aggregates, so the environment
dashboard reads one row per area and day instead of every hour.

``sca_sensor_day_summary``: per hourly table, area (a district, or ``""``
for the city-wide pool of all its districts) and local day: the hours with
a value, the mean of those hourly values, the most sensors in one hour, the
readings and the expected readings, and per local hour of day (arrays of
24, index 0 = 00:00) the hours, Σ10^(L/10), readings and expected readings
(the energetic sums of noise; the autumn day's 02:00 hour holds two hours;
no expected readings count as 0, which changes no sum).
``sca_sensor_month_summary``: those arrays summed per calendar month.
``sca_sensor_summarised``: the tables whose summary is complete; a table
not listed there is read hour by hour (``environment/query.py``).

Each figure is the one the hourly computation gives for a single table;
pooling two tables of one phenomenon hour by hour cannot be summed from
daily rows, so the dashboard reads the hours then. Who may read a table is
checked before its summary rows are read (the dashboard asks DataStore's
auth per table), so a private dataset's summary never counts for others.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

CITY = ""  # the area key of a table's city-wide rows
HOURS = 24
ZONE = "Europe/Berlin"

_meta = sa.MetaData()


def _hour_columns() -> list[sa.Column]:
    """Per local hour of day (index 0 = 00:00): hours, Σ10^(L/10), readings, expected readings."""
    return [sa.Column("hour_count", postgresql.ARRAY(sa.Integer)),
            sa.Column("hour_energy", postgresql.ARRAY(sa.Float(53))),
            sa.Column("hour_n", postgresql.ARRAY(sa.Float(53))),
            sa.Column("hour_expected", postgresql.ARRAY(sa.Float(53)))]


summary = sa.Table(
    "sca_sensor_day_summary", _meta,
    sa.Column("table_id", sa.UnicodeText, primary_key=True),
    sa.Column("district", sa.UnicodeText, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("hours", sa.Integer, nullable=False),
    sa.Column("mean", sa.Float(53), nullable=False),
    sa.Column("sensors", sa.Integer),
    sa.Column("n", sa.Float(53)),
    sa.Column("expected", sa.Float(53)),
    *_hour_columns(),
)
# the hour-of-day arrays summed per calendar month: a year of noise is 12 rows per area, not 365
month_summary = sa.Table(
    "sca_sensor_month_summary", _meta,
    sa.Column("table_id", sa.UnicodeText, primary_key=True),
    sa.Column("district", sa.UnicodeText, primary_key=True),
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("sensors", sa.Integer),
    *_hour_columns(),
)
summarised = sa.Table(
    "sca_sensor_summarised", _meta,
    sa.Column("table_id", sa.UnicodeText, primary_key=True),
    sa.Column("energetic", sa.Boolean, nullable=False),
    sa.Column("built_at", sa.DateTime, nullable=False),
)

# per hour: the district's own value, and the city's pooled by readings
_HOURLY = """
  src AS (
    SELECT district, window_start_utc AS ts, day, count, mean, completeness, sensors FROM {table}
    WHERE {where} AND count > 0 AND mean IS NOT NULL),
  hourly AS (
    SELECT false AS city, district, ts, day, {own} AS value, sensors, count AS n,
           count / NULLIF(completeness, 0) AS expected
    FROM src
    UNION ALL
    SELECT true, NULL, ts, min(day), {pooled}, sum(sensors), sum(count), sum(count / NULLIF(completeness, 0))
    FROM src GROUP BY ts)"""
_DAILY = """
SELECT city, district, day, count(*) AS hours, avg(value) AS mean, max(sensors) AS sensors,
       sum(n) AS n, sum(expected) AS expected
FROM hourly GROUP BY city, district, day"""
_BY_HOUR = f"""
SELECT city, district, day, extract(hour FROM timezone('{ZONE}', timezone('UTC', ts)))::int AS hour,
       count(*) AS hours, sum(value) AS energy, sum(n) AS n, sum(expected) AS expected
FROM hourly GROUP BY city, district, day, 4"""


def hourly_ctes(table: str, energetic: bool, where: str) -> str:
    """The common table expressions ``src`` (the table's rows matching
    ``where``) and ``hourly``: per district and hour its own value, and per
    hour the city's, pooled by readings (for noise the energy 10^(L/10)),
    with sensors, readings and expected readings. The dashboard's hourly
    computation of one table is this same statement (environment/query.py)."""
    from ckanext.datastore.backend.postgres import identifier

    own, pooled = (("power(10, mean / 10)", "sum(count * power(10, mean / 10)) / sum(count)") if energetic
                   else ("mean", "sum(count * mean) / sum(count)"))
    return _HOURLY.format(table=identifier(table), where=where, own=own, pooled=pooled)


def _statement(table: str, body: str, energetic: bool, where: str) -> str:
    return "WITH " + hourly_ctes(table, energetic, where) + body


def _rows(table: str, days: list[datetime.date] | None, energetic: bool) -> list[dict]:
    """The summary rows of ``days`` (None: every day) computed from the hourly table."""
    from ckanext.datastore.backend.postgres import get_write_engine

    where, params = ("day = ANY(:days)", {"days": days}) if days is not None else ("true", {})
    with get_write_engine().connect() as connection:
        daily = connection.execute(sa.text(_statement(table, _DAILY, False, where)), params).all()
        by_hour = (connection.execute(sa.text(_statement(table, _BY_HOUR, True, where)), params).all()
                   if energetic else [])
    out = {}
    for row in daily:
        key = (CITY if row.city else row.district, row.day)
        out[key] = {"table_id": table, "district": key[0], "day": row.day, "hours": int(row.hours),
                    "mean": float(row.mean), "sensors": row.sensors, "n": row.n, "expected": row.expected}
        if energetic:
            # no NULLs in the arrays: PostgreSQL reads an element of an array without NULLs directly
            out[key].update(hour_count=[0] * HOURS, hour_energy=[0.0] * HOURS, hour_n=[0.0] * HOURS,
                            hour_expected=[0.0] * HOURS)
    for row in by_hour:
        record = out[(CITY if row.city else row.district, row.day)]
        record["hour_count"][row.hour] = int(row.hours)
        record["hour_energy"][row.hour] = row.energy
        record["hour_n"][row.hour] = row.n
        record["hour_expected"][row.hour] = row.expected or 0.0
    return list(out.values())


def _write(table: str, days: list[datetime.date] | None, energetic: bool) -> int:
    rows = _rows(table, days, energetic)
    delete = summary.delete().where(summary.c.table_id == table)
    if days is not None:
        delete = delete.where(summary.c.day.in_(days))
    model.Session.execute(delete)
    for i in range(0, len(rows), 5000):
        model.Session.execute(summary.insert(), rows[i:i + 5000])
    if energetic:
        _write_months(table, None if days is None else sorted({d.replace(day=1) for d in days}))
    return len(rows)


def _array_sums(column: str, cast: str) -> str:
    return "ARRAY[" + ", ".join(f"sum({column}[{h + 1}])" for h in range(HOURS)) + f"]::{cast}[]"


def _write_months(table: str, months: list[datetime.date] | None) -> None:
    """The month rows of ``months`` (None: all) from the day rows."""
    delete = month_summary.delete().where(month_summary.c.table_id == table)
    where, params = "", {"table": table}
    if months is not None:
        delete = delete.where(month_summary.c.month.in_(months))
        where, params["months"] = "AND date_trunc('month', day)::date = ANY(:months)", months
    model.Session.execute(delete)
    model.Session.execute(sa.text(f"""
INSERT INTO sca_sensor_month_summary (table_id, district, month, sensors, hour_count, hour_energy, hour_n,
                                      hour_expected)
SELECT table_id, district, date_trunc('month', day)::date, max(sensors), {_array_sums("hour_count", "int")},
       {_array_sums("hour_energy", "float8")}, {_array_sums("hour_n", "float8")},
       {_array_sums("hour_expected", "float8")}
FROM sca_sensor_day_summary WHERE table_id = :table AND hour_count IS NOT NULL {where}
GROUP BY table_id, district, 3"""), params)


def _is_summarised(table: str) -> bool:
    return model.Session.execute(
        sa.select(summarised.c.table_id).where(summarised.c.table_id == table)).first() is not None


def rebuild(table: str, energetic: bool) -> int:
    """Summarise every day of the table anew and mark it complete; the rows written."""
    written = _write(table, None, energetic)
    values = {"energetic": energetic, "built_at": datetime.datetime.utcnow()}
    model.Session.execute(postgresql.insert(summarised).values(table_id=table, **values)
                          .on_conflict_do_update(index_elements=["table_id"], set_=values))
    model.Session.commit()
    return written


def update(table: str, days: Iterable, energetic: bool) -> int:
    """After new hourly rows of ``days``: summarise those days again (the
    whole table when it has no complete summary yet). Idempotent."""
    if not _is_summarised(table):
        return rebuild(table, energetic)
    day_list = sorted({datetime.date.fromisoformat(str(d)[:10]) for d in days})
    # committed by the caller (publish.write)
    return _write(table, day_list, energetic) if day_list else 0


def forget(table: str) -> None:
    """A table created anew (resource ids are derived from the dataset's):
    an earlier summary of that id is not its summary."""
    model.Session.execute(summary.delete().where(summary.c.table_id == table))
    model.Session.execute(month_summary.delete().where(month_summary.c.table_id == table))
    model.Session.execute(summarised.delete().where(summarised.c.table_id == table))
    model.Session.commit()


def complete(tables: Iterable[str]) -> set[str]:
    """Which of the tables have a complete summary."""
    tables = list(tables)
    if not tables:
        return set()
    query = sa.select(summarised.c.table_id).where(summarised.c.table_id.in_(tables))
    return {row.table_id for row in model.Session.execute(query)}


def daily(table: str, start: datetime.date, end: datetime.date, districts: list[str] | None = None) -> list[tuple]:
    """The table's summary rows of the local days start … end, ordered by
    district and day: (district, day, hours, mean, sensors, completeness), completeness = readings ÷
    expected readings, at most 1 (None without expected readings); only
    ``districts`` when given."""
    statement = ("SELECT district, day, hours, mean, coalesce(sensors, 0), "
                 "CASE WHEN expected <> 0 THEN least(1.0, n / expected) END "
                 "FROM sca_sensor_day_summary WHERE table_id = %(table)s AND day >= %(start)s AND day <= %(end)s "
                 + ("AND district = ANY(%(districts)s) " if districts is not None else "")
                 + "ORDER BY district, day")
    # a year of every district: plain tuples from the driver, no ORM rows
    cursor = model.Session.connection().connection.cursor()
    try:
        cursor.execute(statement, {"table": table, "start": start, "end": end, "districts": districts})
        return cursor.fetchall()
    finally:
        cursor.close()


def area_sums(table: str, start: datetime.date, end: datetime.date, required: dict[datetime.date, int],
              usual_required: int, above: tuple[float | None, float]) -> list[tuple]:
    """Per area the sums the period figures of particulate matter need,
    without a row per day: (district, days with values, hours, most sensors,
    Σ completeness × hours, hours with a completeness, counted days, Σ and max
    of their means, counted days above ``above[0]`` and above ``above[1]``).
    A day counts with ``required`` hours (the days of clock changes) or
    ``usual_required`` (environment/figures.py decides both)."""
    statement = """
WITH days AS (
  SELECT s.district, s.hours, s.mean, coalesce(s.sensors, 0) AS sensors,
         CASE WHEN s.expected <> 0 THEN least(1.0, s.n / s.expected) END AS completeness,
         s.hours >= coalesce(r.required, %(usual)s) AS counts
  FROM sca_sensor_day_summary s
  LEFT JOIN unnest(%(odd_days)s::date[], %(odd_required)s::int[]) AS r(day, required) ON r.day = s.day
  WHERE s.table_id = %(table)s AND s.day >= %(start)s AND s.day <= %(end)s)
SELECT district, count(*), sum(hours), max(sensors),
       sum(completeness * hours), sum(hours) FILTER (WHERE completeness IS NOT NULL),
       count(*) FILTER (WHERE counts), sum(mean) FILTER (WHERE counts), max(mean) FILTER (WHERE counts),
       count(*) FILTER (WHERE counts AND mean > %(first)s), count(*) FILTER (WHERE counts AND mean > %(second)s)
FROM days GROUP BY district"""
    cursor = model.Session.connection().connection.cursor()
    try:
        cursor.execute(statement, {"table": table, "start": start, "end": end, "usual": usual_required,
                                   "odd_days": list(required), "odd_required": list(required.values()),
                                   "first": above[0], "second": above[1]})
        return cursor.fetchall()
    finally:
        cursor.close()


def hours_of_day(table: str, start: datetime.date, end: datetime.date) -> list:
    """Per area and local hour of day (0–23) the sums over the days start …
    end: ``hours{h}``, ``energy{h}``, ``n{h}``, ``expected{h}`` and ``sensors``."""
    columns = ", ".join(f"sum(hour_count[{h + 1}]) AS hours{h}, sum(hour_energy[{h + 1}]) AS energy{h}, "
                        f"sum(hour_n[{h + 1}]) AS n{h}, sum(hour_expected[{h + 1}]) AS expected{h}"
                        for h in range(HOURS))
    # whole months from the month rows, the days of a month cut by start or end from the day rows
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - datetime.timedelta(days=1) == end else end.replace(day=1)
    statement = f"""
SELECT district, max(sensors) AS sensors, {columns} FROM (
  SELECT district, sensors, hour_count, hour_energy, hour_n, hour_expected FROM sca_sensor_month_summary
  WHERE table_id = :table AND month >= :first AND month < :after
  UNION ALL
  SELECT district, sensors, hour_count, hour_energy, hour_n, hour_expected FROM sca_sensor_day_summary
  WHERE table_id = :table AND day >= :start AND day <= :end AND hour_count IS NOT NULL
    AND NOT (day >= :first AND day < :after)) parts
GROUP BY district"""
    return model.Session.execute(sa.text(statement), {"table": table, "start": start, "end": end,
                                                      "first": first, "after": max(first, after)}).all()


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
