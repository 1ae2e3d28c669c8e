# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_status_history: one row per status change of a project, with the
date from which it holds (recorded on every save that changes a status)."""
from __future__ import annotations

import datetime

import sqlalchemy as sa

from ckan import model

from ckanext.smartcityatlas.monitoring.overview import as_date

_meta = sa.MetaData()
history = sa.Table(
    "sca_status_history", _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("effective_date", sa.Date),
    sa.Column("recorded_at", sa.DateTime),
    sa.Column("source", sa.UnicodeText),
)


def record_status(package_id: str, status: str, effective, source: str = "",
                  now: datetime.datetime | None = None) -> bool:
    """Inside the caller's transaction: a row when the status differs from
    the last recorded one (saving an unchanged status adds none)."""
    now = now or datetime.datetime.utcnow()
    last = model.Session.execute(
        sa.select(history.c.status).where(history.c.package_id == package_id)
        .order_by(history.c.recorded_at.desc(), history.c.id.desc()).limit(1)).scalar()
    if last == status:
        return False
    model.Session.execute(history.insert().values(
        package_id=package_id, status=status, effective_date=as_date(effective) or now.date(),
        recorded_at=now, source=source or ""))
    return True


def on_saved(context: dict, data: dict) -> None:
    """after_dataset_create / after_dataset_update of a project."""
    if data.get("type") != "project" or not data.get("id") or not data.get("status"):
        return
    record_status(data["id"], data["status"], data.get("status_updated"),
                  source=context.get("sca_harvest_source") or "")


def timeline(package_id: str) -> list[dict]:
    rows = model.Session.execute(
        sa.select(history.c.status, history.c.effective_date, history.c.recorded_at, history.c.source)
        .where(history.c.package_id == package_id)
        .order_by(history.c.effective_date, history.c.recorded_at, history.c.id)).mappings()
    return [dict(r) for r in rows]


def timelines(package_ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {pid: [] for pid in package_ids}
    if not package_ids:
        return out
    rows = model.Session.execute(
        sa.select(history.c.package_id, history.c.status, history.c.effective_date, history.c.recorded_at)
        .where(history.c.package_id.in_(package_ids))
        .order_by(history.c.effective_date, history.c.recorded_at, history.c.id)).mappings()
    for r in rows:
        out[r["package_id"]].append(dict(r))
    return out
