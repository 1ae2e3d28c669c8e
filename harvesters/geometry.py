# SPDX-License-Identifier: AGPL-3.0-or-later
"""Geometries of harvested records (``dct:spatial``) as the schema stores them: GeoJSON.

Repaired where they have one meaning:

* GeoJSON with the type in another case (``"polygon"``, ``"MULTIPOLYGON"``),
  also inside a geometry collection;
* GeoJSON given as a Feature (its geometry);
* WKT (``POINT (10.78 54.10)``, ``MULTIPOLYGON (((…)))``), also as a
  GeoSPARQL literal with the CRS84 IRI in front or as EWKT with
  ``SRID=4326;`` (both longitude first).

A WKT literal that names another coordinate system (EPSG:4326 in GeoSPARQL
is latitude first, others need a transformation) is not guessed at.
"""
from __future__ import annotations

import json
import re

GEOJSON_TYPES = {t.lower(): t for t in (
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")}
_CRS84 = re.compile(r"^<\s*https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84\s*>\s*", re.I)
_OTHER_CRS = re.compile(r"^<[^>]*>\s*")
_SRID = re.compile(r"^SRID=(\d+)\s*;\s*", re.I)
_WKT = re.compile(r"^(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|GEOMETRYCOLLECTION)\b",
                  re.I)


class GeometryError(ValueError):
    """No geometry the schema can store; the message says why."""


def to_geojson(value) -> tuple[dict, list[str]]:
    """(GeoJSON geometry, what was repaired); GeometryError if there is none."""
    repaired: list[str] = []
    if isinstance(value, dict):
        data = value
    else:
        text = str(value).strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                raise GeometryError("not valid GeoJSON") from None
        else:
            return _from_wkt(text), ["WKT → GeoJSON"]
    if not isinstance(data, dict):
        raise GeometryError("not a GeoJSON geometry")
    if data.get("type") == "Feature" or str(data.get("type") or "").lower() == "feature":
        data = data.get("geometry")
        repaired.append("the Feature's geometry")
        if not isinstance(data, dict):
            raise GeometryError("a GeoJSON Feature without a geometry")
    fixed = _type_case(data)
    if fixed != data:
        repaired.append("GeoJSON type case")
    return fixed, repaired


def _type_case(data):
    if isinstance(data, list):
        return [_type_case(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {key: _type_case(value) if key == "geometries" else value for key, value in data.items()}
    kind = out.get("type")
    if isinstance(kind, str) and kind.lower() in GEOJSON_TYPES:
        out["type"] = GEOJSON_TYPES[kind.lower()]
    return out


def _from_wkt(text: str) -> dict:
    from geomet import wkt

    if _CRS84.match(text):
        text = _CRS84.sub("", text)
    elif _OTHER_CRS.match(text):
        raise GeometryError("WKT in a coordinate system other than CRS84 (longitude, latitude)")
    srid = _SRID.match(text)
    if srid:
        if srid.group(1) != "4326":
            raise GeometryError(f"WKT in the coordinate system EPSG:{srid.group(1)}")
        text = text[srid.end():]
    keyword = _WKT.match(text)
    if not keyword:
        raise GeometryError("neither GeoJSON nor WKT")
    try:  # geomet reads the keywords in capitals only
        data = wkt.loads(keyword.group(1).upper() + text[keyword.end():])
    except Exception:  # noqa: BLE001 - geomet raises several kinds for bad input
        raise GeometryError("invalid WKT") from None
    data.pop("meta", None)
    data.pop("crs", None)
    return data
