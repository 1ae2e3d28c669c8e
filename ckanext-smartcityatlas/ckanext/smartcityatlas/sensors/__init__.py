# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensor aggregates: openSenseMap readings (harvester ``sca_opensensemap``)
and SensorThings API Observations (``sca_sensorthings``) to hourly and daily
aggregates in DataStore tables with DCAT-AP.de metadata (docs/sensors.md)."""
from ckanext.smartcityatlas.capability import Capability

# Harvester types whose datasets are the portal's own sensor aggregates
# (publish.TABLES in DataStore); the atlas' sensor layer reads these.
SENSOR_SOURCE_TYPES = ("sca_opensensemap", "sca_sensorthings")


def _mark_own_publication(pkg_dict: dict) -> dict:
    """before_dataset_index: sensor aggregates are the portal's own data, so
    the DCAT catalog exports them (dcat/catalog.py); ``sca_sensor_source``
    (the harvester type) lets search find all of them."""
    source_id = pkg_dict.get("sca_harvest_source") or pkg_dict.get("harvest_source_id")
    source_type = _source_type(source_id) if source_id else None
    if source_type in SENSOR_SOURCE_TYPES:
        pkg_dict["sca_own_publication"] = "true"
        pkg_dict["sca_sensor_source"] = source_type
    return pkg_dict


def _source_type(source_id: str) -> str | None:
    from ckan import model
    from ckanext.harvest.model import HarvestSource

    # by primary key: during a harvest the source is in the session already
    # (no query for every record indexed)
    source = model.Session.get(HarvestSource, source_id)
    return source.type if source is not None else None


CAPABILITY = Capability(name="sensors", package=__name__, modules=("table_geojson", "layer", "views"),
                        index_hooks=(_mark_own_publication,))
