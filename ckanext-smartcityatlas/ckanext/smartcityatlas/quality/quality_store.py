# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sca_quality table (the current score per dataset) and
sca_quality_history (one row per change of a score)."""
from __future__ import annotations

import datetime
import json

import sqlalchemy as sa

from ckan import model

_meta = sa.MetaData()
quality = sa.Table(
    "sca_quality", _meta,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("score", sa.Integer),
    sa.Column("points", sa.Integer),
    sa.Column("max_points", sa.Integer),
    sa.Column("failed", sa.UnicodeText),
    sa.Column("stale", sa.Boolean),
    sa.Column("frequency", sa.UnicodeText),
    sa.Column("last_update", sa.DateTime),
    sa.Column("computed_at", sa.DateTime),
)
history = sa.Table(
    "sca_quality_history", _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("score", sa.Integer),
    sa.Column("computed_at", sa.DateTime),
)


def save(package_id: str, owner_org: str | None, score: int, points: int, max_points: int,
         failed: list[str], stale: bool, frequency: str | None, last_update: datetime.datetime | None,
         computed_at: datetime.datetime) -> None:
    """Store the current score inside the caller's transaction; a history row
    only when the score changed (re-saving an unchanged record adds none).
    One statement: it runs for every saved dataset."""
    model.Session.execute(sa.text(
        "WITH previous AS (SELECT score, owner_org FROM sca_quality WHERE package_id = :package_id), "
        "saved AS (INSERT INTO sca_quality (package_id, owner_org, score, points, max_points, failed, "
        "    stale, frequency, last_update, computed_at) "
        "  VALUES (:package_id, :owner_org, :score, :points, :max_points, :failed, :stale, :frequency, "
        "    :last_update, :computed_at) "
        "  ON CONFLICT (package_id) DO UPDATE SET owner_org = EXCLUDED.owner_org, score = EXCLUDED.score, "
        "    points = EXCLUDED.points, max_points = EXCLUDED.max_points, failed = EXCLUDED.failed, "
        "    stale = EXCLUDED.stale, frequency = EXCLUDED.frequency, last_update = EXCLUDED.last_update, "
        "    computed_at = EXCLUDED.computed_at) "
        "INSERT INTO sca_quality_history (package_id, owner_org, score, computed_at) "
        "SELECT :package_id, :owner_org, :score, :computed_at "
        "WHERE NOT EXISTS (SELECT 1 FROM previous WHERE score = :score "
        "                  AND owner_org IS NOT DISTINCT FROM :owner_org)"),
        {"package_id": package_id, "owner_org": owner_org, "score": score, "points": points,
         "max_points": max_points, "failed": json.dumps(failed), "stale": stale, "frequency": frequency,
         "last_update": last_update, "computed_at": computed_at})


def load(package_id: str) -> dict | None:
    row = model.Session.execute(sa.select(quality).where(quality.c.package_id == package_id)).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["failed"] = json.loads(found["failed"] or "[]")
    return found


def history_rows(owner_orgs: list[str] | None, since: datetime.datetime) -> list[dict]:
    """Score changes since ``since`` plus, per dataset, the last one before it
    (the state at the start of the window)."""
    query = sa.select(history).order_by(history.c.computed_at)
    if owner_orgs is not None:
        query = query.where(history.c.owner_org.in_(owner_orgs))
    rows = [dict(r) for r in model.Session.execute(query).mappings()]
    before: dict[str, dict] = {}
    within = []
    for r in rows:
        if r["computed_at"] < since:
            before[r["package_id"]] = r
        else:
            within.append(r)
    return list(before.values()) + within


def stale_candidates() -> list:
    """Rows (package_id, stale, frequency, last_update) of every scored
    dataset with a frequency: their staleness can change without a save."""
    return model.Session.execute(
        sa.select(quality.c.package_id, quality.c.stale, quality.c.frequency, quality.c.last_update)
        .where(quality.c.frequency.isnot(None))).all()
