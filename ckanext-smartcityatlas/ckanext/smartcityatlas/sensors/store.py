# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sensor harvester's own tables (migration d3a9e6f2c1b8).

``sca_sensor``: per harvest source and sensor what may be published (box
id, district, coarse position) and how far it was fetched; ``sca_sensor_reading``:
raw readings until their day is aggregated and closed (retention);
``sca_sensor_dirty``: local days whose aggregates must be (re)computed;
``sca_sensor_source``: the time before which days are closed.
"""
from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

_meta = sa.MetaData()
TS = sa.DateTime(timezone=True)
sensor = sa.Table(
    "sca_sensor", _meta,
    sa.Column("source_id", sa.UnicodeText, primary_key=True),
    sa.Column("sensor_id", sa.UnicodeText, primary_key=True),
    sa.Column("box_id", sa.UnicodeText),
    sa.Column("phenomenon", sa.UnicodeText),
    sa.Column("unit_factor", sa.Float),
    sa.Column("district", sa.UnicodeText),
    sa.Column("lon", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("first_ts", TS),
    sa.Column("last_ts", TS),
)
reading = sa.Table(
    "sca_sensor_reading", _meta,
    sa.Column("source_id", sa.UnicodeText, primary_key=True),
    sa.Column("sensor_id", sa.UnicodeText, primary_key=True),
    sa.Column("ts", TS, primary_key=True),
    sa.Column("value", sa.Float),
    sa.Column("district", sa.UnicodeText),
)
dirty = sa.Table(
    "sca_sensor_dirty", _meta,
    sa.Column("source_id", sa.UnicodeText, primary_key=True),
    sa.Column("phenomenon", sa.UnicodeText, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
)
source_state = sa.Table(
    "sca_sensor_source", _meta,
    sa.Column("source_id", sa.UnicodeText, primary_key=True),
    sa.Column("closed_before", TS),
)
UTC = datetime.timezone.utc


def ms_to_dt(ms: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ms / 1000, UTC)


def dt_to_ms(value: datetime.datetime) -> int:
    return int(round(value.timestamp() * 1000))


def sensors(source_id: str, phenomenon: str | None = None) -> dict[str, dict]:
    query = sa.select(sensor).where(sensor.c.source_id == source_id)
    if phenomenon:
        query = query.where(sensor.c.phenomenon == phenomenon)
    return {row["sensor_id"]: dict(row) for row in model.Session.execute(query).mappings()}


def save_sensor(source_id: str, sensor_id: str, **values) -> None:
    statement = postgresql.insert(sensor).values(source_id=source_id, sensor_id=sensor_id, **values)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["source_id", "sensor_id"], set_=values))


def add_readings(source_id: str, sensor_id: str, rows: list[tuple[int, float]], district: str | None) -> int:
    """Insert readings; a (sensor, time) already stored is kept (first one wins). Returns the new ones."""
    if not rows:
        return 0
    values = [{"source_id": source_id, "sensor_id": sensor_id, "ts": ms_to_dt(ms), "value": v,
               "district": district} for ms, v in rows]
    inserted = 0
    for i in range(0, len(values), 5000):
        statement = postgresql.insert(reading).values(values[i:i + 5000]) \
            .on_conflict_do_nothing(index_elements=["source_id", "sensor_id", "ts"]) \
            .returning(reading.c.ts)
        inserted += len(model.Session.execute(statement).all())
    return inserted


def readings(source_id: str, sensor_ids, start: datetime.datetime, end: datetime.datetime):
    """{sensor_id: [(ms, value, district)]} of the given sensors in [start, end), by time."""
    out: dict[str, list] = {}
    if not sensor_ids:
        return out
    query = sa.select(reading.c.sensor_id, reading.c.ts, reading.c.value, reading.c.district) \
        .where(reading.c.source_id == source_id, reading.c.sensor_id.in_(list(sensor_ids)),
               reading.c.ts >= start, reading.c.ts < end) \
        .order_by(reading.c.sensor_id, reading.c.ts)
    for row in model.Session.execute(query):
        out.setdefault(row.sensor_id, []).append((dt_to_ms(row.ts), row.value, row.district))
    return out


def mark_dirty(source_id: str, phenomenon: str, days) -> None:
    rows = [{"source_id": source_id, "phenomenon": phenomenon, "day": d} for d in set(days)]
    if rows:
        model.Session.execute(postgresql.insert(dirty).values(rows).on_conflict_do_nothing())


def dirty_days(source_id: str, phenomenon: str) -> list[datetime.date]:
    query = sa.select(dirty.c.day).where(dirty.c.source_id == source_id, dirty.c.phenomenon == phenomenon) \
        .order_by(dirty.c.day)
    return [row.day for row in model.Session.execute(query)]


def clear_dirty(source_id: str, phenomenon: str, days) -> None:
    model.Session.execute(dirty.delete().where(
        dirty.c.source_id == source_id, dirty.c.phenomenon == phenomenon, dirty.c.day.in_(list(days))))


def closed_before(source_id: str) -> datetime.datetime | None:
    return model.Session.execute(sa.select(source_state.c.closed_before)
                                 .where(source_state.c.source_id == source_id)).scalar()


def prune(source_id: str, before: datetime.datetime) -> int:
    """Delete raw readings before ``before`` (their days are aggregated) and remember it."""
    previous = closed_before(source_id)
    if previous is not None and previous >= before:
        return 0
    # a day still waiting for its aggregates keeps its readings
    waiting = model.Session.execute(sa.select(sa.func.min(dirty.c.day))
                                    .where(dirty.c.source_id == source_id)).scalar()
    if waiting is not None:
        from ckanext.smartcityatlas.sensors.aggregate import day_window

        before = min(before, ms_to_dt(day_window(waiting).start_ms))
    deleted = model.Session.execute(reading.delete().where(
        reading.c.source_id == source_id, reading.c.ts < before)).rowcount
    statement = postgresql.insert(source_state).values(source_id=source_id, closed_before=before)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["source_id"], set_={"closed_before": before}))
    return deleted
