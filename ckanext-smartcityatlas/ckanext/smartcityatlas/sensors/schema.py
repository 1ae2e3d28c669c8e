# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the sensor actions (input_schema.py)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.input_schema import (Field, default, identifier, integer, iso_date, one_of, optional,
                                                 required, text, unknown_ignored)

DEFAULT_HOURS = 24
MAX_HOURS = 48


def sca_sensor_geojson() -> dict:
    return {"resource_id": Field("a per-sensor aggregate table (DataStore resource)", required(), identifier()),
            "day": Field("YYYY-MM-DD, 1900–2999 (default: the latest day in the table)", optional, iso_date),
            "__extras": [unknown_ignored]}


def sca_sensor_layer() -> dict:
    from ckanext.smartcityatlas.sensors import phenomena

    ids = tuple(phenomena.phenomena())
    return {
        "phenomenon": Field("a phenomenon id of sensors/phenomena.yaml, e.g. pm10", optional,
                            one_of(ids, tk._("Unknown phenomenon; one of: {ids}").format(ids=", ".join(ids)))),
        "sensor_id": Field("only this sensor", optional, text(200, tk._("Invalid sensor id"))),
        "hours": Field(f"length of each feature's series of hourly means, 0 to {MAX_HOURS} (default "
                       f"{DEFAULT_HOURS})", default(DEFAULT_HOURS), integer(0, MAX_HOURS)),
        "__extras": [unknown_ignored],
    }
