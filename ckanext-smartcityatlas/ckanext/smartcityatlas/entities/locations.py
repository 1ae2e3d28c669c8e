# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checking entity locations: valid GeoJSON, plausible coordinates, in the city.

Hard errors (the record is refused): not GeoJSON, unsupported geometry type,
coordinates out of range, invalid polygons, and coordinates that only make
sense with longitude and latitude swapped. Soft findings (the record is
saved, editors see a warning): a location outside the configured city.
"""
from __future__ import annotations

import json

import shapely.geometry
from shapely.ops import transform

from ckan.common import _

ALLOWED_TYPES = ("Point", "MultiPoint", "Polygon", "MultiPolygon")


class LocationError(ValueError):
    pass


def _positions(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords or ():
            yield from _positions(c)


def parse(value) -> tuple[dict, shapely.geometry.base.BaseGeometry]:
    """GeoJSON text or dict → (geojson dict, shapely geometry); LocationError if bad."""
    try:
        geojson = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        raise LocationError(_("The location is not valid GeoJSON.")) from None
    if not isinstance(geojson, dict) or geojson.get("type") not in ALLOWED_TYPES:
        raise LocationError(_("The location must be a GeoJSON Point, MultiPoint, Polygon or MultiPolygon."))
    positions = list(_positions(geojson.get("coordinates")))
    if not positions or any(len(p) < 2 or not all(isinstance(x, (int, float)) for x in p[:2]) for p in positions):
        raise LocationError(_("The location has no valid coordinates."))
    for lon, lat in (p[:2] for p in positions):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise LocationError(_("Coordinates out of range: longitude must be between -180 and 180, latitude between -90 and 90."))
    try:
        geom = shapely.geometry.shape(geojson)
    except Exception:  # noqa: BLE001
        raise LocationError(_("The location is not valid GeoJSON.")) from None
    if geom.is_empty or not geom.is_valid:
        raise LocationError(_("The polygon is invalid (e.g. it crosses itself)."))
    return geojson, geom


def display_point(value) -> tuple[float, float] | None:
    """(lon, lat) to show a stored location as one point: the point itself
    or a point inside an area; None when there is no usable location."""
    if not value:
        return None
    try:
        _geojson, geom = parse(value)
    except LocationError:
        return None
    if geom.is_empty:
        return None
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    return (point.x, point.y)


def swapped(geom):
    return transform(lambda x, y, z=None: (y, x), geom)


def check_in_city(geom, city) -> str | None:
    """None if inside; raise LocationError if lon/lat are evidently swapped;
    else a warning text for editors."""
    if city.contains(geom):
        return None
    if city.contains(swapped(geom)):
        raise LocationError(_("Longitude and latitude seem to be swapped: GeoJSON expects longitude first."))
    return _("The location lies outside the city boundary.")
