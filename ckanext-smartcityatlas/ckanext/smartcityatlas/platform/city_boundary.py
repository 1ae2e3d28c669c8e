# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city boundary made from its districts (``ckan sca city-boundary``),
for cities that publish district outlines but no boundary file.

The result is written like the shipped boundaries (a FeatureCollection in
WGS 84 with the CRS84 name, the municipality's name and keys as
properties) and says what it was made from; the district file's own
metadata (attribution, licence, source) is carried over, since the
boundary is derived from it.
"""
from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import shapely
import shapely.geometry

CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
METADATA_KEYS = ("attribution", "license", "licence", "source", "copyright", "name")
METRES_PER_DEGREE = 111_320
PRECISION = 1e-7  # degrees, about 1 cm


@dataclasses.dataclass
class Boundary:
    geojson: dict
    parts: int
    holes: int
    area_km2: float
    districts: int


def _area_km2(geom) -> float:
    lat = geom.centroid.y
    return geom.area * (METRES_PER_DEGREE / 1000) ** 2 * math.cos(math.radians(lat))


def build(settings: dict, district_data: dict, district_file: str, close_gaps_m: float = 0.0) -> Boundary:
    """The boundary of the districts in district_data (a GeoJSON dict):
    their union, with gaps narrower than close_gaps_m metres closed."""
    features = district_data["features"] if district_data.get("type") == "FeatureCollection" else [district_data]
    geoms = [shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features]
    union = shapely.union_all(geoms)
    if close_gaps_m > 0:
        distance = close_gaps_m / METRES_PER_DEGREE
        union = union.buffer(distance, join_style="mitre").buffer(-distance, join_style="mitre")
    union = shapely.set_precision(union, PRECISION)
    polygons = list(getattr(union, "geoms", [union]))
    properties = {
        "GEN": settings.get("title") or settings.get("name"),
        "AGS": str(settings.get("municipality_key") or ""),
        "ARS": str(settings.get("regional_key") or ""),
        "derived_from": f"union of the {len(features)} districts of {district_file} (ckan sca city-boundary)",
    }
    for key in METADATA_KEYS:
        if district_data.get(key):
            properties[f"source_{key}"] = district_data[key]
    geojson = {
        "type": "FeatureCollection",
        "name": f"{settings.get('name') or 'city'}_boundary",
        "crs": CRS84,
        "features": [{"type": "Feature", "properties": properties,
                      "geometry": shapely.geometry.mapping(union)}],
    }
    return Boundary(json.loads(json.dumps(geojson)), parts=len(polygons),
                    holes=sum(len(p.interiors) for p in polygons), area_km2=_area_km2(union),
                    districts=len(features))


def write(path: Path, boundary: Boundary) -> None:
    path.write_text(json.dumps(boundary.geojson, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
