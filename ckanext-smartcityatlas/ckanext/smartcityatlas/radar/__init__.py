# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Smart-City-Radar in the portal (the harvester ``sca_radar`` lives in
``harvesters/radar``): the status history of projects
(``sca_status_history``, recorded on every save that changes a status), the
monitoring of the measures (``/atlas/monitoring``, ``sca_monitoring``), the
report of a radar run (``sca_radar_report``) and the curator's resolution of
a partner name (``sca_radar_resolve_partner``)."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.radar import actions

    return {"sca_status_history": actions.sca_status_history, "sca_monitoring": actions.sca_monitoring,
            "sca_radar_report": actions.sca_radar_report,
            "sca_radar_resolve_partner": actions.sca_radar_resolve_partner}


def _auth():
    from ckanext.smartcityatlas.radar import auth

    return {"sca_status_history": auth.sca_status_history, "sca_monitoring": auth.sca_monitoring,
            "sca_radar_report": auth.sca_radar_report,
            "sca_radar_resolve_partner": auth.sca_radar_resolve_partner}


def _helpers():
    from ckanext.smartcityatlas.radar import views

    return {"sca_status_timeline": views.status_timeline, "sca_status_label": views.status_label,
            "sca_radar_upload_info": views.upload_info, "sca_radar_upload_max_mb": views.upload_max_mb}


def _blueprints():
    from ckanext.smartcityatlas.radar import views

    return [views.blueprint, views.upload_blueprint]


def _cli():
    from ckanext.smartcityatlas.radar import cli

    return [cli.radar_demo]


def _on_saved(context, data):
    from ckanext.smartcityatlas.radar import store

    store.on_saved(context, data)


CAPABILITY = Capability(name="radar", actions=_actions, auth_functions=_auth, helpers=_helpers,
                        blueprints=_blueprints, cli_commands=_cli, saved_hooks=(_on_saved,))
