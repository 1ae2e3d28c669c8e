# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/dashboard/quality``: an office's datasets with score, findings and
staleness, its harvest sources and the weekly score; ``…/quality.csv`` is
the same list as a spreadsheet-safe CSV. Everything is read through the
actions, so the page shows exactly what ``sca_quality_list`` allows."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, make_response, request

from ckanext.smartcityatlas.common.input_schema import checked, identifier, required
from ckanext.smartcityatlas.common import paging
from ckanext.smartcityatlas.quality import listing, score
from ckanext.smartcityatlas.common.spreadsheet import csv_cell, german_csv
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import caller_context

register = Registry()

blueprint = register.blueprint(Blueprint("sca_quality", __name__))
PAGE_SIZE = 50
CSV_MAX_ROWS = 10000
CSV_COLUMNS = ("name", "title", "organization", "private", "score", "rating", "points", "max_points",
               "validation_status", "violations", "warnings", "broken_links", "stale", "frequency", "last_update",
               "failed", "computed_at")


def _context() -> dict:
    return caller_context()


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
    page = paging.page_arg(PAGE_SIZE)
    listed = _call("sca_quality_list", dict(params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE))
    scope = {k: v for k, v in params.items() if k == "organization"}
    weeks = _call("sca_quality_history", dict(scope, weeks=12))  # also authorizes the scope
    organizations = _organizations(_context())
    if scope:
        org_ids = [o["id"] for o in organizations if scope["organization"] in (o["id"], o["name"])]
    elif tk.current_user.is_authenticated and tk.current_user.sysadmin:
        org_ids = None
    else:
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
        "summary": listing.summary(org_ids),
        "sorts": listing.SORTS, "statuses": listing.STATUSES,
    })


def dashboard_csv():
    params = _params()
    rows = _call("sca_quality_list", dict(params, limit=CSV_MAX_ROWS))["results"]
    response = make_response(german_csv(CSV_COLUMNS, ([csv_cell(r[c]) for c in CSV_COLUMNS] for r in rows)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="datenqualitaet.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def link_status(id: str):
    """A dataset's link check results for people: the same answer as
    ``sca_link_status_show`` (so the same readers), with resource names."""
    try:
        checked("id", id, required(), identifier())
        pkg = tk.get_action("package_show")(_context(), {"id": id})
        links = tk.get_action("sca_link_status_show")(_context(), {"id": pkg["id"], "history": True})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        # like a missing dataset: a private one's existence is not told
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError:  # not an id at all
        return tk.abort(400)
    names = {r["id"]: r.get("name") or r.get("url") for r in pkg.get("resources") or []}
    for row in links["resources"]:
        row["name"] = names.get(row["resource_id"]) or row["url"]
    return tk.render("smartcityatlas/link_status.html", {"pkg": pkg, "links": links})


def start():
    """Where a login lands (``ckan.auth.route_after_login``, set by the
    capability): members of an office on their quality tasks, everyone else
    on CKAN's dashboard."""
    user = tk.current_user
    if user.is_authenticated and (user.sysadmin or listing.member_org_ids(user.name)):
        return tk.redirect_to("sca_quality.dashboard")
    return tk.redirect_to("dashboard.datasets")


blueprint.add_url_rule("/dashboard/start", view_func=start)
blueprint.add_url_rule("/dashboard/quality", view_func=dashboard)
blueprint.add_url_rule("/dataset/<id>/links", view_func=link_status)
blueprint.add_url_rule("/dashboard/quality.csv", view_func=dashboard_csv)
