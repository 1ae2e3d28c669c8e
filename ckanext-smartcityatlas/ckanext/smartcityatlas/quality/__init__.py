# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data quality, the data contacts' workspace: DCAT-AP.de findings and a
quality score stored per record on every save (``sca_validation_show``,
``sca_quality_show``, ``sca_quality_list``), the link checker
(``sca_link_status_show``), the dashboard ``/dashboard/quality`` and review
before publishing."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.quality import actions

    return {"sca_validation_show": actions.sca_validation_show, "sca_quality_show": actions.sca_quality_show,
            "sca_quality_list": actions.sca_quality_list, "sca_quality_history": actions.sca_quality_history,
            "sca_link_status_show": actions.sca_link_status_show}


def _auth():
    from ckanext.smartcityatlas.quality import auth, review

    return {**review.auth_functions(), "sca_validation_show": auth.sca_validation_show, "sca_quality_show": auth.sca_quality_show,
            "sca_quality_list": auth.sca_quality_list, "sca_quality_history": auth.sca_quality_list,
            "sca_link_status_show": auth.sca_link_status_show}


def _helpers():
    from ckanext.smartcityatlas.quality import form_feedback

    return form_feedback.helpers()


def _blueprints():
    from ckanext.smartcityatlas.quality import views

    return [views.blueprint]


def _cli():
    from ckanext.smartcityatlas.quality import cli

    return [cli.validation_refresh, cli.digest_send, cli.link_check_command]


def _on_saved(context, data):
    from ckanext.smartcityatlas.quality import record_checks

    record_checks.on_saved(context, data)


def _check_links():
    from ckanext.smartcityatlas.quality import link_check

    link_check.run_batch()


def _send_digests():
    from ckanext.smartcityatlas.quality import digest

    digest.run()


def _refresh_staleness():
    from ckanext.smartcityatlas.quality import record_checks

    record_checks.refresh_staleness()


CAPABILITY = Capability(
    name="quality",
    actions=_actions,
    auth_functions=_auth,
    cli_commands=_cli,
    blueprints=_blueprints,
    helpers=_helpers,
    saved_hooks=(_on_saved,),
    periodic_tasks=(("quality_staleness", _refresh_staleness), ("link_check", _check_links),
                    ("digests", _send_digests)),
)
