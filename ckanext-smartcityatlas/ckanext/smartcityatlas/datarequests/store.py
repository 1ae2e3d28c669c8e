# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sca_datarequest table (created by the plugin's alembic migration)."""
from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa

from ckan import model

_meta = sa.MetaData()
datarequest = sa.Table(
    "sca_datarequest", _meta,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("title", sa.UnicodeText),
    sa.Column("description", sa.UnicodeText),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("reason", sa.UnicodeText),
    sa.Column("requester_email", sa.UnicodeText),
    sa.Column("contact_purged", sa.DateTime),
    sa.Column("created", sa.DateTime),
    sa.Column("updated", sa.DateTime),
    sa.Column("updated_by", sa.UnicodeText),
    # when the request was first answered (migration c4e7a1b9d3f6); a later edit or reopening keeps it
    sa.Column("answered", sa.DateTime),
)
# the statuses that answer a request
ANSWERED = ("published", "declined")


def now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def insert(**values) -> dict:
    stamp = now()
    row = {"id": str(uuid.uuid4()), "status": "open", "created": stamp, "updated": stamp, **values}
    model.Session.execute(datarequest.insert().values(**row))
    model.Session.commit()
    return row


def get(request_id: str) -> dict | None:
    row = model.Session.execute(
        sa.select(datarequest).where(datarequest.c.id == request_id)).mappings().first()
    return dict(row) if row else None


MAX_WORDS = 10


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def text_match(q: str):
    """Requests whose title or description has the words of ``q``: as German
    word forms (full-text search) or, each word, as a part of the text."""
    text = sa.func.coalesce(datarequest.c.title, "") + " " + sa.func.coalesce(datarequest.c.description, "")
    words = q.split()[:MAX_WORDS]
    german = sa.literal_column("'german'::regconfig")
    as_forms = sa.func.to_tsvector(german, text).op("@@")(sa.func.plainto_tsquery(german, " ".join(words)))
    as_parts = sa.and_(*[text.ilike(_like(word), escape="\\") for word in words])
    return sa.or_(as_forms, as_parts)


def listing(status: str | None, org_id: str | None, limit: int, offset: int,
            q: str | None = None) -> tuple[int, list[dict]]:
    query = sa.select(datarequest)
    if q and q.split():
        query = query.where(text_match(q))
    if status:
        query = query.where(datarequest.c.status == status)
    if org_id:
        query = query.where(datarequest.c.owner_org == org_id)
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(datarequest.c.created.desc(), datarequest.c.id).limit(limit).offset(offset)).mappings()
    return count, [dict(r) for r in rows]


def open_for(org_ids: list[str]) -> list[dict]:
    """Requests still open or in review for these organisations, oldest first."""
    rows = model.Session.execute(
        sa.select(datarequest).where(datarequest.c.owner_org.in_(org_ids),
                                     datarequest.c.status.in_(("open", "in_review")))
        .order_by(datarequest.c.created)).mappings()
    return [dict(r) for r in rows]


def update(request_id: str, **values) -> None:
    model.Session.execute(datarequest.update().where(datarequest.c.id == request_id)
                          .values(updated=now(), **values))
    model.Session.commit()


def purge_contacts(older_than: datetime.datetime) -> int:
    """Delete the requesters' addresses of requests created before ``older_than``."""
    result = model.Session.execute(
        datarequest.update()
        .where(datarequest.c.created < older_than, datarequest.c.contact_purged.is_(None),
               datarequest.c.requester_email.isnot(None))
        .values(requester_email=None, contact_purged=now()))
    model.Session.commit()
    return result.rowcount
