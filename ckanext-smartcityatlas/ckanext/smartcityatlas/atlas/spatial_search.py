# SPDX-License-Identifier: AGPL-3.0-or-later
"""Radius and geometry filters for ``package_search`` on ``spatial_geom``.

ckanext-spatial offers ``ext_bbox``; the atlas also needs "within N km of a
point" and "intersects this geometry" (a district, a drawn area). Both are
passed like ``ext_bbox`` in ``extras`` and become Solr filter queries:

- ``ext_lat``, ``ext_lon``, ``ext_radius_km`` → ``{!geofilt}`` (great-circle
  distance to the nearest part of the geometry);
- ``ext_intersects``: a GeoJSON geometry (or WKT) → ``Intersects(...)``.

Input is checked here, so callers get a clear error instead of a Solr
syntax error, and nothing a caller sends reaches Solr unparsed: the filter is
rebuilt from numbers and from shapely's WKT. A geometry's size is capped
(``search.geometry_max_bytes``, ``…_max_vertices``) before it is parsed, as
far as possible: 200,000 vertices cost the web process seconds.
"""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import shapely.geometry
import shapely.wkt
from ckan.lib.search.common import SearchQueryError
from ckanext.smartcityatlas.capability import Registry

register = Registry()

GEOM_FIELD = "spatial_geom"


def _number(extras: dict, key: str, low: float, high: float) -> float:
    try:
        value = float(extras[key])
    except (TypeError, ValueError):
        raise SearchQueryError(f"{key} must be a number") from None
    if not low <= value <= high or value != value:  # value != value: NaN
        raise SearchQueryError(f"{key} must be between {low:g} and {high:g}")
    return value


def radius_filter(extras: dict) -> str | None:
    keys = ("ext_lat", "ext_lon", "ext_radius_km")
    given = [k for k in keys if extras.get(k) not in (None, "")]
    if not given:
        return None
    if len(given) != len(keys):
        raise SearchQueryError("ext_lat, ext_lon and ext_radius_km go together")
    max_km = tk.config.get("ckanext.smartcityatlas.search.max_radius_km")
    lat = _number(extras, "ext_lat", -90, 90)
    lon = _number(extras, "ext_lon", -180, 180)
    radius = _number(extras, "ext_radius_km", 0, float(max_km))
    # Quoted: CKAN's local-parameter parser accepts only [A-Za-z0-9_$] unquoted.
    return f"{{!geofilt sfield={GEOM_FIELD} pt='{lat!r},{lon!r}' d='{radius!r}'}}"


def _check_bytes(text: str) -> None:
    limit = tk.config.get("ckanext.smartcityatlas.search.geometry_max_bytes")
    # characters never outnumber bytes: only a text within the limit is encoded
    if limit > 0 and (len(text) > limit or len(text.encode("utf-8")) > limit):
        raise SearchQueryError(f"ext_intersects is larger than {limit} bytes")


def _check_vertices(count: int) -> None:
    limit = tk.config.get("ckanext.smartcityatlas.search.geometry_max_vertices")
    if count > limit > 0:
        raise SearchQueryError(f"ext_intersects has more than {limit} vertices")


def count_positions(geojson, stop_after: int) -> int:
    """Positions of a GeoJSON geometry, counted before shapely builds it
    (which costs seconds for 200,000); counting stops after ``stop_after``."""
    count, stack = 0, [geojson]
    while stack and count <= stop_after:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node[k] for k in ("coordinates", "geometries") if isinstance(node.get(k), list))
        elif isinstance(node, list):
            if node and not isinstance(node[0], (list, dict)):
                count += 1
            else:
                stack.extend(node)
    return count


def _parsed(value) -> shapely.geometry.base.BaseGeometry:
    """shapely's geometry of GeoJSON (dict or text) or WKT, its size checked first."""
    if not isinstance(value, (str, dict)):  # a list of 200,000 pairs is not even turned into text
        raise SearchQueryError("ext_intersects must be a GeoJSON geometry or WKT")
    if isinstance(value, str):
        _check_bytes(value)
    max_vertices = tk.config.get("ckanext.smartcityatlas.search.geometry_max_vertices")
    try:
        if isinstance(value, str) and value.lstrip().startswith("{"):
            value = json.loads(value)
        if isinstance(value, dict):
            _check_vertices(count_positions(value, max_vertices))
            return shapely.geometry.shape(value)
        geom = shapely.wkt.loads(value)  # GEOS parses fast; the bytes are capped above
    except SearchQueryError:
        raise
    except Exception:  # noqa: BLE001 - shapely/json raise many kinds
        raise SearchQueryError("ext_intersects must be a GeoJSON geometry or WKT") from None
    _check_vertices(shapely.get_num_coordinates(geom))
    return geom


# A geometry collection inside a collection inside …: Solr's parser recurses
# (from about 1,000 levels its stack overflows, a 500); a search area needs none.
MAX_COLLECTION_DEPTH = 2


def _collection_depth(geom) -> int:
    deepest, stack = 0, [(geom, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, shapely.geometry.GeometryCollection):  # shapely's Multi* are no subclass
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_COLLECTION_DEPTH:
                break
            stack.extend((part, depth) for part in node.geoms)
    return deepest


def parse_geometry(value) -> shapely.geometry.base.BaseGeometry:
    """A shapely geometry from GeoJSON (dict or text) or WKT; SearchQueryError
    if invalid or larger than the configured caps (vertices, bytes)."""
    geom = _parsed(value)
    if _collection_depth(geom) > MAX_COLLECTION_DEPTH:
        raise SearchQueryError(f"ext_intersects nests geometry collections more than {MAX_COLLECTION_DEPTH} deep")
    if geom.is_empty or not geom.is_valid:
        raise SearchQueryError("ext_intersects is not a valid geometry")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise SearchQueryError("ext_intersects must use WGS84 longitude/latitude")
    return geom


def intersects_filter(extras: dict) -> str | None:
    value = extras.get("ext_intersects")
    if value in (None, ""):
        return None
    geom = parse_geometry(value)
    return f"{{!field f={GEOM_FIELD}}}Intersects({geom.wkt})"


@register.action
@tk.side_effect_free
@tk.chained_action
def package_search(up, context, data_dict):
    """``extras`` (the ``ext_*`` parameters) must be an object: ckanext-spatial
    reads it with ``.get`` before any hook of ours (a list was a 500)."""
    if isinstance(data_dict, dict) and not isinstance(data_dict.get("extras", {}), dict):
        raise tk.ValidationError({"extras": [tk._("Must be an object of ext_* parameters.")]})
    return up(context, data_dict)


def add_spatial_filters(search_params: dict) -> dict:
    extras = search_params.get("extras") or {}
    filters = [f for f in (radius_filter(extras), intersects_filter(extras)) if f]
    if filters:
        search_params.setdefault("fq_list", [])
        search_params["fq_list"].extend(filters)
    return search_params


def allow_query_parsers(config) -> None:
    """CKAN refuses local params in fq unless their parser is allowed."""
    allowed = config.get("ckan.search.solr_allowed_query_parsers") or []
    if isinstance(allowed, str):
        allowed = allowed.split()
    for parser in ("geofilt", "field"):
        if parser not in allowed:
            allowed.append(parser)
    config["ckan.search.solr_allowed_query_parsers"] = allowed
