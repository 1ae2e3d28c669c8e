# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvesting: the harvesters of the Smart City Atlas, installed as
``ckanext.smartcityatlas.harvesters`` (one short module per source format
on a shared base: gather, fetch, import; mapping, validation, provenance and
idempotence live once in ``base``), and what the portal needs around them:
the guard on a source's address (``source_guard``), its search index entry
(``source_index``), the index on upstream identifiers that finds duplicates
(``identifier_index``), job reports (``job_report``; the page for data
contacts: ``report_page``), the neighbours of a job's records reindexed once
at its end (``job_reindex``), queue consumers (``consumers``), the per-job worker
process (``worker``), the one read of a saved record (``saved_record``), and
around a Smart-City-Radar run its file upload, report and the curator's
resolution of partner names (``radar/``).
"""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.harvesters import identifier_index


def _source_form_template(config):
    """Our overrides of ckanext-harvest's templates (the source form with a
    file upload for radar sources; links to the job report for data contacts
    on the job page and the source dashboard): that plugin is listed before
    ours, so its templates would win; this folder holds only the overrides
    and goes first."""
    import os

    import ckanext.smartcityatlas as extension

    folder = os.path.join(os.path.dirname(extension.__file__), "templates_harvest")
    paths = [p for p in (config.get("extra_template_paths") or "").split(",") if p and p != folder]
    config["extra_template_paths"] = ",".join([folder, *paths])


CAPABILITY = Capability(
    name="harvest",
    package=__name__,
    # the chains of package_create/update, innermost first: the address guard,
    # a radar file's upload, the one read after the save
    modules=("job_report", "radar.actions", "radar.auth", "source_guard", "radar.upload", "saved_record",
             "source_index", "job_reindex", "views", "cli", "actor_merge"),
    config_hooks=(_source_form_template,),
    start_hooks=(identifier_index.ensure_at_start,),
)
