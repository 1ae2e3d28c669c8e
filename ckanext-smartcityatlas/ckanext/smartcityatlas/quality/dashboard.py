# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/dashboard/quality``: an office's datasets with score, findings and
staleness, its harvest sources and the weekly score; ``…/quality.csv`` is
the same list as a spreadsheet-safe CSV. Everything is read through the
actions, so the page shows exactly what ``sca_quality_list`` allows."""
from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, make_response, request

from ckanext.smartcityatlas.dcat.opendata import csv_cell
from ckanext.smartcityatlas.quality import listing, score

blueprint = Blueprint("sca_quality", __name__)
PAGE_SIZE = 50
CSV_MAX_ROWS = 10000
CSV_COLUMNS = ("name", "title", "organization", "private", "score", "rating", "points", "max_points",
               "validation_status", "violations", "warnings", "stale", "frequency", "last_update",
               "failed", "computed_at")


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else "",
            "auth_user_obj": tk.current_user if tk.current_user.is_authenticated else None}


def _params() -> dict:
    params = {}
    for key in ("organization", "sort", "stale", "status", "q"):
        value = (request.args.get(key) or "").strip()
        if value:
            params[key] = value
    return params


def _organizations(context: dict) -> list[dict]:
    """The organisations the caller may pick: theirs, or all for sysadmins."""
    user = context["auth_user_obj"]
    query = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                    model.Group.state == "active")
    if not (user and user.sysadmin):
        query = query.filter(model.Group.id.in_(listing.member_org_ids(context["user"]) or [""]))
    return [{"id": g.id, "name": g.name, "title": g.title or g.name} for g in query.order_by(model.Group.title)]


def _call(action: str, params: dict):
    try:
        return tk.get_action(action)(_context(), dict(params))
    except tk.NotAuthorized:
        if not tk.current_user.is_authenticated:
            return tk.abort(403, tk._("Please log in: the quality dashboard is for members of an organisation"))
        return tk.abort(403, tk._("Only members of this organisation can see its quality scores"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.ValidationError as e:
        return tk.abort(400, "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in e.error_dict.items()))


def dashboard():
    params = _params()
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    listed = _call("sca_quality_list", dict(params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    scope = {k: v for k, v in params.items() if k == "organization"}
    summary = _call("sca_quality_list", dict(scope, limit=CSV_MAX_ROWS))["results"]
    weeks = _call("sca_quality_history", dict(scope, weeks=12))
    org_ids = None
    organizations = _organizations(_context())
    if scope:
        org_ids = [o["id"] for o in organizations if scope["organization"] in (o["id"], o["name"])]
    elif not (tk.current_user.sysadmin if tk.current_user.is_authenticated else False):
        org_ids = [o["id"] for o in organizations]
    lang = tk.h.lang() or "de"
    i = 0 if lang == "de" else 1
    labels = {c.id: c.label[i] for c in score.CRITERIA}
    criteria = [{"label": c.label[i], "dimension": score.DIMENSIONS[c.dimension][i], "points": c.points,
                 "fix": c.fix[i]} for c in score.CRITERIA]
    return tk.render("smartcityatlas/quality_dashboard.html", {
        "params": params, "page": page, "page_size": PAGE_SIZE, "listed": listed,
        "organizations": organizations, "weeks": weeks, "criterion_labels": labels, "criteria": criteria,
        "harvest_sources": listing.harvest_sources(org_ids),
        "summary": {
            "count": len(summary),
            "average": round(sum(r["score"] for r in summary) / len(summary)) if summary else None,
            "violations": sum(1 for r in summary if r["violations"]),
            "stale": sum(1 for r in summary if r["stale"]),
            "drafts": sum(1 for r in summary if r["private"]),
        },
        "sorts": listing.SORTS, "statuses": listing.STATUSES,
    })


def dashboard_csv():
    params = _params()
    rows = _call("sca_quality_list", dict(params, limit=CSV_MAX_ROWS))["results"]
    buf = io.StringIO()
    # ";" and a byte-order mark: what German spreadsheet programs expect
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(r[c]) for c in CSV_COLUMNS])
    response = make_response("\ufeff" + buf.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="datenqualitaet.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


blueprint.add_url_rule("/dashboard/quality", view_func=dashboard)
blueprint.add_url_rule("/dashboard/quality.csv", view_func=dashboard_csv)
