# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_search: facets and filters, permissions as package_search, no Solr injection."""
import json

import pytest

import ckan.plugins.toolkit as tk

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]


@pytest.fixture
def atlas(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    a = call("package_create", editor, **actor_data(f"a-{u}", org, title=f"Solarwerkstatt {u}"))
    x = call("package_create", editor, **actor_data(f"x-{u}", org, title=f"Geheimlabor {u}", private=True,
                                                     helix_sector="business", actor_kind="company"))
    p = call("package_create", editor, **project_data(f"p-{u}", org, title=f"Solarquartier {u}",
                                                       spatial=json.dumps({"type": "Point", "coordinates": [13.7672, 51.1343]}),
                                                       partners=[{"actor": a["id"], "role": "lead"}]))
    return dict(world, a=a, x=x, p=p)


def _names(result):
    return sorted(r["name"] for r in result["results"])


@pytest.mark.parametrize("role,sees_private", [("anonymous", False), ("other_editor", False), ("member", True)])
def test_results_counts_and_facets_follow_permissions(atlas, role, sees_private):
    result = call("sca_search", atlas["users"][role], organization=atlas["org_a"]["name"])
    expected = {atlas["a"]["name"], atlas["p"]["name"]} | ({atlas["x"]["name"]} if sees_private else set())
    assert set(_names(result)) == expected and result["count"] == len(expected)
    assert result["facets"]["dataset_type"] == {"actor": 2 if sees_private else 1, "project": 1}
    assert ("business" in result["facets"]["helix_sector"]) is sees_private


def test_filters(atlas):
    org = atlas["org_a"]["name"]

    def names(**kw):
        return _names(call("sca_search", None, organization=org, **kw))

    assert names(entity_type="project") == [atlas["p"]["name"]]
    assert names(district="Innere Altstadt") == [atlas["a"]["name"]]
    assert names(district_group="Klotzsche") == [atlas["p"]["name"]]
    assert names(partner=atlas["a"]["id"]) == [atlas["p"]["name"]]
    assert names(topic="energy,mobility", helix_sector="science") == [atlas["a"]["name"]]
    assert names(lat=51.0504, lon=13.7383, radius_km=1) == [atlas["a"]["name"]]
    assert names(q="Solarquartiere") == [atlas["p"]["name"]]  # German stemming
    assert names(q="Solarwerkstatt") == [atlas["a"]["name"]]


def test_measure_filter_gives_the_measure_its_projects_and_their_actors(atlas):
    u, org, editor = atlas["unique"], atlas["org_a"], atlas["users"]["editor"]
    m = call("package_create", editor, **project_data(f"m-{u}", org, title=f"Maßnahme {u}", project_kind="measure"))
    call("package_patch", editor, id=atlas["p"]["id"], part_of=m["id"])
    other = call("package_create", editor, **project_data(f"o-{u}", org, title=f"Anderes {u}"))
    found = _names(call("sca_search", None, organization=org["name"], measure=m["id"]))
    assert found == sorted([m["name"], atlas["p"]["name"], atlas["a"]["name"]])
    assert other["name"] not in found and atlas["x"]["name"] not in found


@pytest.mark.parametrize("q", [
    "{!lucene}*:*", "*:*", "name:*", "x OR *:*", "capacity:private", '" OR dataset_type:actor OR "',
    "{!geofilt sfield=spatial_geom pt=51,13 d=1000}", "\\", ")(",
])
def test_query_injection_cannot_widen_the_search(atlas, q):
    org = atlas["org_a"]["name"]
    result = call("sca_search", None, q=q, organization=org, entity_type="project")
    assert atlas["x"]["name"] not in _names(result)  # no private record
    assert set(_names(result)) <= {atlas["p"]["name"]}  # the filters still hold


def test_raw_solr_parameters_are_refused(atlas):
    for key in ("fq", "fl", "defType", "facet.field"):
        with pytest.raises(tk.ValidationError):
            call("sca_search", None, **{key: "*:*"})
    with pytest.raises(tk.ValidationError):
        call("sca_search", None, entity_type="user")


def test_get_works(app, atlas):
    resp = app.get("/api/3/action/sca_search",
                   query_string={"organization": atlas["org_a"]["name"], "entity_type": "actor"})
    assert [r["name"] for r in resp.json["result"]["results"]] == [atlas["a"]["name"]]


def test_english_words_find_english_descriptions_in_their_word_forms(unique):
    """Issue 29, item 7: the English translations are searched with English
    analysis too ("libraries" finds "library", which German stemming does not)."""
    from ckan.tests import factories

    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data(
        unique, org, notes="Ein Verein in der Neustadt.", description_en=f"Runs the neighbourhood library {unique}."))
    found = call("sca_search", None, q=f"libraries {unique}")
    assert [r["id"] for r in found["results"]] == [actor["id"]]
