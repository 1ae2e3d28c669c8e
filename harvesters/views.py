# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pages of the harvest capability: the uploaded radar file of a source
(for whoever may edit the source), a harvest job's report for data
contacts (for whoever may see the source's jobs; ``report_page``), and a
curator's split and merge of actors harvested from other atlases (the
forms on the actor page; the actions ``sca_shared_actor_split`` and
``sca_shared_actor_merge``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, request

from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common.input_schema import checked, identifier, required
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_radar", __name__))
reports = register.blueprint(Blueprint("sca_harvest", __name__))
curation = register.blueprint(Blueprint("sca_shared_actors", __name__))


@register.helper("sca_radar_upload_info")
def upload_info(url: str | None) -> dict | None:
    from ckanext.smartcityatlas.harvesters.radar import upload

    return upload.meta(url) if upload.is_upload(url) else None


@register.helper("sca_radar_upload_max_mb")
def upload_max_mb() -> int:
    return int(tk.config.get("ckanext.smartcityatlas.radar.upload_max_mb"))


@blueprint.route("/harvest/radar-file/<id>")
def upload_file(id):
    """The uploaded radar file of a source, for whoever may edit the source."""
    from flask import Response

    from ckanext.harvest.model import HarvestSource
    from ckanext.smartcityatlas.harvesters.radar import upload

    try:
        checked("id", id, required(), identifier())
        tk.check_access("harvest_source_update", caller_context(), {"id": id})
        source = tk.get_action("harvest_source_show")(caller_context(), {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Harvest source not found"))
    except tk.ValidationError:  # not an id at all
        return tk.abort(400)
    harvest_source = HarvestSource.get(source["id"])
    try:
        body, info = upload.read(harvest_source.url, harvest_source.id)
    except upload.UploadError:
        return tk.abort(404, tk._("This source has no uploaded file"))
    return Response(body, mimetype=upload.FORMATS.get(info.get("format"), "application/octet-stream"),
                    headers={"Content-Disposition": f'attachment; filename="{info.get("file_name") or "radar"}"',
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@reports.route("/harvest/<source>/job/<id>/report")
def job_report(source, id):
    """What a harvest job did, for the source's data contacts: counts, problems
    grouped by kind with an example each, and what to fix upstream."""
    from ckanext.smartcityatlas.harvesters import report_page

    context = caller_context()
    try:
        checked("id", id, required(), identifier())
        checked("source", source, required(), identifier())
        report = tk.get_action("sca_harvest_job_report")(dict(context), {"id": id})
        harvest_source = tk.get_action("harvest_source_show")(dict(context), {"id": report["source_id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Harvest job not found"))
    except tk.ValidationError as e:  # not an id at all
        return tk.abort(400, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in e.error_dict.items()))
    if source not in (harvest_source["id"], harvest_source["name"]):
        return tk.abort(404, tk._("Harvest job not found"))
    tk.g.dataset_type = "harvest"  # as ckanext-harvest's pages: its templates link by it
    return tk.render("smartcityatlas/harvest_job_report.html", extra_vars={
        "harvest_source": harvest_source, "report": report, "page": report_page.summarize(report),
        "report_page": report_page})


def _actor_in_path(id: str) -> model.Package:
    """The actor named in the path, or the view's 400/404."""
    try:
        checked("id", id, required(), identifier())
    except tk.ValidationError:
        return tk.abort(400, tk._("Not an id or name of an actor."))
    actor = model.Package.get(id)
    if actor is None or actor.type != "actor" or actor.state != "active":
        return tk.abort(404, tk._("Actor not found"))
    return actor


def _may(action: str, actor: model.Package) -> None:
    """403 before anything is read from the form: the buttons are shown to
    the same users (h.check_access), a direct POST gets no further."""
    try:
        tk.check_access(action, caller_context(), {"id": actor.id})
    except tk.NotAuthorized as e:
        tk.abort(403, str(e) or tk._("Not authorized to see this page"))


def _reason(error: tk.ValidationError) -> str:
    return " ".join(str(m) for messages in error.error_dict.values()
                    for m in (messages if isinstance(messages, list) else [messages]))


def _page_of(actor_id: str):
    actor = model.Package.get(actor_id)
    return tk.redirect_to("actor.read", id=actor.name if actor else actor_id)


@curation.route("/atlas/shared-actor/<id>/split", methods=["POST"])
def split(id):
    """Split a harvested copy off the actor it was matched with; back to that actor's page."""
    copy = _actor_in_path(id)
    _may("sca_shared_actor_split", copy)
    extras = copy.extras or {}
    actor_id, city = extras.get("sca_same_as") or copy.id, extras.get("sca_source_city") or ""
    try:
        tk.get_action("sca_shared_actor_split")(caller_context(), {"id": copy.id})
    except tk.ValidationError as e:
        tk.h.flash_error(tk._("Not split off: {reason}").format(reason=_reason(e)))
        return _page_of(actor_id)
    tk.h.flash_success(tk._("The entry from {city} is now an actor of its own: “{title}”. "
                            "Re-harvests keep this; “Same actor as” on its page merges it again.").format(
        city=city, title=copy.title))
    return _page_of(actor_id)


@curation.route("/atlas/shared-actor/<id>/merge", methods=["POST"])
def merge(id):
    """Declare a harvested actor the same as the actor chosen in the form; on
    to that actor's page, where the entry now appears, or back with the reason."""
    copy = _actor_in_path(id)
    _may("sca_shared_actor_merge", copy)
    same_as = (request.form.get("same_as") or "").strip()
    if not same_as:
        tk.h.flash_error(tk._("Not merged: choose the actor this entry is the same as."))
        return _page_of(copy.id)
    try:
        merged = tk.get_action("sca_shared_actor_merge")(caller_context(), {"id": copy.id, "same_as": same_as})
    except tk.ValidationError as e:
        tk.h.flash_error(tk._("Not merged: {reason}").format(reason=_reason(e)))
        return _page_of(copy.id)
    target = model.Package.get(merged["sca_same_as"])
    tk.h.flash_success(tk._("“{copy}” is now shown as the same actor as “{title}”. "
                            "Re-harvests keep this; “Split off” on this page undoes it.").format(
        copy=copy.title, title=target.title))
    return _page_of(target.id)
