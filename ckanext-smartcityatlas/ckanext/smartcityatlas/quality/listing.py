# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading scores for the dashboard: the dataset list of offices, weekly
averages, the harvest sources of an office."""
from __future__ import annotations

import datetime
import json

import sqlalchemy as sa

from ckan import model

from ckanext.smartcityatlas.quality import quality_store, score
from ckanext.smartcityatlas.quality import conformance_store

SORTS = {
    "score": (quality_store.quality.c.score.asc(),),
    "-score": (quality_store.quality.c.score.desc(),),
    "title": (model.package_table.c.title.asc(),),
    "violations": (sa.func.coalesce(conformance_store.validation.c.violations, 0).desc(),),
    "last_update": (quality_store.quality.c.last_update.asc().nulls_first(),),
    "organization": (model.group_table.c.title.asc(),),
}
STATUSES = ("conforms", "warnings", "violations", "error", "not_validated")


def member_org_ids(user_name: str) -> list[str]:
    """Organisations the user is a member of (any capacity)."""
    user = model.User.get(user_name)
    if user is None:
        return []
    return [g.id for g in user.get_groups("organization")]


def datasets(org_ids: list[str] | None, *, sort: str = "score", stale: bool | None = None,
             status: str | None = None, q: str | None = None, limit: int = 100,
             offset: int = 0) -> tuple[int, list[dict]]:
    """Scored datasets (private ones included: the dashboard is for members),
    newest state, of the given organisations (None: all)."""
    p, g = model.package_table, model.group_table
    qt, vt = quality_store.quality, conformance_store.validation
    query = (
        sa.select(p.c.id, p.c.name, p.c.title, p.c.private, p.c.state, g.c.name.label("org_name"),
                  g.c.title.label("org_title"), qt.c.score, qt.c.points, qt.c.max_points, qt.c.failed,
                  qt.c.stale, qt.c.frequency, qt.c.last_update, qt.c.computed_at,
                  vt.c.status.label("validation_status"), vt.c.violations, vt.c.warnings,
                  _broken_links(p.c.id).label("broken_links"))
        .select_from(qt.join(p, p.c.id == qt.c.package_id)
                     .outerjoin(g, g.c.id == p.c.owner_org)
                     .outerjoin(vt, vt.c.package_id == qt.c.package_id))
        .where(p.c.state != "deleted", p.c.type == "dataset")
    )
    if org_ids is not None:
        query = query.where(p.c.owner_org.in_(org_ids))
    if stale is not None:
        query = query.where(qt.c.stale.is_(stale))
    if status == "not_validated":
        query = query.where(vt.c.status.is_(None))
    elif status:
        query = query.where(vt.c.status == status)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(p.c.title.ilike(pattern), p.c.name.ilike(pattern)))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(*SORTS[sort], p.c.name.asc()).limit(limit).offset(offset)).mappings()
    return count, [_result(r) for r in rows]


def summary(org_ids: list[str] | None) -> dict:
    """Counts over every scored dataset of the organisations (one query)."""
    p, qt, vt = model.package_table, quality_store.quality, conformance_store.validation
    query = (
        sa.select(sa.func.count(), sa.func.avg(qt.c.score),
                  sa.func.count().filter(sa.func.coalesce(vt.c.violations, 0) > 0),
                  sa.func.count().filter(qt.c.stale.is_(True)), sa.func.count().filter(p.c.private.is_(True)),
                  sa.func.count().filter(_broken_links(p.c.id) > 0))
        .select_from(qt.join(p, p.c.id == qt.c.package_id).outerjoin(vt, vt.c.package_id == qt.c.package_id))
        .where(p.c.state != "deleted", p.c.type == "dataset")
    )
    if org_ids is not None:
        query = query.where(p.c.owner_org.in_(org_ids))
    count, average, violations, stale, drafts, broken = model.Session.execute(query).one()
    return {"count": count, "average": round(float(average)) if average is not None else None,
            "violations": violations, "stale": stale, "drafts": drafts, "broken_links": broken}


def _broken_links(package_id):
    """How many of the dataset's active resources failed their last link check (current URL)."""
    from ckanext.smartcityatlas.quality import link_store

    ls, r = link_store.status, model.resource_table
    return (sa.select(sa.func.count()).select_from(ls.join(r, r.c.id == ls.c.resource_id))
            .where(ls.c.package_id == package_id, link_store.failing_clause(ls), r.c.url == ls.c.url,
                   r.c.state == "active")
            .scalar_subquery())


def currency(stale: bool | None, frequency: str | None) -> str:
    """One word for a dataset's currency, as the staleness check judges it:
    ``overdue``, ``current``, or ``no_interval`` when its update frequency
    has no period (none given, irregular, unknown): then it is never overdue,
    and the dashboard must not call it current."""
    if stale:
        return "overdue"
    return "current" if score.PERIOD_DAYS.get(frequency or "") else "no_interval"


def _result(r) -> dict:
    return {
        "id": r["id"], "name": r["name"], "title": r["title"], "private": r["private"],
        "state": r["state"], "organization": r["org_name"], "organization_title": r["org_title"],
        "score": r["score"], "rating": score.rating(r["score"]), "points": r["points"],
        "max_points": r["max_points"], "failed": json.loads(r["failed"] or "[]"),
        "validation_status": r["validation_status"] or "not_validated",
        "violations": r["violations"] or 0, "warnings": r["warnings"] or 0, "stale": r["stale"],
        "broken_links": r["broken_links"] or 0,
        "frequency": r["frequency"],
        "currency": currency(r["stale"], r["frequency"]),
        "last_update": r["last_update"].isoformat() if r["last_update"] else None,
        "computed_at": r["computed_at"].isoformat(),
    }


def weekly_history(org_ids: list[str] | None, weeks: int,
                   now: datetime.datetime | None = None) -> list[dict]:
    """Per ISO week (oldest first): the average of every dataset's score as it
    stood at the end of that week, from the history of score changes. Purged
    datasets leave the history with their rows."""
    now = now or datetime.datetime.utcnow()
    this_monday = (now - datetime.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                                         microsecond=0)
    starts = [this_monday - datetime.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    rows = quality_store.history_rows(org_ids, starts[0])
    deleted = _deleted_ids({r["package_id"] for r in rows})
    result = []
    for start in starts:
        end = min(start + datetime.timedelta(weeks=1), now)
        latest: dict[str, int] = {}
        for r in rows:  # ordered by time within the window
            if r["computed_at"] < end and r["package_id"] not in deleted:
                latest[r["package_id"]] = r["score"]
        iso = start.isocalendar()
        result.append({
            "week": f"{iso[0]}-W{iso[1]:02d}", "start": start.date().isoformat(),
            "datasets": len(latest),
            "average_score": round(sum(latest.values()) / len(latest), 1) if latest else None,
        })
    return result


def _deleted_ids(ids: set[str]) -> set[str]:
    if not ids:
        return set()
    p = model.package_table
    return {r.id for r in model.Session.execute(
        sa.select(p.c.id).where(p.c.id.in_(ids), p.c.state == "deleted"))}


def harvest_sources(org_ids: list[str] | None) -> list[dict]:
    """The organisations' harvest sources with their last job (ckanext-harvest)."""
    try:
        from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestSource
    except ImportError:
        return []
    p = model.package_table
    query = model.Session.query(HarvestSource, p.c.name, p.c.title).join(p, p.c.id == HarvestSource.id).filter(
        p.c.state == "active")
    if org_ids is not None:
        query = query.filter(p.c.owner_org.in_(org_ids))
    out = []
    for source, name, title in query.all():
        job = (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source.id)
               .order_by(HarvestJob.created.desc()).first())
        errors = 0
        if job is not None:
            errors = (model.Session.query(HarvestGatherError).filter(HarvestGatherError.harvest_job_id == job.id).count()
                      + model.Session.query(HarvestObjectError).join(HarvestObject)
                      .filter(HarvestObject.harvest_job_id == job.id).count())
        out.append({
            "id": source.id, "name": name, "title": title, "type": source.type, "active": source.active,
            "last_job_status": job.status if job else None,
            "last_job_finished": job.finished.isoformat() if job and job.finished else None,
            "last_job_errors": errors,
        })
    return out
