# SPDX-License-Identifier: AGPL-3.0-or-later
"""Points, multipoints and polygons in spatial_geom; bbox, intersects and
radius queries find exactly the right records."""
import json

import pytest

from ckan.lib.search.common import SearchQueryError
from ckan.tests import factories, helpers

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "spatial_metadata spatial_query smartcityatlas"),
    pytest.mark.usefixtures("with_plugins"),
]

ALTMARKT = (13.7383, 51.0504)
PLACES = {
    "altmarkt": {"type": "Point", "coordinates": list(ALTMARKT)},
    "flughafen": {"type": "Point", "coordinates": [13.7672, 51.1343]},
    "pillnitz-hellerau": {"type": "MultiPoint", "coordinates": [[13.8696, 51.0083], [13.7507, 51.1056]]},
    "grosser-garten": {"type": "Polygon", "coordinates": [[[13.75, 51.03], [13.79, 51.03], [13.79, 51.045], [13.75, 51.045], [13.75, 51.03]]]},
    "leipzig": {"type": "Polygon", "coordinates": [[[12.36, 51.33], [12.39, 51.33], [12.39, 51.35], [12.36, 51.35], [12.36, 51.33]]]},
}


_PLACES_CACHE = {}


@pytest.fixture
def places():
    """Created once per module, but with the plugins loaded (with_plugins is
    function-scoped) so that spatial_query indexes the geometries."""
    if _PLACES_CACHE:
        return _PLACES_CACHE["value"]
    org = factories.Organization()
    unique = factories.fake.unique.pyint()
    for key, geometry in PLACES.items():
        helpers.call_action(
            "package_create", name=f"{key}-{unique}", owner_org=org["id"],
            extras=[{"key": "spatial", "value": json.dumps(geometry)}],
        )
    _PLACES_CACHE["value"] = (org["id"], unique)
    return _PLACES_CACHE["value"]


def _found(places, **extras):
    org_id, unique = places
    result = helpers.call_action("package_search", fq=f"owner_org:{org_id}", rows=50, extras=extras)
    return sorted(d["name"].rsplit("-", 1)[0] for d in result["results"])


def test_bbox(places):
    assert _found(places, ext_bbox="13.72,51.04,13.745,51.06") == ["altmarkt"]
    # Inside the polygon, away from its corners: a geometry index, not bboxes of points.
    assert _found(places, ext_bbox="13.76,51.035,13.77,51.04") == ["grosser-garten"]
    assert _found(places, ext_bbox="13.85,51.0,13.88,51.02") == ["pillnitz-hellerau"]


@pytest.mark.parametrize("radius,expected", [
    (0.5, ["altmarkt"]),
    (2, ["altmarkt", "grosser-garten"]),
    (7, ["altmarkt", "grosser-garten", "pillnitz-hellerau"]),
    (12, ["altmarkt", "flughafen", "grosser-garten", "pillnitz-hellerau"]),
])
def test_radius_around_a_point(places, radius, expected):
    lon, lat = ALTMARKT
    assert _found(places, ext_lat=lat, ext_lon=lon, ext_radius_km=radius) == expected


def test_intersects_geojson_and_wkt(places):
    pillnitz_area = {"type": "Polygon", "coordinates": [[[13.86, 51.0], [13.88, 51.0], [13.88, 51.02], [13.86, 51.02], [13.86, 51.0]]]}
    assert _found(places, ext_intersects=json.dumps(pillnitz_area)) == ["pillnitz-hellerau"]
    assert _found(places, ext_intersects=pillnitz_area) == ["pillnitz-hellerau"]
    # A line across the park and the Altmarkt.
    assert _found(places, ext_intersects="LINESTRING (13.7383 51.0504, 13.77 51.04)") == ["altmarkt", "grosser-garten"]


@pytest.mark.parametrize("extras,message", [
    ({"ext_lat": 95, "ext_lon": 13.7, "ext_radius_km": 1}, "ext_lat must be between"),
    ({"ext_lat": 51, "ext_lon": 13.7}, "go together"),
    ({"ext_lat": "x", "ext_lon": 13.7, "ext_radius_km": 1}, "must be a number"),
    ({"ext_lat": 51, "ext_lon": 13.7, "ext_radius_km": 5000}, "ext_radius_km must be between"),
    ({"ext_lat": 51, "ext_lon": 13.7, "ext_radius_km": "nan"}, "ext_radius_km must be between"),
    ({"ext_intersects": "POLYGON((1 2, oops"}, "GeoJSON geometry or WKT"),
    ({"ext_intersects": "POINT (500 500)"}, "WGS84"),
    ({"ext_intersects": "} OR *:*"}, "GeoJSON geometry or WKT"),
    ({"ext_intersects": [[13.7, 51.0]] * 1000}, "GeoJSON geometry or WKT"),
])
def test_bad_spatial_input_is_a_clear_error(extras, message):
    with pytest.raises(SearchQueryError, match=message):
        helpers.call_action("package_search", extras=extras)


def test_bad_spatial_input_is_http_400(app):
    resp = app.get("/api/3/action/package_search", query_string={"ext_lat": "95", "ext_lon": "1", "ext_radius_km": "1"}, status=400)
    assert "ext_lat must be between" in resp.json["error"]["message"]


def _ring(vertices):
    """A closed ring of ``vertices`` points around the Altmarkt."""
    import math

    points = [[round(13.74 + 0.01 * math.cos(2 * math.pi * i / vertices), 6),
               round(51.05 + 0.01 * math.sin(2 * math.pi * i / vertices), 6)] for i in range(vertices)]
    return points + [points[0]]


def _polygon(vertices):
    return {"type": "Polygon", "coordinates": [_ring(vertices)]}


def _wkt(vertices):
    return "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in _ring(vertices)) + "))"


@pytest.mark.ckan_config("ckanext.smartcityatlas.search.geometry_max_vertices", "100")
@pytest.mark.parametrize("value", [
    _polygon(100), json.dumps(_polygon(100)), _wkt(100),
    {"type": "GeometryCollection", "geometries": [_polygon(50), _polygon(50)]},
    {"type": "MultiPoint", "coordinates": _ring(100)},
], ids=["geojson-object", "geojson-text", "wkt", "collection", "multipoint"])
def test_geometries_beyond_the_vertex_cap_are_refused(value):
    with pytest.raises(SearchQueryError, match="ext_intersects has more than 100 vertices"):
        helpers.call_action("package_search", extras={"ext_intersects": value})


@pytest.mark.ckan_config("ckanext.smartcityatlas.search.geometry_max_vertices", "100")
def test_geojson_vertices_are_counted_before_shapely_reads_them():
    # shapely would refuse the last position; the count refuses the whole first
    polygon = _polygon(200)
    polygon["coordinates"][0][-2] = ["not", "a number"]
    with pytest.raises(SearchQueryError, match="more than 100 vertices"):
        helpers.call_action("package_search", extras={"ext_intersects": json.dumps(polygon)})


@pytest.mark.ckan_config("ckanext.smartcityatlas.search.geometry_max_vertices", "100")
@pytest.mark.ckan_config("ckanext.smartcityatlas.search.geometry_max_bytes", "1000")
def test_within_the_caps_a_geometry_is_searched(places):
    inside = _polygon(99)
    assert len(json.dumps(inside)) > 1000  # the bytes cap is for text, a parsed object is counted
    assert _found(places, ext_intersects=inside) == ["altmarkt"]
    with pytest.raises(SearchQueryError, match="ext_intersects is larger than 1000 bytes"):
        helpers.call_action("package_search", extras={"ext_intersects": json.dumps(inside)})
    with pytest.raises(SearchQueryError, match="ext_intersects is larger than 1000 bytes"):
        helpers.call_action("package_search", extras={"ext_intersects": "POINT (13.74 51.05)" + " " * 1000})
    assert _found(places, ext_intersects="POINT (13.7383 51.0504)") == ["altmarkt"]


@pytest.mark.ckan_config("ckanext.smartcityatlas.search.geometry_max_vertices", "100")
def test_a_large_geometry_is_http_400_naming_the_parameter(app):
    resp = app.post("/api/3/action/package_search", json={"extras": {"ext_intersects": _polygon(101)}})
    assert resp.status_code == 400
    assert "ext_intersects has more than 100 vertices" in resp.json["error"]["message"]
    resp = app.get("/dataset/", query_string={"ext_intersects": _wkt(101)})
    assert resp.status_code in (200, 400) and "ext_intersects has more than 100 vertices" in resp.body


def _nested_collections(depth: int) -> str:
    return "GEOMETRYCOLLECTION(" * depth + "POINT (13.7383 51.0504)" + ")" * depth


@pytest.mark.parametrize("depth", (3, 1000, 3000))
def test_deeply_nested_geometry_collections_are_refused(app, depth):
    """Solr's parser recursed on them: from about 1,000 levels a 500."""
    resp = app.post("/api/3/action/package_search", json={"extras": {"ext_intersects": _nested_collections(depth)}})
    assert resp.status_code == 400, resp.body[:300]
    assert "ext_intersects nests geometry collections more than 2 deep" in resp.json["error"]["message"]


def test_a_collection_in_a_collection_is_still_searched(places):
    assert _found(places, ext_intersects=_nested_collections(2)) == ["altmarkt"]


@pytest.mark.parametrize("extras", ([1, 2], "ext_bbox", 5), ids=repr)
def test_extras_that_are_no_object_are_a_clear_error(app, extras):
    resp = app.post("/api/3/action/package_search", json={"extras": extras})
    assert resp.status_code == 409, resp.body[:300]
    assert "extras" in resp.json["error"]
