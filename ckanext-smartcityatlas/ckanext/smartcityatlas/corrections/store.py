# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sca_correction table (created by the plugin's alembic migration)."""
from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa

from ckan import model

_meta = sa.MetaData()
correction = sa.Table(
    "sca_correction", _meta,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("kind", sa.UnicodeText),
    sa.Column("message", sa.UnicodeText),
    sa.Column("contact_name", sa.UnicodeText),
    sa.Column("contact_email", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("moderator_note", sa.UnicodeText),
    sa.Column("moderated_by", sa.UnicodeText),
    sa.Column("created", sa.DateTime),
    sa.Column("moderated", sa.DateTime),
    sa.Column("contact_purged", sa.DateTime),
)


def now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def insert(**values) -> dict:
    row = {"id": str(uuid.uuid4()), "status": "open", "created": now(), **values}
    model.Session.execute(correction.insert().values(**row))
    model.Session.commit()
    return row


def get(correction_id: str) -> dict | None:
    row = model.Session.execute(sa.select(correction).where(correction.c.id == correction_id)).mappings().first()
    return dict(row) if row else None


def listing(org_ids: list[str] | None, status: str | None, limit: int, offset: int) -> list[dict]:
    query = sa.select(correction).order_by(correction.c.created.desc()).limit(limit).offset(offset)
    if org_ids is not None:
        query = query.where(correction.c.owner_org.in_(org_ids))
    if status:
        query = query.where(correction.c.status == status)
    return [dict(r) for r in model.Session.execute(query).mappings()]


def update(correction_id: str, **values) -> None:
    model.Session.execute(correction.update().where(correction.c.id == correction_id).values(**values))
    model.Session.commit()


def purge_contacts(older_than: datetime.datetime) -> int:
    """Delete the submitters' contact data of entries created before older_than."""
    result = model.Session.execute(
        correction.update()
        .where(correction.c.created < older_than, correction.c.contact_purged.is_(None))
        .values(contact_name=None, contact_email=None, contact_purged=now())
    )
    model.Session.commit()
    return result.rowcount
