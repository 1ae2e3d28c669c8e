# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_monitor_history: the value of every portal indicator per quarter.

A snapshot writes the current quarter's row of each indicator (replacing
the one written earlier in the same quarter); rows of past quarters are
never touched again, so the trend is what the portal really showed then.
The scheduler takes a snapshot when the current quarter's is older than
``REFRESH_HOURS`` (``snapshot_if_due``); ``ckan sca monitor-snapshot`` takes
one at once.
"""
from __future__ import annotations

import datetime
import json

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.monitoring import overview

register = Registry()

REFRESH_HOURS = 24
SNAPSHOT = "snapshot"
DEMO = "demo"

_meta = sa.MetaData()
history = sa.Table(
    "sca_monitor_history", _meta,
    sa.Column("indicator_id", sa.UnicodeText, primary_key=True),
    sa.Column("period", sa.UnicodeText, primary_key=True),
    sa.Column("period_end", sa.Date),
    sa.Column("value", sa.Float),
    sa.Column("breakdown", sa.UnicodeText),
    sa.Column("origin", sa.UnicodeText),
    sa.Column("recorded_at", sa.DateTime),
)


def quarter_of(day: datetime.date) -> dict:
    """The quarter ``day`` lies in: label ("2026 Q4"), start, end."""
    return overview.last_quarters(day, 1)[0]


def store(indicator_id: str, quarter: dict, value: float | None, breakdown: list[dict], origin: str = SNAPSHOT,
          now: datetime.datetime | None = None) -> None:
    """Insert or replace one indicator's row of one quarter (caller commits)."""
    values = {"period_end": quarter["end"], "value": value, "origin": origin,
              "breakdown": json.dumps([{"key": b["key"], "value": b["value"]} for b in breakdown],
                                      ensure_ascii=False),
              "recorded_at": now or datetime.datetime.utcnow()}
    statement = postgresql.insert(history).values(indicator_id=indicator_id, period=quarter["label"], **values)
    model.Session.execute(statement.on_conflict_do_update(index_elements=["indicator_id", "period"], set_=values))


def snapshot(today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Compute every portal indicator (public view) and store it as the
    current quarter's value; returns how many were stored."""
    from ckanext.smartcityatlas.monitoring import indicators

    today = today or datetime.date.today()
    quarter = quarter_of(today)
    figures = indicators.compute(today)
    for figure in figures:
        store(figure["id"], quarter, figure["value"], figure["breakdown"], SNAPSHOT, now)
    model.Session.commit()
    return len(figures)


def last_snapshot(quarter_label: str) -> datetime.datetime | None:
    return model.Session.execute(
        sa.select(sa.func.max(history.c.recorded_at)).where(history.c.period == quarter_label)
        .where(history.c.origin == SNAPSHOT)).scalar()


@register.periodic_task("monitor_snapshot")
def snapshot_if_due(now: datetime.datetime | None = None) -> bool:
    """Scheduler task: a snapshot when the current quarter has none younger
    than REFRESH_HOURS (the scheduler ticks every minute; the indicators
    need not be recomputed that often)."""
    now = now or datetime.datetime.utcnow()
    last = last_snapshot(quarter_of(now.date())["label"])
    if last is not None and now - last < datetime.timedelta(hours=REFRESH_HOURS):
        return False
    snapshot(now.date(), now)
    return True


def rows(periods: list[str]) -> dict[str, dict[str, dict]]:
    """{indicator_id: {period: {value, origin}}} of the given quarters."""
    out: dict[str, dict[str, dict]] = {}
    if not periods:
        return out
    found = model.Session.execute(
        sa.select(history.c.indicator_id, history.c.period, history.c.value, history.c.origin)
        .where(history.c.period.in_(periods))).mappings()
    for r in found:
        out.setdefault(r["indicator_id"], {})[r["period"]] = {"value": r["value"], "origin": r["origin"]}
    return out


def version() -> str:
    """Changes with every stored row (part of the monitor's cache key)."""
    count, latest = model.Session.execute(
        sa.select(sa.func.count(), sa.func.max(history.c.recorded_at)).select_from(history)).one()
    return f"{count}:{latest}"
