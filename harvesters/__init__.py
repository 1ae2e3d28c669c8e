# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvesting: the harvesters of the Smart City Atlas, installed as
``ckanext.smartcityatlas.harvesters`` (one short module per source format
on a shared base: gather, fetch, import; mapping, validation, provenance and
idempotence live once in ``base``), and what the portal needs around them:
the guard on a source's address (``source_guard``), job reports
(``job_report``), queue consumers (``consumers``), the per-job worker
process (``worker``), the one read of a saved record (``saved_record``), and
around a Smart-City-Radar run its file upload, report and the curator's
resolution of partner names (``radar/``).
"""
from ckanext.smartcityatlas.capability import Capability


def _cli_commands():
    from ckanext.smartcityatlas.harvesters import cli

    return [cli.harvest_consumer, cli.harvest_report]


def _auth():
    from ckanext.smartcityatlas.harvesters.radar import auth

    return {"sca_radar_report": auth.sca_radar_report, "sca_radar_resolve_partner": auth.sca_radar_resolve_partner}


def _helpers():
    from ckanext.smartcityatlas.harvesters import views

    return {"sca_radar_upload_info": views.upload_info, "sca_radar_upload_max_mb": views.upload_max_mb}


def _blueprints():
    from ckanext.smartcityatlas.harvesters import views

    return [views.blueprint]


def _actions():
    from ckanext.smartcityatlas.harvesters import job_report, saved_record, source_guard
    from ckanext.smartcityatlas.harvesters.radar import actions as radar_actions

    return {
        "sca_harvest_job_report": job_report.sca_harvest_job_report,
        "sca_radar_report": radar_actions.sca_radar_report,
        "sca_radar_resolve_partner": radar_actions.sca_radar_resolve_partner,
        "package_create": source_guard.package_create,
        "package_update": source_guard.package_update,
        "package_show": saved_record.package_show,
    }


def _validators():
    from ckanext.smartcityatlas.harvesters import provenance_validators

    return {"sca_keep_stored": provenance_validators.sca_keep_stored}


def _source_form_template(config):
    """Our harvest source form (a file upload for radar sources) over
    ckanext-harvest's: that plugin is listed before ours, so its templates
    would win; this folder holds only that form and goes first."""
    import os

    import ckanext.smartcityatlas as extension

    folder = os.path.join(os.path.dirname(extension.__file__), "templates_harvest")
    paths = [p for p in (config.get("extra_template_paths") or "").split(",") if p and p != folder]
    config["extra_template_paths"] = ",".join([folder, *paths])


CAPABILITY = Capability(name="harvest", actions=_actions, auth_functions=_auth, validators=_validators,
                        helpers=_helpers, blueprints=_blueprints, cli_commands=_cli_commands,
                        config_hooks=(_source_form_template,))
