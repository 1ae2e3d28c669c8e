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
    from ckanext.smartcityatlas.harvest import guard, report

    return {
        "sca_harvest_job_report": report.sca_harvest_job_report,
        "package_create": guard.package_create,
        "package_update": guard.package_update,
    }


def _validators():
    from ckanext.smartcityatlas.harvest import validators

    return {"sca_keep_stored": validators.sca_keep_stored}


CAPABILITY = Capability(name="harvest", actions=_actions, validators=_validators,
                        cli_commands=_cli_commands)
