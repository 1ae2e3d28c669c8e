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


def _mark_own_publication(pkg_dict: dict) -> dict:
    """before_dataset_index: the aggregates of ``sca_opensensemap`` are the
    portal's own data, so the DCAT catalog exports them (dcat/catalog.py)."""
    source_id = pkg_dict.get("sca_harvest_source") or pkg_dict.get("harvest_source_id")
    if source_id and _source_type(source_id) == "sca_opensensemap":
        pkg_dict["sca_own_publication"] = "true"
    return pkg_dict


def _source_type(source_id: str) -> str | None:
    from ckanext.harvest.model import HarvestSource

    source = HarvestSource.get(source_id)
    return source.type if source is not None else None


def _cli_commands():
    from ckanext.smartcityatlas.sensors import demo

    return [demo.sensors_demo]


CAPABILITY = Capability(name="sensors", actions=_actions, auth_functions=_auth, blueprints=_blueprints,
                        cli_commands=_cli_commands, index_hooks=(_mark_own_publication,))
