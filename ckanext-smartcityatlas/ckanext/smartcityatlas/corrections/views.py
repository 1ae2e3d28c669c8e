# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pages: the public submission form and the admins' moderation list."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.smartcityatlas.common.input_schema import checked, identifier, optional
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import caller_context

register = Registry()

blueprint = register.blueprint(Blueprint("sca_corrections", __name__))


@register.helper
def sca_contact_retention_days() -> int:
    """Days a submitter's contact details are kept (the form says so)."""
    return tk.config.get("ckanext.smartcityatlas.corrections.contact_retention_days")


FIELDS = ("kind", "package_id", "message", "contact_name", "contact_email", "website")


def _context() -> dict:
    return caller_context()


@blueprint.route("/atlas/korrektur", methods=["GET", "POST"])
def submit():
    try:
        entity_ref = checked("entity", request.args.get("entity"), optional, identifier())
    except tk.ValidationError:
        return tk.abort(400)
    data = {"kind": "correction" if entity_ref else "suggest_new", "package_id": entity_ref or ""}
    errors: dict = {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in FIELDS}
        try:
            tk.get_action("sca_correction_create")(_context(), data)
        except tk.ValidationError as exc:
            errors = exc.error_dict
        else:
            return tk.render("smartcityatlas/correction_thanks.html", {})
    entity = None
    if data.get("package_id"):
        try:
            entity = tk.get_action("package_show")(_context(), {"id": data["package_id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            entity = None
    return tk.render("smartcityatlas/correction_form.html", {"data": data, "errors": errors, "entity": entity})


@blueprint.route("/atlas/moderation", methods=["GET"])
def moderation():
    status = request.args.get("status", "open")
    try:
        items = tk.get_action("sca_correction_list")(_context(), {"status": status})["results"]
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only administrators of an organisation can moderate submissions."))
    except tk.ValidationError:
        return tk.abort(400)
    titles = {}
    for item in items:
        if item["package_id"] and item["package_id"] not in titles:
            try:
                pkg = tk.get_action("package_show")(_context(), {"id": item["package_id"]})
                titles[item["package_id"]] = (pkg["type"], pkg["name"], pkg["title"])
            except (tk.ObjectNotFound, tk.NotAuthorized):
                titles[item["package_id"]] = None
    return tk.render("smartcityatlas/moderation.html", {"items": items, "status": status, "titles": titles})


@blueprint.route("/atlas/moderation/<correction_id>", methods=["POST"])
def moderate(correction_id: str):
    try:
        tk.get_action("sca_correction_update")(_context(), {
            "id": correction_id, "status": request.form.get("status"),
            "moderator_note": request.form.get("moderator_note") or None})
    except tk.NotAuthorized:
        return tk.abort(403)
    except tk.ObjectNotFound:
        return tk.abort(404)
    except tk.ValidationError:
        return tk.abort(400)
    tk.h.flash_success(tk._("Saved."))
    return tk.redirect_to("sca_corrections.moderation")
