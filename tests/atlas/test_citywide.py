# SPDX-License-Identifier: AGPL-3.0-or-later
"""City-wide entries are no points (issue 29, item 4): entries covering at
least half of the districts are kept out of the map's points and out of
map-area and radius searches, and listed beside the map instead."""
import json
from collections import Counter

import pytest
import shapely.geometry
import shapely.ops

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.entities import coverage
from tests.helpers.demo import demo_atlas
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
ANONYMOUS = {"user": "", "ignore_auth": False}


def _city_area():
    return json.dumps(shapely.geometry.mapping(city_config.current().boundary.simplify(0.0005)))


def _districts_area(*names):
    city = city_config.current()
    union = shapely.ops.unary_union([city.district_by_name(n).geometry for n in names]).buffer(-0.0005)
    return json.dumps(shapely.geometry.mapping(union.simplify(0.0005)))


@pytest.fixture
def entries(unique):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    citywide = call("package_create", editor, **project_data(f"city-{unique}", org, title=f"Stadtweit {unique}",
                                                              spatial=_city_area()))
    two = call("package_create", editor, **project_data(f"two-{unique}", org, title=f"Zwei Stadtteile {unique}",
                                                         spatial=_districts_area("Innere Altstadt", "Pirnaische Vorstadt")))
    point = call("package_create", editor, **actor_data(unique, org))
    return {"org": org, "citywide": citywide, "two": two, "point": point}


def _names(result):
    return {r["name"] for r in result["results"]}


def test_an_entry_covering_half_the_districts_is_citywide(entries):
    assert len(entries["citywide"]["sca_districts"]) >= coverage.district_limit()
    org = entries["org"]["name"]
    everything = call("sca_search", None, organization=org)
    flags = {r["name"]: r["citywide"] for r in everything["results"]}
    assert flags == {entries["citywide"]["name"]: True, entries["two"]["name"]: False,
                     entries["point"]["name"]: False}
    assert _names(call("sca_search", None, organization=org, scope="citywide")) == {entries["citywide"]["name"]}
    assert entries["citywide"]["name"] not in _names(call("sca_search", None, organization=org, scope="local"))


def test_citywide_entries_are_no_points_on_the_map(entries):
    features = call("sca_geojson", None, organization=entries["org"]["name"])["features"]
    assert {f["properties"]["name"] for f in features} == {entries["two"]["name"], entries["point"]["name"]}


def test_area_searches_leave_citywide_entries_out(entries):
    org = entries["org"]["name"]
    lon, lat = json.loads(entries["point"]["spatial"])["coordinates"]
    near = call("sca_search", None, organization=org, lat=lat, lon=lon, radius_km=2)
    assert entries["citywide"]["name"] not in _names(near) and entries["point"]["name"] in _names(near)
    box = call("sca_search", None, organization=org, bbox="13.6,50.95,13.9,51.15")
    assert entries["citywide"]["name"] not in _names(box)
    # asked for, they are found by area too
    assert entries["citywide"]["name"] in _names(call("sca_search", None, organization=org, bbox="13.6,50.95,13.9,51.15",
                                                      scope="citywide"))


def test_bad_scope_is_a_validation_error():
    with pytest.raises(tk.ValidationError) as exc:
        call("sca_search", None, scope="everywhere")
    assert "scope" in exc.value.error_dict


@pytest.mark.ckan_config("ckanext.smartcityatlas.atlas.citywide_share", "0.02")
def test_the_share_is_configurable(unique):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    two = call("package_create", editor, **project_data(f"two-{unique}", org,
                                                         spatial=_districts_area("Innere Altstadt", "Pirnaische Vorstadt")))
    assert coverage.district_limit() == 2
    assert call("sca_search", None, organization=org["name"])["results"][0]["citywide"] is True
    assert call("sca_geojson", None, organization=org["name"])["features"] == []


def test_the_atlas_page_lists_citywide_entries_beside_the_map(app, entries):
    org = entries["org"]["name"]
    page = app.get("/atlas", query_string={"organization": org}).body
    box = page[page.index('id="sca-atlas-citywide"'):]
    box = box[:box.index("</section>")]
    assert entries["citywide"]["title"] in box and entries["two"]["title"] not in box
    # the list marks it, and names the districts of the others for the map's highlight
    assert "sca-badge-citywide" in page[page.index('id="sca-atlas-results"'):]
    assert 'data-districts="[&#34;Innere Altstadt&#34;, &#34;Pirnaische Vorstadt&#34;]"' in page \
        or 'data-districts="[&quot;Innere Altstadt&quot;, &quot;Pirnaische Vorstadt&quot;]"' in page
    near = app.get("/en/atlas", query_string={"organization": org, "lat": "51.05", "lon": "13.74",
                                              "radius_km": "2"}).body
    assert "not part of the search by map area or radius" in near and "without city-wide entries" in near
    results = near[near.index('id="sca-atlas-results"'):]
    assert entries["citywide"]["title"] not in results[:results.index("</div>")]


def test_demo_radius_search_around_altfranken_finds_local_entries_only():
    """The issue's case: 2 km around Altfranken/Gompitz returned the 69
    city-wide demo entries and nothing local."""
    names = demo_atlas()["names"]
    city = city_config.current()
    lon, lat = city.district_point(city.district_by_name("Altfranken/Gompitz"))["coordinates"]
    near = helpers.call_action("sca_search", dict(ANONYMOUS), lat=lat, lon=lon, radius_km=2, rows=100)
    assert not any(r["citywide"] for r in near["results"])
    citywide = helpers.call_action("sca_search", dict(ANONYMOUS), scope="citywide", rows=100)
    demo_citywide = [r for r in citywide["results"] if r["name"] in names]
    assert len(demo_citywide) >= 60


def test_demo_map_has_no_pile_of_entries_on_one_point():
    names = demo_atlas()["names"]
    features = [f for f in helpers.call_action("sca_geojson", dict(ANONYMOUS))["features"]
                if f["properties"]["name"] in names]
    assert features
    on_one_point = Counter(tuple(f["geometry"]["coordinates"]) for f in features).most_common(1)[0][1]
    assert on_one_point <= 5, on_one_point
