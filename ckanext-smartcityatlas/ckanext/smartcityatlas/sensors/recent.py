# SPDX-License-Identifier: AGPL-3.0-or-later
"""The recent hourly values of several sensor tables in one DataStore query.

For the sensor layer (``layer.py``): per table its newest window, and per
sensor its latest valid row and the means of its recent windows, for all
tables at once (one statement: each table's part is a union member), so
the layer costs one round trip whatever the number of phenomena and
sensors. The caller checks that it may read each table
(``datastore_search``'s own auth) before asking; this module only reads.

A table's newest window is found through its indexed local ``day`` (the
newest window lies on the newest day), its recent rows through ``day``
and the window start; the rows of one sensor are aggregated in the
database, never fetched one by one.
"""
from __future__ import annotations

import dataclasses
import datetime

import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_read_engine, identifier

# the fields of a sensor's latest valid row (publish.SENSOR_FIELDS, WINDOW_FIELDS, STAT_FIELDS)
LATEST_FIELDS = ("box_id", "district", "lon", "lat", "window_start_utc", "window_start", "window_end", "count",
                 "mean", "completeness")
ZONE = "Europe/Berlin"


@dataclasses.dataclass
class TableRecent:
    """One table's newest window (UTC, naive) and its sensors' recent values."""

    newest: datetime.datetime | None
    # sensor id → its latest valid row (LATEST_FIELDS) or None, and the
    # (seconds before the newest window, mean) of its windows with readings
    sensors: dict[str, tuple[dict | None, list[tuple[int, float | None]]]] = \
        dataclasses.field(default_factory=dict)


def existing_tables(tables: list[str]) -> set[str]:
    """Of these DataStore tables, those that exist (a dataset harvested
    before its first aggregate has none yet)."""
    if not tables:
        return set()
    with get_read_engine().connect() as connection:
        rows = connection.execute(sa.text("SELECT relname FROM pg_class WHERE relname = ANY(:names) "
                                          "AND relkind IN ('r', 'p', 'v')"), {"names": list(tables)})
        return {row[0] for row in rows}


def _part(position: int, table: str, by_sensor: bool) -> str:
    """The union member of one table: a row per sensor with recent values,
    or one row without a sensor when it has none."""
    t = identifier(table)
    columns = ", ".join(f"r.{identifier(f)}" for f in ("sensor_id", *LATEST_FIELDS))
    latest = ", ".join(f"latest.{identifier(f)}" for f in LATEST_FIELDS)
    sensor_filter = "AND r.sensor_id = :sensor_id" if by_sensor else ""
    return f"""(
  WITH newest AS (SELECT max(window_start_utc) AS ts FROM {t} WHERE day = (SELECT max(day) FROM {t})),
  rows AS (
    SELECT {columns} FROM newest JOIN {t} r
      ON r.day >= timezone('{ZONE}', timezone('UTC', newest.ts - make_interval(hours => :span)))::date
     AND r.window_start_utc >= newest.ts - make_interval(hours => :span) {sensor_filter}
    WHERE r.count <> 0),
  latest AS (
    SELECT DISTINCT ON (sensor_id) * FROM rows WHERE mean IS NOT NULL ORDER BY sensor_id, window_start_utc DESC),
  series AS (
    SELECT rows.sensor_id, array_agg(extract(epoch FROM newest.ts - rows.window_start_utc)::int
                                     ORDER BY rows.window_start_utc) AS ages,
           array_agg(rows.mean ORDER BY rows.window_start_utc) AS means
    FROM rows, newest GROUP BY rows.sensor_id)
  SELECT {position} AS part, newest.ts AS newest, series.sensor_id, {latest}, series.ages, series.means
  FROM newest LEFT JOIN series ON true LEFT JOIN latest ON latest.sensor_id = series.sensor_id)"""


def recent(tables: list[str], hours: int, sensor_id: str | None = None) -> dict[str, TableRecent]:
    """Per table: its newest window and, per sensor, the rows of the
    ``hours`` windows up to it (the newest included)."""
    if not tables:
        return {}
    statement = "\nUNION ALL\n".join(_part(i, table, sensor_id is not None) for i, table in enumerate(tables))
    params = {"span": max(hours, 1) - 1, "sensor_id": sensor_id}
    out = {table: TableRecent(newest=None) for table in tables}
    with get_read_engine().connect() as connection:
        for row in connection.execute(sa.text(statement), params).mappings():
            entry = out[tables[row["part"]]]
            entry.newest = row["newest"]
            if row["sensor_id"] is None:
                continue
            latest = {f: row[f] for f in LATEST_FIELDS} if row["window_start_utc"] is not None else None
            entry.sensors[row["sensor_id"]] = (latest, list(zip(row["ages"], row["means"])))
    return out
