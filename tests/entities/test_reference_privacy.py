# SPDX-License-Identifier: AGPL-3.0-or-later
"""A public project naming records its reader may not read (another
office's private partner actor, private measure, private related record)
shows none of their ids or roles anywhere: package_show, package_search
(also with ``fl``), the project's pages, the activity stream; editors who
cannot read them keep them when they save; and naming such a record
answers "not found", exactly as for a record that does not exist."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]

READERS = ("anonymous", "other_editor", "outsider")


@pytest.fixture
def hidden_refs(world):
    """Office A: private actor X, private measure MX, private project Q.
    Office B: public project P naming X (partner), MX (part of) and Q
    (related), created by a sysadmin, who may read them all."""
    u, org_a, org_b = world["unique"], world["org_a"], world["org_b"]
    editor_a, sysadmin = world["users"]["editor"], world["users"]["sysadmin"]
    world["users"]["outsider"] = factories.User()
    x = call("package_create", editor_a, **actor_data(f"x-{u}", org_a, title=f"Geheimer Akteur {u}", private=True))
    a = call("package_create", editor_a, **actor_data(f"a-{u}", org_a, title=f"Öffentlicher Akteur {u}"))
    mx = call("package_create", editor_a, **project_data(f"mx-{u}", org_a, project_kind="measure", private=True,
                                                         title=f"Geheime Maßnahme {u}"))
    q = call("package_create", editor_a, **project_data(f"q-{u}", org_a, private=True, title=f"Geheimprojekt {u}"))
    p = call("package_create", sysadmin, **project_data(
        f"p-{u}", org_b, part_of=mx["id"], related_datasets=[q["name"]],
        partners=[{"actor": a["id"], "role": "lead"}, {"actor": x["id"], "role": "funder"}]))
    # a second version, so that the activity stream has a diff
    call("package_patch", sysadmin, id=p["id"], title=f"Projekt {u}, zweite Fassung")
    return dict(world, x=x, a=a, mx=mx, q=q, p=p)


def _secrets(refs) -> list[str]:
    return [refs["x"]["id"], refs["x"]["name"], refs["mx"]["id"], refs["mx"]["name"], refs["q"]["id"],
            refs["q"]["name"]]


def _assert_clean(text: str, refs, where: str) -> None:
    leaked = [s for s in _secrets(refs) if s in text]
    assert not leaked, f"{where} shows {leaked}"


@pytest.mark.parametrize("role", READERS)
def test_no_output_names_what_the_reader_may_not_read(hidden_refs, role):
    user, p = hidden_refs["users"][role], hidden_refs["p"]
    shown = call("package_show", user, id=p["id"])
    _assert_clean(json.dumps(shown), hidden_refs, "package_show")
    assert [x["actor"] for x in shown["partners"]] == [hidden_refs["a"]["id"]]  # the public partner stays
    found = call("package_search", user, q=f"name:{p['name']}")
    assert found["count"] == 1
    _assert_clean(json.dumps(found), hidden_refs, "package_search")
    fields = call("package_search", user, q=f"name:{p['name']}",
                  fl="id,sca_partner_ids,sca_partner_roles,sca_measure_id,validated_data_dict,data_dict,"
                     "extras_partners__actor,extras_partners__role")
    _assert_clean(json.dumps(fields), hidden_refs, "package_search with fl")
    _assert_clean(json.dumps(call("package_search", user, q=f"name:{p['name']}", fl="*")), hidden_refs,
                  "package_search with fl=*")
    assert fields["results"][0]["sca_partner_ids"] == [hidden_refs["a"]["id"]]
    activities = call("package_activity_list", user, id=p["id"])
    assert len(activities) == 2
    _assert_clean(json.dumps(activities), hidden_refs, "package_activity_list")
    newest, answered = activities[0]["id"], 0
    for action, extra in (("activity_show", {"include_data": True}), ("activity_show", {"include_data": False}),
                          ("activity_data_show", {"object_type": "package"}),
                          ("activity_diff", {"object_type": "package"})):
        try:
            answer = call(action, user, id=newest, **extra)
        except tk.NotAuthorized:  # CKAN lets only a record's editors see its versions
            continue
        answered += 1
        _assert_clean(json.dumps(answer), hidden_refs, action)
    # office B's editor edits P, so sees every version: the cut is what protects it
    assert answered == (4 if role == "other_editor" else 1)


def test_readers_who_may_read_them_still_see_them(hidden_refs):
    member = hidden_refs["users"]["member"]  # of office A
    shown = call("package_show", member, id=hidden_refs["p"]["id"])
    assert {x["actor"] for x in shown["partners"]} == {hidden_refs["a"]["id"], hidden_refs["x"]["id"]}
    assert shown["part_of"] == hidden_refs["mx"]["id"] and shown["related_datasets"] == [hidden_refs["q"]["name"]]


@pytest.mark.parametrize("role", ("anonymous", "other_editor"))
def test_the_pages_name_none_of_them(app, hidden_refs, role):
    user, p = hidden_refs["users"][role], hidden_refs["p"]
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    activity_id = helpers.call_action("package_activity_list", id=p["id"])[0]["id"]
    pages = [f"/project/{p['name']}", f"/dataset/activity/{p['name']}", f"/dataset/changes/{activity_id}"]
    if role == "other_editor":
        pages.append(f"/project/edit/{p['name']}")
    for url in pages:
        response = app.get(url, headers=headers)
        assert response.status_code in (200, 403), url
        _assert_clean(response.get_data(as_text=True), hidden_refs, url)


def test_an_editor_who_cannot_read_them_keeps_them_when_saving(hidden_refs):
    editor_b, p = hidden_refs["users"]["other_editor"], hidden_refs["p"]
    # what the form shows them, sent back with a change (as the edit form does)
    shown = call("package_show", editor_b, id=p["id"])
    call("package_update", editor_b, **dict(shown, title="Von Amt B überarbeitet"))
    call("package_patch", editor_b, id=p["id"], notes="Neue Beschreibung")
    call("package_revise", editor_b, match={"id": p["id"]}, update={"summary": "Kurz"})
    stored = helpers.call_action("package_show", id=p["id"])
    assert stored["title"] == "Von Amt B überarbeitet" and stored["notes"] == "Neue Beschreibung"
    assert [(x["actor"], x["role"]) for x in stored["partners"]] == [
        (hidden_refs["a"]["id"], "lead"), (hidden_refs["x"]["id"], "funder")]
    assert stored["part_of"] == hidden_refs["mx"]["id"]
    assert stored["related_datasets"] == [hidden_refs["q"]["name"]]
    # what they can see they still change: the public partner goes
    call("package_patch", editor_b, id=p["id"], partners=[])
    stored = helpers.call_action("package_show", id=p["id"])
    assert [x["actor"] for x in stored["partners"]] == [hidden_refs["x"]["id"]]


@pytest.mark.parametrize("field", ("partner_id", "partner_name", "part_of_id", "part_of_name"))
def test_naming_a_record_the_editor_may_not_read_answers_not_found(hidden_refs, field):
    """No existence oracle: the same error as for a name that does not exist."""
    editor_b, org_b, u = hidden_refs["users"]["other_editor"], hidden_refs["org_b"], hidden_refs["unique"]
    target = hidden_refs["x"] if field.startswith("partner") else hidden_refs["mx"]
    ref = target["id"] if field.endswith("_id") else target["name"]

    def errors(value):
        data = project_data(f"oracle-{u}", org_b, private=True)
        if field.startswith("partner"):
            data["partners"] = [{"actor": value, "role": "partner"}]
        else:
            data["part_of"] = value
        with pytest.raises(tk.ValidationError) as raised:
            call("package_create", editor_b, **data)
        return json.dumps(raised.value.error_dict).replace(value, "REF")

    assert errors(ref) == errors(f"gibt-es-nicht-{u}")
    # whoever may read it references it
    data = project_data(f"ok-{u}", hidden_refs["org_a"], private=True)
    if field.startswith("partner"):
        data["partners"] = [{"actor": ref, "role": "partner"}]
    else:
        data["part_of"] = ref
    saved = call("package_create", hidden_refs["users"]["editor"], **data)
    assert target["id"] in json.dumps(saved)


FACET_FIELDS = ["sca_partner_ids", "sca_partner_roles", "sca_measure_id", "sca_measure_ids", "part_of",
                "related_datasets", "name", "id"]


@pytest.mark.parametrize("role", READERS)
def test_facets_name_none_of_them(hidden_refs, role):
    user = hidden_refs["users"][role]
    facets = call("package_search", user, q="*:*", rows=0, **{"facet.field": FACET_FIELDS, "facet.limit": -1})
    _assert_clean(json.dumps(facets), hidden_refs, "package_search facets")
    assert hidden_refs["a"]["id"] in facets["facets"]["sca_partner_ids"]  # the public partner stays


@pytest.mark.parametrize("role", READERS)
def test_facets_count_only_records_the_reader_may_read(hidden_refs, role):
    """facet.mincount=0 listed every value of a field, those of private records too."""
    every = call("package_search", hidden_refs["users"][role], q="*:*", rows=0,
                 **{"facet.field": ["name", "id", "title"], "facet.limit": -1, "facet.mincount": 0})
    _assert_clean(json.dumps(every), hidden_refs, "package_search facets with facet.mincount=0")
    assert hidden_refs["p"]["name"] in every["facets"]["name"]


@pytest.mark.parametrize("role", READERS)
def test_ckans_core_listing_names_none_of_them(hidden_refs, role):
    """current_package_list_with_resources calls package_search past its chain."""
    user = hidden_refs["users"][role]
    listed = call("current_package_list_with_resources", user, limit=1000)
    assert hidden_refs["p"]["id"] in json.dumps(listed)
    _assert_clean(json.dumps(listed), hidden_refs, "current_package_list_with_resources")


@pytest.mark.parametrize("role", READERS)
def test_an_organisations_members_are_the_records_the_reader_may_read(hidden_refs, role):
    """CKAN's member_list lists an organisation's private datasets to anyone."""
    members = call("member_list", hidden_refs["users"][role], id=hidden_refs["org_a"]["id"], object_type="package")
    _assert_clean(json.dumps(members), hidden_refs, "member_list")
    assert hidden_refs["a"]["id"] in json.dumps(members)


@pytest.mark.parametrize("role", READERS)
def test_filtering_by_a_reference_tells_nothing_of_it(app, hidden_refs, role):
    """partner=<private actor id> finds what partner=<no such id> finds."""
    user, p = hidden_refs["users"][role], hidden_refs["p"]
    call("package_patch", hidden_refs["users"]["sysadmin"], id=p["id"], location_source="address",
         spatial=json.dumps({"type": "Point", "coordinates": [13.74, 51.05]}))
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    for key, ref in (("partner", hidden_refs["x"]["id"]), ("measure", hidden_refs["mx"]["id"])):
        assert call("sca_search", user, **{key: ref})["count"] == 0, key
        assert call("sca_geojson", user, **{key: ref})["features"] == [], key
        assert call("sca_network", user, **{key: ref})["nodes"] == [], key
        page = app.get("/atlas/geojson", query_string={key: ref}, headers=headers, status=200)
        assert p["id"] not in page.get_data(as_text=True), key
        export = app.get("/atlas/export.csv", query_string={key: ref}, headers=headers, status=200)
        assert p["name"] not in export.get_data(as_text=True), key
    # whoever may read the partner filters by it
    member = hidden_refs["users"]["member"]
    assert call("sca_search", member, partner=hidden_refs["x"]["id"])["count"] == 1
    assert call("sca_search", member, measure=hidden_refs["mx"]["id"])["count"] >= 1
