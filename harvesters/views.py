# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pages of the harvest capability: the uploaded radar file of a source
(for whoever may edit the source) and a harvest job's report for data
contacts (for whoever may see the source's jobs; ``report_page``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common.input_schema import checked, identifier, required
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_radar", __name__))
reports = register.blueprint(Blueprint("sca_harvest", __name__))


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
