# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest integration: queue consumers, source settings, reports.

The harvesters themselves live in ``ckanext.smartcityatlas.harvesters``
(the repository's ``harvesters/`` folder).
"""
from ckanext.smartcityatlas.capability import Capability


def _cli_commands():
    from ckanext.smartcityatlas.harvest import cli

    return [cli.harvest_consumer, cli.harvest_report]


def _actions():
    from ckanext.smartcityatlas.harvest import guard, report, saved_record

    return {
        "sca_harvest_job_report": report.sca_harvest_job_report,
        "package_create": guard.package_create,
        "package_update": guard.package_update,
        "package_show": saved_record.package_show,
    }


def _validators():
    from ckanext.smartcityatlas.harvest import validators

    return {"sca_keep_stored": validators.sca_keep_stored}


def _source_form_template(config):
    """Our harvest source form (a file upload for radar sources) over
    ckanext-harvest's: that plugin is listed before ours, so its templates
    would win; this folder holds only that form and goes first."""
    import os

    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates_harvest")
    paths = [p for p in (config.get("extra_template_paths") or "").split(",") if p and p != folder]
    config["extra_template_paths"] = ",".join([folder, *paths])


CAPABILITY = Capability(name="harvest", actions=_actions, validators=_validators,
                        cli_commands=_cli_commands, config_hooks=(_source_form_template,))
