# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scores datasets (``score``) and keeps the scores (``quality_store``)."""
from __future__ import annotations

import datetime

from ckan import model

from ckanext.smartcityatlas.quality import link_store, quality_store, score


def org_has_contact(owner_org: str | None) -> bool:
    """Whether the dataset's organisation names a functional contact
    (organisation schema: contact_email / contact_url)."""
    if not owner_org:
        return False
    # usually the organisation's id: the session's identity map answers a
    # harvest's thousands of records of one organisation without a query
    group = model.Session.get(model.Group, owner_org) or model.Group.get(owner_org)
    if group is None:
        return False
    extras = group.extras or {}
    return bool(extras.get("contact_email") or extras.get("contact_url"))


def score_and_store(pkg: dict, findings_status: str | None,
                    now: datetime.datetime | None = None) -> score.Score:
    findings = {"status": findings_status} if findings_status else None
    result = score.compute(pkg, findings, org_has_contact(pkg.get("owner_org")), now,
                           link_store.broken_resources(pkg["id"]))
    quality_store.save(pkg["id"], pkg.get("owner_org"), result.score, result.points, result.max_points,
                       result.failed, result.stale, pkg.get("frequency") or None, result.last_update,
                       result.computed_at)
    return result


def stored(package_id: str) -> dict | None:
    row = quality_store.load(package_id)
    if row is None:
        return None
    return {
        "score": row["score"], "points": row["points"], "max_points": row["max_points"],
        "rating": score.rating(row["score"]),
        "failed": row["failed"], "stale": row["stale"],
        "last_update": row["last_update"].isoformat() if row["last_update"] else None,
        "computed_at": row["computed_at"].isoformat(),
    }
