# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensor aggregates: openSenseMap readings (harvester ``sca_opensensemap``)
to hourly and daily aggregates in DataStore tables with DCAT-AP.de metadata
(docs/sensors.md)."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.sensors import geojson

    return {"sca_sensor_geojson": geojson.sca_sensor_geojson}


def _auth():
    from ckanext.smartcityatlas.sensors import geojson

    return {"sca_sensor_geojson": geojson.sca_sensor_geojson_auth}


def _blueprints():
    from ckanext.smartcityatlas.sensors import geojson

    return [geojson.blueprint]


def _cli_commands():
    from ckanext.smartcityatlas.sensors import demo

    return [demo.sensors_demo]


CAPABILITY = Capability(name="sensors", actions=_actions, auth_functions=_auth, blueprints=_blueprints,
                        cli_commands=_cli_commands)
