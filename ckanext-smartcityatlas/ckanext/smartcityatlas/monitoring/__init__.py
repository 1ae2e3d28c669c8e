# SPDX-License-Identifier: AGPL-3.0-or-later
"""Monitoring of the measures: the status history of projects
(``sca_status_history``, recorded on every save that changes a status, shown
as a timeline on project pages) and the monitoring page of the measures
(``/atlas/monitoring``, ``sca_monitoring``)."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.monitoring import actions

    return {"sca_status_history": actions.sca_status_history, "sca_monitoring": actions.sca_monitoring}


def _auth():
    from ckanext.smartcityatlas.monitoring import auth

    return {"sca_status_history": auth.sca_status_history, "sca_monitoring": auth.sca_monitoring}


def _helpers():
    from ckanext.smartcityatlas.monitoring import views

    return {"sca_status_timeline": views.status_timeline, "sca_status_label": views.status_label}


def _blueprints():
    from ckanext.smartcityatlas.monitoring import views

    return [views.blueprint]


def _on_saved(context, data):
    from ckanext.smartcityatlas.monitoring import status_store

    status_store.on_saved(context, data)


CAPABILITY = Capability(name="monitoring", actions=_actions, auth_functions=_auth, helpers=_helpers,
                        blueprints=_blueprints, saved_hooks=(_on_saved,))
