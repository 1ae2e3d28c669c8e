# SPDX-License-Identifier: AGPL-3.0-or-later
"""Monitoring of the measures: the status history of projects
(``sca_status_history``, recorded on every save that changes a status, shown
as a timeline on project pages) and the monitoring page of the measures
(``/atlas/monitoring``, ``sca_monitoring``); the smart-city monitor
(``/atlas/monitor``, ``sca_monitor_show``): indicators computed from the
portal and the city's own, with a quarterly history."""
from ckanext.smartcityatlas.capability import Capability


def _on_saved(context, data):
    from ckanext.smartcityatlas.monitoring import status_store

    status_store.on_saved(context, data)


CAPABILITY = Capability(name="monitoring", package=__name__,
                        modules=("actions", "auth", "views", "cli", "indicator_history"),
                        saved_hooks=(_on_saved,))
