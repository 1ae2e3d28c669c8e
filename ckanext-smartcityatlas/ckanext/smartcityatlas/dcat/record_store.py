# SPDX-License-Identifier: AGPL-3.0-or-later
"""The sca_dcat_record table: each dataset's RDF text per profile and
format, with the fingerprint of what it was made from (created by the
plugin's alembic migration).

PostgreSQL rather than Redis: the parts grow with the catalogue (some 5 kB
of text per dataset, profile and format; about 15 kB on disk per dataset for
two profiles and three formats after PostgreSQL's TOAST compression, some
300 MB for 20,000 datasets), which belongs on disk and not in the Redis that
also holds CKAN's job queues; they survive restarts; and a
purged dataset takes its rows with it (foreign key). Rows are written in
their own short transaction, so a catalog request (a GET) never commits the
caller's session.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import logging
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

log = logging.getLogger(__name__)

TABLE = "sca_dcat_record"
_meta = sa.MetaData()
records = sa.Table(
    TABLE, _meta,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("profile", sa.UnicodeText, primary_key=True),
    sa.Column("format", sa.UnicodeText, primary_key=True),
    sa.Column("fingerprint", sa.UnicodeText),
    sa.Column("subject", sa.UnicodeText),
    sa.Column("prefixes", sa.UnicodeText),
    sa.Column("body", sa.UnicodeText),
    sa.Column("built_at", sa.DateTime),
)
# rows per INSERT statement (some 10 kB each)
WRITE_BATCH = 250


@dataclasses.dataclass(frozen=True)
class Stored:
    """One dataset's text in one profile and format."""
    package_id: str
    fingerprint: str
    subject: str
    prefixes: dict[str, str]
    body: str


def _select(columns, profile: str, fmt: str, package_ids: Iterable[str]) -> list:
    ids = list(package_ids)
    if not ids:
        return []
    c = records.c
    return model.Session.execute(
        sa.select(*columns).where(c.profile == profile, c.format == fmt, c.package_id.in_(ids))).all()


def load(profile: str, fmt: str, package_ids: Iterable[str]) -> dict[str, Stored]:
    c = records.c
    rows = _select((c.package_id, c.fingerprint, c.subject, c.prefixes, c.body), profile, fmt, package_ids)
    return {row.package_id: Stored(row.package_id, row.fingerprint, row.subject, json.loads(row.prefixes), row.body)
            for row in rows}


def fingerprints(profile: str, fmt: str, package_ids: Iterable[str]) -> dict[str, str]:
    """What the stored texts were made from, without the texts (the background build)."""
    return dict(_select((records.c.package_id, records.c.fingerprint), profile, fmt, package_ids))


def save(profile: str, fmt: str, parts: Iterable[Stored]) -> int:
    """Insert or replace texts in a transaction of their own; how many were
    written. A dataset purged in the meantime (foreign key) costs only the
    write: the texts are built again on their next use."""
    now = datetime.datetime.utcnow()
    # one order for every writer: concurrent upserts never wait on each other crosswise
    rows = sorted(({"package_id": p.package_id, "profile": profile, "format": fmt, "fingerprint": p.fingerprint,
                    "subject": p.subject, "prefixes": json.dumps(p.prefixes, sort_keys=True), "body": p.body,
                    "built_at": now} for p in parts), key=lambda r: r["package_id"])
    written = 0
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start:start + WRITE_BATCH]
        statement = postgresql.insert(records).values(batch)
        statement = statement.on_conflict_do_update(
            index_elements=["package_id", "profile", "format"],
            set_={key: statement.excluded[key] for key in ("fingerprint", "subject", "prefixes", "body", "built_at")})
        try:
            with model.meta.engine.begin() as connection:
                connection.execute(statement)
            written += len(batch)
        except sa.exc.IntegrityError:
            log.info("DCAT record cache: a dataset of this batch was purged meanwhile; not stored")
    return written


def delete(package_ids: Iterable[str]) -> int:
    """Drop the texts of datasets that left the catalog (deleted, private, withheld)."""
    ids = list(package_ids)
    if not ids:
        return 0
    with model.meta.engine.begin() as connection:
        return connection.execute(records.delete().where(records.c.package_id.in_(ids))).rowcount


def clear() -> int:
    with model.meta.engine.begin() as connection:
        return connection.execute(records.delete()).rowcount


def stored_ids() -> set[str]:
    return {row[0] for row in model.Session.execute(sa.select(records.c.package_id).distinct())}


def size() -> dict:
    """Rows, text bytes and the table's size on disk (with TOAST and index)."""
    c = records.c
    rows, text = model.Session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.func.octet_length(c.body)), 0))
    ).one()
    disk = model.Session.execute(sa.text(f"SELECT pg_total_relation_size('{TABLE}')")).scalar()
    datasets = model.Session.execute(sa.select(sa.func.count(sa.distinct(c.package_id)))).scalar()
    return {"rows": rows, "datasets": datasets, "text_bytes": int(text), "disk_bytes": int(disk)}
