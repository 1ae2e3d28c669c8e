# SPDX-License-Identifier: AGPL-3.0-or-later
"""The link checker's tables: the latest result per resource
(``sca_link_status``) and every check (``sca_link_history``, pruned to the
last ``HISTORY_KEEP`` per resource). Created by the plugin's migration."""
from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ckan import model

HISTORY_KEEP = 30
FAILING = ("broken", "unreachable", "refused")
# a timeout or a DNS hiccup once is not a broken link: unreachable counts from the second check in a row
UNREACHABLE_AFTER = 2


def is_failing(state: str | None, failures: int | None) -> bool:
    return state in ("broken", "refused") or (state == "unreachable" and (failures or 0) >= UNREACHABLE_AFTER)


def failing_clause(table=None):
    """SQL: the status row counts as a failing link."""
    t = table if table is not None else status
    return sa.or_(t.c.status.in_(("broken", "refused")),
                  sa.and_(t.c.status == "unreachable", t.c.failures >= UNREACHABLE_AFTER))

_meta = sa.MetaData()
status = sa.Table(
    "sca_link_status", _meta,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText),
    sa.Column("url", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("http_status", sa.Integer),
    sa.Column("reason", sa.UnicodeText),
    sa.Column("final_url", sa.UnicodeText),
    sa.Column("response_ms", sa.Integer),
    sa.Column("checked_at", sa.DateTime),
    sa.Column("failing_since", sa.DateTime),
    sa.Column("failures", sa.Integer),
)
history = sa.Table(
    "sca_link_history", _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("resource_id", sa.UnicodeText),
    sa.Column("url", sa.UnicodeText),
    sa.Column("status", sa.UnicodeText),
    sa.Column("http_status", sa.Integer),
    sa.Column("reason", sa.UnicodeText),
    sa.Column("checked_at", sa.DateTime),
)


def record(resource_id: str, package_id: str, url: str, result, checked_at: datetime.datetime) -> bool:
    """Store one check; True if the resource's failing/ok state changed."""
    previous = model.Session.execute(
        sa.select(status.c.status, status.c.failing_since, status.c.failures, status.c.url)
        .where(status.c.resource_id == resource_id)).first()
    failing = result.status in FAILING
    was_failing = bool(previous) and previous.status in FAILING and previous.url == url
    counted_before = bool(previous) and previous.url == url and is_failing(previous.status, previous.failures)
    values = {
        "package_id": package_id, "url": url, "status": result.status, "http_status": result.http_status,
        "reason": result.reason, "final_url": result.final_url, "response_ms": result.response_ms,
        "checked_at": checked_at,
        "failing_since": (previous.failing_since if was_failing else checked_at) if failing else None,
        "failures": ((previous.failures or 0) + 1 if was_failing else 1) if failing else 0,
    }
    statement = postgresql.insert(status).values(resource_id=resource_id, **values)
    model.Session.execute(statement.on_conflict_do_update(index_elements=["resource_id"], set_=values))
    model.Session.execute(history.insert().values(
        resource_id=resource_id, url=url, status=result.status, http_status=result.http_status,
        reason=result.reason, checked_at=checked_at))
    model.Session.execute(sa.text(
        "DELETE FROM sca_link_history WHERE resource_id = :rid AND id NOT IN ("
        " SELECT id FROM sca_link_history WHERE resource_id = :rid ORDER BY checked_at DESC, id DESC"
        " LIMIT :keep)"), {"rid": resource_id, "keep": HISTORY_KEEP})
    return counted_before != is_failing(result.status, values["failures"])


def for_package(package_id: str) -> list[dict]:
    rows = model.Session.execute(
        sa.select(status).where(status.c.package_id == package_id)).mappings().all()
    return [dict(r) for r in rows]


def history_of(resource_id: str, limit: int = HISTORY_KEEP) -> list[dict]:
    rows = model.Session.execute(
        sa.select(history.c.url, history.c.status, history.c.http_status, history.c.reason, history.c.checked_at)
        .where(history.c.resource_id == resource_id)
        .order_by(history.c.checked_at.desc(), history.c.id.desc()).limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def broken_resources(package_id: str) -> set[str]:
    """Resources of the dataset whose current URL failed its last check."""
    r = model.resource_table
    rows = model.Session.execute(
        sa.select(status.c.resource_id).select_from(status.join(r, r.c.id == status.c.resource_id))
        .where(status.c.package_id == package_id, failing_clause(), r.c.url == status.c.url,
               r.c.state == "active"))
    return {row[0] for row in rows}


def due(older_than: datetime.datetime, limit: int, retry_before: datetime.datetime | None = None
        ) -> list[tuple[str, str, str]]:
    """(resource id, dataset id, url) never checked, checked before ``older_than``, unreachable at
    a check before ``retry_before`` (confirmed or cleared soon, not a day later) or whose URL
    changed since; active resources of active datasets, the longest unchecked first."""
    rows = model.Session.execute(sa.text(
        "SELECT r.id, r.package_id, r.url FROM resource r "
        "JOIN package p ON p.id = r.package_id AND p.state = 'active' "
        "LEFT JOIN sca_link_status s ON s.resource_id = r.id "
        "WHERE r.state = 'active' AND r.url LIKE 'http%' "
        "AND (s.resource_id IS NULL OR s.checked_at < :older OR s.url <> r.url "
        "     OR (s.status = 'unreachable' AND s.failures < :confirm AND s.checked_at < :retry)) "
        "ORDER BY s.checked_at NULLS FIRST, r.id LIMIT :limit"),
        {"older": older_than, "limit": limit, "retry": retry_before or older_than,
         "confirm": UNREACHABLE_AFTER})
    return [tuple(r) for r in rows]
