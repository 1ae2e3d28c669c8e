# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_geojson and /atlas/geojson: permissions, popup properties only,
coarsened locations, gzip, ETag, cache per permission labels, the cap."""
import gzip
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.helpers.entities import ALTMARKT, actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
POPUP_PROPERTIES = {"id", "name", "title", "type", "actor_kind", "helix_sector", "project_kind", "status",
                    "districts", "topics", "location_coarsened", "url"}
NEUSTADT_ADDRESS = {"type": "Point", "coordinates": [13.7456, 51.0651]}


@pytest.fixture
def atlas(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    a = call("package_create", editor, **actor_data(f"a-{u}", org, title=f"Solarwerkstatt {u}",
                                                     contact_email="kontakt@example.org",
                                                     street_address="Altmarkt 1"))
    x = call("package_create", editor, **actor_data(f"x-{u}", org, title=f"Geheimlabor {u}", private=True))
    c = call("package_create", editor, **actor_data(f"c-{u}", org, title=f"Nachbarschaftsgarten {u}",
                                                     actor_kind="civil_society", helix_sector="civil_society",
                                                     location_precision="district",
                                                     spatial=json.dumps(NEUSTADT_ADDRESS)))
    p = call("package_create", editor, **project_data(f"p-{u}", org, title=f"Solarquartier {u}",
                                                       spatial=json.dumps({"type": "Point", "coordinates": [13.7672, 51.1343]})))
    n = call("package_create", editor, **project_data(f"n-{u}", org, title=f"Ohne Ort {u}"))
    return dict(world, a=a, x=x, c=c, p=p, n=n)


def _by_name(collection):
    assert collection["type"] == "FeatureCollection"
    return {f["properties"]["name"]: f for f in collection["features"]}


@pytest.mark.parametrize("role,sees_private", [("anonymous", False), ("other_editor", False), ("member", True),
                                                ("sysadmin", True)])
def test_features_follow_permissions(atlas, role, sees_private):
    features = _by_name(call("sca_geojson", atlas["users"][role], organization=atlas["org_a"]["name"]))
    expected = {atlas[k]["name"] for k in ("a", "c", "p")} | ({atlas["x"]["name"]} if sees_private else set())
    assert set(features) == expected  # "Ohne Ort" has no location: not on the map


def test_properties_are_for_the_popup_only(atlas):
    features = _by_name(call("sca_geojson", None, organization=atlas["org_a"]["name"]))
    a = features[atlas["a"]["name"]]
    assert set(a["properties"]) <= POPUP_PROPERTIES
    assert "kontakt@example.org" not in json.dumps(features) and "Altmarkt 1" not in json.dumps(features)
    assert a["geometry"] == {"type": "Point", "coordinates": ALTMARKT["coordinates"]}
    assert a["properties"]["type"] == "actor" and a["properties"]["helix_sector"] == "science"
    assert a["properties"]["districts"] == ["Innere Altstadt"]
    assert a["properties"]["url"].endswith(f"/actor/{atlas['a']['name']}")
    assert features[atlas["p"]["name"]]["properties"]["status"] == "running"


def test_a_location_shown_at_district_level_is_the_district_point(atlas):
    features = _by_name(call("sca_geojson", None, organization=atlas["org_a"]["name"]))
    c = features[atlas["c"]["name"]]
    assert c["geometry"]["coordinates"] != NEUSTADT_ADDRESS["coordinates"]
    assert c["geometry"]["coordinates"] == json.loads(call("package_show", None, id=atlas["c"]["id"])["spatial"])["coordinates"]
    assert c["properties"]["location_coarsened"] is True


def test_filters_are_those_of_sca_search(atlas):
    org = atlas["org_a"]["name"]

    def names(**kw):
        return set(_by_name(call("sca_geojson", None, organization=org, **kw)))

    assert names(entity_type="project") == {atlas["p"]["name"]}
    assert names(bbox="13.73,51.04,13.75,51.06") == {atlas["a"]["name"]}
    assert names(lat=51.1343, lon=13.7672, radius_km=1) == {atlas["p"]["name"]}
    assert names(q="Solarwerkstatt") == {atlas["a"]["name"]}
    assert names(helix_sector="civil_society") == {atlas["c"]["name"]}
    for bad in ({"fq": "*:*"}, {"entity_type": "dataset"}, {"lat": "x", "lon": 1, "radius_km": 1}):
        with pytest.raises((tk.ValidationError, Exception)) as err:
            call("sca_geojson", None, **bad)
        assert not isinstance(err.value, AssertionError)


@pytest.mark.ckan_config("ckanext.smartcityatlas.geojson.max_features", 2)
def test_the_cap_says_it_truncated(atlas):
    result = call("sca_geojson", atlas["users"]["member"], organization=atlas["org_a"]["name"])
    assert len(result["features"]) == 2 and result["truncated"] is True and result["total"] == 4


def test_route_gzip_etag_and_revalidation(app, atlas):
    org = atlas["org_a"]["name"]
    resp = app.get("/atlas/geojson", query_string={"organization": org}, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert resp.headers["Content-Type"].startswith("application/geo+json")
    body = json.loads(gzip.decompress(resp.data))
    assert body == call("sca_geojson", None, organization=org)
    etag = resp.headers["ETag"]
    assert app.get("/atlas/geojson", query_string={"organization": org},
                   headers={"If-None-Match": etag}).status_code == 304
    plain = app.get("/atlas/geojson", query_string={"organization": org})
    assert "Content-Encoding" not in plain.headers and json.loads(plain.data) == body
    # an edit makes a new body and ETag: the cache never serves a stale map
    call("package_patch", atlas["users"]["editor"], id=atlas["a"]["id"], title=f"Umbenannt {atlas['unique']}")
    again = app.get("/atlas/geojson", query_string={"organization": org}, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert f"Umbenannt {atlas['unique']}" in again.get_data(as_text=True)


def test_route_cache_is_per_permission_labels(app, atlas):
    org = atlas["org_a"]["name"]
    anonymous = app.get("/atlas/geojson", query_string={"organization": org})
    token = factories.APIToken(user=atlas["users"]["member"]["name"])["token"]
    member = app.get("/atlas/geojson", query_string={"organization": org}, headers={"Authorization": token})
    assert atlas["x"]["name"] not in anonymous.get_data(as_text=True)
    assert atlas["x"]["name"] in member.get_data(as_text=True)
    assert member.headers["ETag"] != anonymous.headers["ETag"]
    assert "private" in member.headers["Cache-Control"]
    # and the anonymous entry still does not contain the private actor
    assert atlas["x"]["name"] not in app.get("/atlas/geojson", query_string={"organization": org}).get_data(as_text=True)


def test_route_rejects_bad_filters(app):
    resp = app.get("/atlas/geojson", query_string={"fl": "*"})
    assert resp.status_code == 400 and "fl" in resp.json["error"]
    assert app.get("/atlas/geojson", query_string={"bbox": "not,a,bbox"}).status_code == 400


def _stored_features(ids):
    """The map features the index keeps for these entities (Solr, all states and labels)."""
    from ckan.lib.search import query_for

    quoted = " OR ".join(f'"{i}"' for i in ids)
    result = query_for("package").run({"q": "*:*", "fq": f"+id:({quoted})", "fl": "id sca_map_feature",
                                       "rows": len(ids)}, permission_labels=None)
    return {doc["id"]: doc.get("sca_map_feature") for doc in result["results"]}


def test_each_feature_is_stored_in_the_index_when_saved(atlas):
    """The map joins the features the index keeps (no per-entity work when
    the cache is cold); they are exactly what the map serves, and an edit
    changes them."""
    features = _by_name(call("sca_geojson", atlas["users"]["member"], organization=atlas["org_a"]["name"]))
    stored = _stored_features([atlas[k]["id"] for k in ("a", "x", "c", "p", "n")])
    for key in ("a", "x", "c", "p"):
        assert json.loads(stored[atlas[key]["id"]]) == features[atlas[key]["name"]]
    assert stored[atlas["n"]["id"]] is None  # no location, no feature
    call("package_patch", atlas["users"]["editor"], id=atlas["p"]["id"], status="completed")
    assert json.loads(_stored_features([atlas["p"]["id"]])[atlas["p"]["id"]])["properties"]["status"] == "completed"


def test_entities_indexed_without_a_stored_feature_are_built_from_their_fields(atlas, monkeypatch):
    """Index entries written before the stored feature existed (or too large
    to store) give the same map."""
    from ckan.lib import search

    from ckanext.smartcityatlas.atlas import geojson

    org = atlas["org_a"]["name"]
    before = call("sca_geojson", atlas["users"]["member"], organization=org)
    monkeypatch.setattr(geojson, "MAX_FEATURE_BYTES", 0)
    search.rebuild(atlas["a"]["id"])
    assert _stored_features([atlas["a"]["id"]])[atlas["a"]["id"]] is None
    assert call("sca_geojson", atlas["users"]["member"], organization=org) == before


def test_feature_links_follow_the_language_of_the_page(app, atlas):
    """The entity links carry the site's prefix of the request (here the
    English pages under /en/), also when another language's map is cached."""
    org = atlas["org_a"]["name"]
    german = json.loads(app.get("/atlas/geojson", query_string={"organization": org}).data)
    english = json.loads(app.get("/en/atlas/geojson", query_string={"organization": org}).data)
    urls = {f["properties"]["name"]: f["properties"]["url"] for f in english["features"]}
    assert urls[atlas["a"]["name"]] == f"/en/actor/{atlas['a']['name']}"
    assert urls[atlas["p"]["name"]] == f"/en/project/{atlas['p']['name']}"
    assert {f["properties"]["url"] for f in german["features"]} == {u.replace("/en/", "/", 1) for u in urls.values()}


def test_the_scheduler_builds_the_map_before_the_first_visitor(app, atlas):
    """After an index change the scheduler's warm-up builds the plain atlas
    page's map; the first anonymous visitor gets it from the cache (the
    cache key is the ETag), built for the changed index."""
    from ckan.lib.redis import connect_to_redis

    from ckanext.smartcityatlas.atlas import map_cache
    from ckanext.smartcityatlas.common import response_cache

    call("package_patch", atlas["users"]["editor"], id=atlas["a"]["id"], title=f"Vorab {atlas['unique']}")
    assert map_cache.warm_map_cache() is True
    assert map_cache.warm_map_cache() is False  # built once per index state
    cached = [k for k in connect_to_redis().scan_iter(match=response_cache.PREFIX + "*")]
    response = app.get("/atlas/geojson", headers={"Accept-Encoding": "gzip"})
    key = response.headers["ETag"].strip('"')
    assert (response_cache.PREFIX + key).encode() in cached
    assert f"Vorab {atlas['unique']}" in gzip.decompress(response.data).decode("utf-8")
