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
])
def test_bad_spatial_input_is_a_clear_error(extras, message):
    with pytest.raises(SearchQueryError, match=message):
        helpers.call_action("package_search", extras=extras)


def test_bad_spatial_input_is_http_400(app):
    resp = app.get("/api/3/action/package_search", query_string={"ext_lat": "95", "ext_lon": "1", "ext_radius_km": "1"}, status=400)
    assert "ext_lat must be between" in resp.json["error"]["message"]
