# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo atlas of the configured city: actors, projects and datasets
(``ckan sca demo-load``), the example Smart-City-Radar file through the
radar harvester (``ckan sca radar-demo``), and the shipped openSenseMap and
SensorThings samples through local replay servers (``ckan sca sensors-demo``;
the replay servers serve the tests too), and a demo history of the
smart-city monitor (``ckan sca monitor-demo``, labelled demo). Nothing here runs in production
unless an operator loads the demo."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="demo", package=__name__, modules=("cli", "radar", "sensors", "monitor", "region"))
