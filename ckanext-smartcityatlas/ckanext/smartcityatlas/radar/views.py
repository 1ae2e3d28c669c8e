# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/monitoring``: the measures with current status, last update and
status by quarter; the status timeline on project pages (helper). Both read
through the actions, so they show only what the visitor may see."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.input_schema import checked, identifier, required

blueprint = Blueprint("sca_monitoring", __name__)
upload_blueprint = Blueprint("sca_radar", __name__)


def status_label(code: str | None) -> str:
    if not code:
        return ""
    from ckanext.smartcityatlas.atlas.views import labels_for

    return labels_for("status").get(code, code)


def status_timeline(package_id: str) -> list[dict]:
    try:
        return tk.get_action("sca_status_history")(caller_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return []


@blueprint.route("/atlas/monitoring")
def index():
    try:
        quarters = int(request.args.get("quartale", 8))
    except ValueError:
        quarters = 8
    quarters = min(max(quarters, 1), 20)
    data = tk.get_action("sca_monitoring")(caller_context(), {"quarters": quarters})
    statuses = {}
    for m in data["measures"]:
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
    return tk.render("atlas/monitoring.html", {
        "data": data, "quarters": quarters, "status_counts": statuses,
        "city_title": city_config.current().settings.get("title", "")})


def upload_info(url: str | None) -> dict | None:
    from ckanext.smartcityatlas.radar import upload

    return upload.meta(url) if upload.is_upload(url) else None


def upload_max_mb() -> int:
    return int(tk.config.get("ckanext.smartcityatlas.radar.upload_max_mb"))


@upload_blueprint.route("/harvest/radar-file/<id>")
def upload_file(id):
    """The uploaded radar file of a source, for whoever may edit the source."""
    from flask import Response

    from ckanext.harvest.model import HarvestSource
    from ckanext.smartcityatlas.radar import upload

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
