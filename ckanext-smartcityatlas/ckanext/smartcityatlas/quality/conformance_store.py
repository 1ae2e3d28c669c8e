# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sca_validation table: the latest DCAT-AP.de validation findings of
every dataset (created by the plugin's alembic migration)."""
from __future__ import annotations

import datetime
import json

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

_meta = sa.MetaData()
validation = sa.Table(
    "sca_validation", _meta,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("profile", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("violations", sa.Integer),
    sa.Column("warnings", sa.Integer),
    sa.Column("results", sa.UnicodeText),
    sa.Column("computed_at", sa.DateTime),
)


def save(package_id: str, profile: str, status: str, results: list[dict],
         computed_at: datetime.datetime) -> None:
    """Insert or replace the findings of one dataset, inside the caller's
    transaction (the dataset save commits them, or rolls them back)."""
    values = {
        "profile": profile,
        "status": status,
        "violations": sum(1 for r in results if r["severity"] == "Violation"),
        "warnings": sum(1 for r in results if r["severity"] == "Warning"),
        "results": json.dumps(results, ensure_ascii=False),
        "computed_at": computed_at,
    }
    statement = postgresql.insert(validation).values(package_id=package_id, **values)
    model.Session.execute(statement.on_conflict_do_update(index_elements=["package_id"], set_=values))


def load(package_id: str) -> dict | None:
    row = model.Session.execute(
        sa.select(validation).where(validation.c.package_id == package_id)
    ).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["results"] = json.loads(found["results"] or "[]")
    return found


def delete(package_id: str) -> None:
    model.Session.execute(validation.delete().where(validation.c.package_id == package_id))
