# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pages: the public list, the request form and a request's page with the
office's answer form."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, request

from ckanext.smartcityatlas.datarequests.schema import STATUSES
from ckanext.smartcityatlas.common import paging
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import caller_context

register = Registry()

blueprint = register.blueprint(Blueprint("sca_datarequests", __name__))
FORM_FIELDS = ("title", "description", "organization", "email", "website")
PAGE_SIZE = 20


def _context() -> dict:
    return caller_context()


def _organizations() -> list[tuple[str, str]]:
    rows = model.Session.query(model.Group.name, model.Group.title) \
        .filter(model.Group.is_organization.is_(True), model.Group.state == "active") \
        .order_by(model.Group.title).all()
    return [(name, title or name) for name, title in rows]


@blueprint.route("/datenwuensche")
def index():
    status = request.args.get("status") or "all"
    q = (request.args.get("q") or "").strip()
    page = paging.page_arg(PAGE_SIZE)
    try:
        listed = tk.get_action("sca_datarequest_list")(
            _context(), {"status": status, "q": q, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    except tk.ValidationError as exc:
        return tk.abort(400, "; ".join(f"{field}: {' '.join(map(str, messages))}"
                                       for field, messages in exc.error_dict.items()))
    return tk.render("smartcityatlas/datarequest_list.html", {
        "listed": listed, "status": status, "q": q, "statuses": STATUSES, "page": page, "page_size": PAGE_SIZE})


@blueprint.route("/datenwuensche/neu", methods=["GET", "POST"])
def new():
    data: dict = {}
    errors: dict = {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in FORM_FIELDS}
        try:
            created = tk.get_action("sca_datarequest_create")(_context(), data)
        except tk.ValidationError as exc:
            errors = exc.error_dict
        else:
            return tk.render("smartcityatlas/datarequest_thanks.html", {"item": created})
    return tk.render("smartcityatlas/datarequest_form.html", {
        "data": data, "errors": errors, "organizations": _organizations(),
        "retention_days": tk.config.get("ckanext.smartcityatlas.datarequest.contact_retention_days")})


@blueprint.route("/datenwuensche/<request_id>", methods=["GET", "POST"])
def read(request_id: str):
    errors: dict = {}
    if request.method == "POST":
        answer = {k: request.form.get(k) or None for k in ("status", "dataset", "reason", "organization")}
        try:
            tk.get_action("sca_datarequest_update")(_context(), {"id": request_id, **answer})
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only the responsible office or the open-data team can change a data "
                                      "request."))
        except tk.ObjectNotFound:
            return tk.abort(404)
        except tk.ValidationError as exc:
            errors = exc.error_dict
        else:
            tk.h.flash_success(tk._("Saved."))
            return tk.redirect_to("sca_datarequests.read", request_id=request_id)
    try:
        item = tk.get_action("sca_datarequest_show")(_context(), {"id": request_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Data request not found"))
    except tk.ValidationError:  # not an id at all
        return tk.abort(400)
    return tk.render("smartcityatlas/datarequest_read.html", {
        "item": item, "errors": errors, "statuses": STATUSES,
        "organizations": _organizations() if item["can_edit"] else []})
