# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data quality, the data contacts' workspace: DCAT-AP.de findings and a
quality score stored per record on every save (``sca_validation_show``,
``sca_quality_show``, ``sca_quality_list``), the link checker
(``sca_link_status_show``), the dashboard ``/dashboard/quality`` and review
before publishing."""
from ckanext.smartcityatlas.capability import Capability


def _on_saved(context, data):
    from ckanext.smartcityatlas.quality import record_checks

    record_checks.on_saved(context, data)


def land_members_on_their_tasks(config) -> None:
    """After login, members of an office land on their quality tasks
    (``/dashboard/start`` sends others on to CKAN's dashboard); a portal that
    set another ``ckan.auth.route_after_login`` keeps it."""
    if str(config.get("ckan.auth.route_after_login") or "dashboard.datasets") == "dashboard.datasets":
        config["ckan.auth.route_after_login"] = "sca_quality.start"


def check_link_check_options(config) -> None:
    from ckanext.smartcityatlas.quality import link_check

    link_check.check_options(config)


CAPABILITY = Capability(
    name="quality",
    package=__name__,
    # review: chained auth (publishing after review); the periodic tasks run
    # in this order: staleness, link check, digests
    modules=("actions", "review", "auth", "form_feedback", "views", "cli", "record_checks", "link_check", "digest",
             "link_reasons"),
    saved_hooks=(_on_saved,),
    config_hooks=(land_members_on_their_tasks,),
    start_hooks=(check_link_check_options,),
)
