# SPDX-License-Identifier: AGPL-3.0-or-later
"""Locations shown at district level only (``location_precision: district``).

Small initiatives often sit at private addresses. For everyone but the
record's editors, package_show returns a point inside the district instead
of the address point, and the search index holds only that point, so neither
the API, the map nor a radius search can reveal the address. The index's
stored copies (which package_show uses as a cache and package_search
returns) are coarsened too; editors get the exact values from the database.
"""
from __future__ import annotations

import json

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.entities import locations


def coarse_location(spatial) -> dict | None:
    """The point inside the (first) district of the location, or None."""
    if not spatial:
        return None
    try:
        _geojson, geom = locations.parse(spatial)
    except locations.LocationError:
        return None
    city = city_config.current()
    districts = city.districts_of(geom)
    return city.district_point(districts[0]) if districts else None


def wants_coarse(pkg: dict) -> bool:
    return pkg.get("type") == "actor" and pkg.get("location_precision") == "district"


def coarsen_for_public(pkg: dict) -> None:
    point = coarse_location(pkg.get("spatial"))
    if point is None:
        pkg.pop("spatial", None)
    else:
        pkg["spatial"] = json.dumps(point, separators=(",", ":"))
    for field in ("street_address",):
        pkg.pop(field, None)
    pkg["location_coarsened"] = True


def restore_exact(pkg: dict) -> None:
    """For editors: the exact location and address from the database."""
    from ckan import model

    obj = model.Package.get(pkg["id"])
    extras = (obj.extras or {}) if obj else {}
    for field in ("spatial", "street_address"):
        if extras.get(field):
            pkg[field] = extras[field]


def coarsen_index(pkg_dict: dict) -> dict:
    """before_dataset_index (after ckanext-spatial): index only the district point."""
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    if not wants_coarse(data):
        return pkg_dict
    point = coarse_location(data.get("spatial"))
    pkg_dict.pop("spatial_geom", None)
    if point is not None:
        x, y = point["coordinates"]
        pkg_dict["spatial_geom"] = [f"POINT ({x} {y})"]
    # the stored documents must not carry the address point either
    coarse = dict(data)
    coarsen_for_public(coarse)
    pkg_dict["validated_data_dict"] = json.dumps(coarse)
    raw = json.loads(pkg_dict.get("data_dict") or "{}")
    if raw:
        raw["extras"] = [e for e in raw.get("extras", []) if e.get("key") not in ("spatial", "street_address")]
        if coarse.get("spatial"):
            raw["extras"].append({"key": "spatial", "value": coarse["spatial"]})
        pkg_dict["data_dict"] = json.dumps(raw)
    for key in ("extras_spatial", "extras_street_address", "street_address"):
        pkg_dict.pop(key, None)
    return pkg_dict
