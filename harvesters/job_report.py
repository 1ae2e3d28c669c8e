# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_harvest_job_report``: what a harvest job did, record by record.

The harvesters (``ckanext.smartcityatlas.harvesters.base``) keep their notes
per harvest object (kinds: error, violation, warning, degraded, flagged,
repair, duplicate, curated, withdrawn; ``unmapped`` in jobs of earlier
versions); this action adds them up with the gather messages and
ckanext-harvest's own statistics.
"""
from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.harvesters import schema
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.action
@tk.side_effect_free
@validated(schema.sca_harvest_job_report)
def sca_harvest_job_report(context, data_dict):
    """Notes of one harvest job: ``id`` (the job id). Readable by whoever may
    see the job (harvest_job_show)."""
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectExtra

    from ckanext.smartcityatlas.harvesters.base import EXTRA_REPORT

    job_id = data_dict["id"]
    tk.check_access("harvest_job_show", context, {"id": job_id})
    job = HarvestJob.get(job_id)
    if job is None:
        raise tk.ObjectNotFound(tk._("Harvest job not found"))
    stats = tk.get_action("harvest_job_show")(dict(context), {"id": job_id}).get("stats") or {}
    gather = [e.message for e in model.Session.query(HarvestGatherError)
              .filter(HarvestGatherError.harvest_job_id == job_id).order_by(HarvestGatherError.created)]
    records, counts = [], Counter()
    # one query with the notes (not one per object: a job of 2,000 records took a second)
    rows = model.Session.query(HarvestObject.guid, HarvestObject.package_id, HarvestObject.report_status,
                               HarvestObjectExtra.value) \
        .outerjoin(HarvestObjectExtra, sa.and_(HarvestObjectExtra.harvest_object_id == HarvestObject.id,
                                               HarvestObjectExtra.key == EXTRA_REPORT)) \
        .filter(HarvestObject.harvest_job_id == job_id).order_by(HarvestObject.guid, HarvestObject.id)
    for guid, package_id, status, value in rows:
        notes = json.loads(value or "[]")
        for note in notes:
            counts[note["kind"]] += 1
        records.append({"guid": guid, "package_id": package_id, "status": status, "notes": notes})
    for message in gather:
        if message.startswith("["):
            counts[message[1:message.index("]")]] += 1
    return {"job_id": job_id, "source_id": job.source_id, "status": job.status, "stats": stats,
            "gather": gather, "counts": dict(counts), "records": records}
