# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_validation_show``: a record's stored DCAT-AP.de findings."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.quality import schema
from ckanext.smartcityatlas.quality import conformance
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def _readable_package(context, data_dict, auth: str) -> model.Package:
    """The dataset named by ``id``, if the caller may read it (the auth
    functions follow package_show)."""
    pkg = model.Package.get(data_dict["id"])
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access(auth, context, {"id": pkg.id})
    return pkg


@register.action
@tk.side_effect_free
@validated(schema.sca_validation_show)
def sca_validation_show(context, data_dict):
    """The DCAT-AP.de violations and warnings stored for a dataset when it
    was last saved.

    :param id: the dataset's id or name
    :returns: ``id``, ``profile``, ``status`` (``conforms``, ``warnings``,
        ``violations``, ``error``, ``not_validated`` for records saved before
        validation existed, ``not_applicable`` for actors and projects),
        ``conforms``, ``computed_at`` (ISO 8601, UTC) and the lists
        ``violations`` and ``warnings`` of ``{severity, message, path, value,
        focus}``
    """
    # exactly who may see the record (package_show) may see its findings
    pkg = _readable_package(context, data_dict, "sca_validation_show")
    found = conformance.stored_findings(pkg.id)
    if found is not None:
        return found
    status = "not_validated" if conformance.applies_to({"type": pkg.type}) else "not_applicable"
    return {"id": pkg.id, "profile": None, "status": status, "conforms": None,
            "computed_at": None, "violations": [], "warnings": []}


def _org_scope(context, data_dict) -> list[str] | None:
    """The organisations the caller may read scores of: the requested one,
    else all of theirs (None: every organisation, for sysadmins)."""
    from ckanext.smartcityatlas.quality import listing

    requested = data_dict.get("organization")
    if requested:
        group = model.Group.get(requested)
        if group is None or not group.is_organization:
            raise tk.ObjectNotFound(tk._("Organization not found"))
        tk.check_access("sca_quality_list", context, {"organization": group.id})
        return [group.id]
    tk.check_access("sca_quality_list", context, {})
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if user is not None and user.sysadmin:
        return None
    return listing.member_org_ids(context.get("user") or "")


@register.action
@tk.side_effect_free
@validated(schema.sca_quality_list)
def sca_quality_list(context, data_dict):
    """Quality scores of the datasets of an organisation (members and
    sysadmins only; private drafts included).

    :param organization: id or name; default: every organisation the caller
        is a member of (sysadmins: all)
    :param sort: ``score`` (worst first, default), ``-score``, ``title``,
        ``violations``, ``last_update`` (oldest first), ``organization``
    :param stale: ``true``/``false``: only (not) overdue datasets
    :param status: validation status: ``conforms``, ``warnings``,
        ``violations``, ``error``, ``not_validated``
    :param q: part of the title or name
    :param limit: 1–10000 (default 100); :param offset:
    :returns: ``{"count": n, "results": [{"id", "name", "title",
        "organization", "private", "score", "rating", "points", "max_points",
        "failed", "validation_status", "violations", "warnings", "stale",
        "frequency", "last_update", "computed_at"}]}``
    """
    from ckanext.smartcityatlas.quality import listing

    org_ids = _org_scope(context, data_dict)
    count, results = listing.datasets(
        org_ids, sort=data_dict["sort"], stale=data_dict.get("stale"), status=data_dict.get("status"),
        q=(data_dict.get("q") or "").strip() or None, limit=data_dict["limit"], offset=data_dict["offset"])
    return {"count": count, "results": results}


@register.action
@tk.side_effect_free
@validated(schema.sca_quality_history)
def sca_quality_history(context, data_dict):
    """Weekly average quality score of an organisation's datasets.

    :param organization: id or name (default: the caller's organisations)
    :param weeks: 1–104 (default 12)
    :returns: list of ``{"week": "2026-W48", "start", "datasets", "average_score"}``, oldest first
    """
    from ckanext.smartcityatlas.quality import listing

    org_ids = _org_scope(context, data_dict)
    return listing.weekly_history(org_ids, data_dict["weeks"])


@register.action
@tk.side_effect_free
@validated(schema.sca_quality_show)
def sca_quality_show(context, data_dict):
    """A dataset's stored quality score with every criterion: passed or not,
    its points and the fix (German and English).

    :param id: the dataset's id or name
    """
    from ckanext.smartcityatlas.quality import dataset_quality, score

    pkg = _readable_package(context, data_dict, "sca_quality_show")
    stored = dataset_quality.stored(pkg.id)
    if stored is None:
        return {"id": pkg.id, "score": None, "criteria": []}
    failed = set(stored["failed"])
    criteria = [{
        "id": c.id, "dimension": c.dimension, "points": c.points, "passed": c.id not in failed,
        "label": {"de": c.label[0], "en": c.label[1]}, "fix": {"de": c.fix[0], "en": c.fix[1]},
        "field": c.field,
    } for c in score.CRITERIA]
    return dict(stored, id=pkg.id, criteria=criteria)


def _iso(value):
    return value.isoformat() if value is not None else None


@register.action
@tk.side_effect_free
@validated(schema.sca_link_status_show)
def sca_link_status_show(context, data_dict):
    """The link checker's results for a dataset's resources (or one resource).

    :param id: a dataset's id or name, or a resource's id
    :param history: include each resource's recent checks (default false)
    :returns: ``id`` (the dataset), ``broken`` (how many resources fail now:
        broken or refused, or unreachable at two checks in a row) and ``resources``: ``{resource_id, url, status (ok | broken |
        unreachable | refused | not_checked), http_status, reason,
        final_url, response_ms, checked_at, failing_since, failures[,
        history]}``
    """
    from ckanext.smartcityatlas.quality import link_store

    ident = data_dict["id"]
    resource = model.Resource.get(ident)
    pkg = _readable_package(context, {"id": resource.package_id if resource else ident}, "sca_link_status_show")
    with_history = data_dict["history"]
    stored = {row["resource_id"]: row for row in link_store.for_package(pkg.id)}
    out = []
    for res in pkg.resources:  # active resources in their order
        if resource is not None and res.id != resource.id:
            continue
        row = stored.get(res.id)
        current = row is not None and row["url"] == res.url
        item = {"resource_id": res.id, "url": res.url,
                "status": row["status"] if current else "not_checked",
                "http_status": row["http_status"] if current else None,
                "reason": row["reason"] if current else None,
                "final_url": row["final_url"] if current else None,
                "response_ms": row["response_ms"] if current else None,
                "checked_at": _iso(row["checked_at"]) if current else None,
                "failing_since": _iso(row["failing_since"]) if current else None,
                "failures": row["failures"] if current else 0}
        if with_history:
            item["history"] = [{**h, "checked_at": _iso(h["checked_at"])} for h in link_store.history_of(res.id)]
        out.append(item)
    broken = sum(1 for r in out if link_store.is_failing(r["status"], r["failures"]))
    return {"id": pkg.id, "broken": broken, "resources": out}
