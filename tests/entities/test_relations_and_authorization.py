# SPDX-License-Identifier: AGPL-3.0-or-later
"""Relations in both directions, as filters, and the authorization matrix:
anonymous, member, editor, admin of the owning office, editor of another
office, sysadmin. Private or deleted entities never show, not even their title."""
import pytest

import ckan.plugins.toolkit as tk

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]

OWNING = ("member", "editor", "admin", "sysadmin")
OUTSIDERS = ("anonymous", "other_editor")


@pytest.fixture
def network(world):
    """Public measure M with public project P (partners: public actor A as
    lead, private actor X as partner, external partner), a private project Q
    naming A, and actor D that is deleted after being named in P."""
    u, org = world["unique"], world["org_a"]
    editor = world["users"]["editor"]
    a = call("package_create", editor, **actor_data(f"a-{u}", org, title=f"Öffentlicher Akteur {u}"))
    x = call("package_create", editor, **actor_data(f"x-{u}", org, title=f"Geheimer Akteur {u}", private=True))
    d = call("package_create", editor, **actor_data(f"d-{u}", org, title=f"Gelöschter Akteur {u}"))
    m = call("package_create", editor, **project_data(f"m-{u}", org, project_kind="measure", title=f"Maßnahme {u}",
                                                       partners=[{"actor": a["id"], "role": "operator"}]))
    p = call("package_create", editor, **project_data(f"p-{u}", org, part_of=m["id"], partners=[
        {"actor": a["id"], "role": "lead"}, {"actor": x["id"], "role": "partner"},
        {"actor": d["id"], "role": "user"}, {"name": "Extern GmbH", "role": "funder"}]))
    q = call("package_create", editor, **project_data(f"q-{u}", org, title=f"Geheimprojekt {u}", private=True,
                                                       partners=[{"actor": a["id"], "role": "partner"}]))
    call("package_delete", editor, id=d["id"])
    return dict(world, a=a, x=x, d=d, m=m, p=p, q=q)


def _auth(user):
    from ckan.tests import factories

    return {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}


def _titles(result):
    return [r["title"] for r in result["results"]]


@pytest.mark.parametrize("role", OWNING + OUTSIDERS)
def test_project_partners_as_each_role(network, role):
    user = network["users"][role]
    result = call("sca_project_actors", user, id=network["p"]["name"])
    titles = _titles(result)
    assert titles[0] == network["a"]["title"]
    assert "Extern GmbH" in titles
    assert network["d"]["title"] not in titles  # deleted: gone for everyone
    sees_private = role in OWNING
    assert (network["x"]["title"] in titles) is sees_private
    roles = {r["title"]: r["role"] for r in result["results"]}
    assert roles[network["a"]["title"]] == "lead" and roles["Extern GmbH"] == "funder"
    assert result["part_of"]["id"] == network["m"]["id"]


@pytest.mark.parametrize("role", OWNING + OUTSIDERS)
def test_actor_projects_as_each_role(network, role):
    user = network["users"][role]
    result = call("sca_actor_projects", user, id=network["a"]["id"])
    titles = _titles(result)
    assert network["p"]["title"] in titles and network["m"]["title"] in titles
    assert (network["q"]["title"] in titles) is (role in OWNING)
    roles = {r["name"]: r["roles"] for r in result["results"]}
    assert roles[network["p"]["name"]] == ["lead"]


@pytest.mark.parametrize("role", OWNING + OUTSIDERS)
def test_private_actor_itself(network, role):
    user = network["users"][role]
    if role in OWNING:
        assert call("sca_actor_projects", user, id=network["x"]["id"])["count"] == 1
    else:
        with pytest.raises(tk.NotAuthorized):
            call("sca_actor_projects", user, id=network["x"]["id"])


def test_unknown_or_wrong_type_is_not_found(network):
    with pytest.raises(tk.ObjectNotFound):
        call("sca_actor_projects", None, id="gibt-es-nicht")
    with pytest.raises(tk.ObjectNotFound):
        call("sca_actor_projects", None, id=network["p"]["id"])  # a project, not an actor
    with pytest.raises(tk.ValidationError):
        call("sca_project_actors", None)


def test_relations_are_search_filters(network):
    a, m, p = network["a"], network["m"], network["p"]
    projects = call("package_search", None, fq=f'+dataset_type:project +sca_partner_ids:"{a["id"]}"')
    assert {r["id"] for r in projects["results"]} == {p["id"], m["id"]}  # not the private Q
    in_measure = call("package_search", None, fq=f'+dataset_type:actor +sca_measure_ids:"{m["id"]}"')
    assert [r["id"] for r in in_measure["results"]] == [a["id"]]
    # The private project Q leaves no trace on the public actor's document.
    leaked = call("package_search", None, fq=f'+sca_project_ids:"{network["q"]["id"]}"', include_private=True)
    assert leaked["count"] == 0


@pytest.mark.parametrize("role", OUTSIDERS)
def test_private_entities_absent_from_search_counts_and_facets(network, role):
    user = network["users"][role]
    u = network["unique"]
    result = call("package_search", user, q=f"name:*{u}*", include_private=True, rows=100,
                  **{"facet.field": '["dataset_type", "sca_topics", "sca_district_names"]'})
    names = {r["name"] for r in result["results"]}
    assert network["x"]["name"] not in names and network["q"]["name"] not in names
    assert result["count"] == len(names) == 3  # a, m, p
    assert result["facets"]["dataset_type"] == {"actor": 1, "project": 2}
    assert result["facets"]["sca_topics"] == {"energy": 3}


def test_removing_a_partner_updates_the_actor(network):
    editor = network["users"]["editor"]
    p = network["p"]
    call("package_patch", editor, id=p["id"], partners=[{"name": "Extern GmbH", "role": "funder"}])
    titles = _titles(call("sca_actor_projects", None, id=network["a"]["id"]))
    assert p["title"] not in titles
    in_measure = call("package_search", None, fq=f'+dataset_type:actor +sca_project_ids:"{p["id"]}"')
    assert in_measure["count"] == 0


@pytest.mark.parametrize("role,status", [
    ("anonymous", 404), ("other_editor", 404), ("member", 200), ("editor", 200), ("admin", 200), ("sysadmin", 200),
])
def test_private_actor_page(app, network, role, status):
    app.get(f"/actor/{network['x']['name']}", headers=_auth(network["users"][role]), status=status)


def test_public_pages_show_relations_without_private_titles(app, network):
    page = app.get(f"/project/{network['p']['name']}").body
    assert network["a"]["title"] in page and "Extern GmbH" in page
    assert network["x"]["title"] not in page
    assert network["d"]["title"] not in page
    actor_page = app.get(f"/actor/{network['a']['name']}").body
    assert network["p"]["title"] in actor_page
    assert network["q"]["title"] not in actor_page
    assert "Innere Altstadt" in actor_page  # its district


def test_editor_sees_private_partner_on_the_page(app, network):
    editor = network["users"]["editor"]
    page = app.get(f"/project/{network['p']['name']}", headers=_auth(editor)).body
    assert network["x"]["title"] in page


def test_related_datasets_shown_only_when_visible(app, network):
    editor = network["users"]["editor"]
    u, org = network["unique"], network["org_a"]
    # the DCAT-AP.de dataset schema requires a description and a licence
    dcat = {"notes": "Messwerte.", "license_id": "dl-by-de/2.0"}
    # publishing a dataset needs the office's admin (review before publishing)
    public = call("package_create", network["users"]["admin"], name=f"luft-{u}", title=f"Luftmessnetz {u}",
                  owner_org=org["id"], **dcat)
    hidden = call("package_create", editor, name=f"intern-{u}", title=f"Interne Daten {u}", owner_org=org["id"],
                  private=True, **dcat)
    call("package_patch", editor, id=network["p"]["id"], related_datasets=[public["name"], hidden["id"], "gibt-es-nicht"])
    anonymous = call("sca_project_actors", None, id=network["p"]["id"])["related_datasets"]
    assert [d["name"] for d in anonymous] == [public["name"]]
    own = call("sca_project_actors", editor, id=network["p"]["id"])["related_datasets"]
    assert [d["name"] for d in own] == [public["name"], hidden["name"]]
    page = app.get(f"/project/{network['p']['name']}").body
    assert f'href="/dataset/{public["name"]}"' in page and hidden["title"] not in page


def test_a_deleted_partner_does_not_block_editing_its_projects(network):
    editor = network["users"]["editor"]
    # network["d"] was deleted after being named in P; P stays editable
    patched = call("package_patch", editor, id=network["p"]["id"], status="completed")
    assert patched["status"] == "completed"
    # but a deleted actor cannot be added anew
    with pytest.raises(tk.ValidationError):
        call("package_patch", editor, id=network["m"]["id"], partners=[{"actor": network["d"]["id"], "role": "user"}])


def _indexed_relations(ids):
    from ckan.lib.search import query_for

    quoted = " OR ".join(f'"{i}"' for i in ids)
    docs = query_for("package").run({"q": "*:*", "fq": f"+id:({quoted})", "fl": "id sca_project_ids sca_measure_ids",
                                     "rows": len(ids)}, permission_labels=None)["results"]
    return {d["id"]: (sorted(d.get("sca_project_ids") or []), sorted(d.get("sca_measure_ids") or [])) for d in docs}


def test_actors_reindexed_together_list_the_same_projects_as_one_by_one(network, monkeypatch):
    """A bulk load's end reindexes many actors, reading every actor's
    projects in one pass: the documents are those of one reindex per actor
    (public projects only, measures included)."""
    from ckanext.smartcityatlas.entities import relations

    u, org, editor = network["unique"], network["org_a"], network["users"]["editor"]
    more = [call("package_create", editor, **actor_data(f"b{i}-{u}", org, title=f"Akteur {i} {u}"))
            for i in range(5)]
    call("package_create", editor, **project_data(f"r-{u}", org, part_of=network["m"]["id"], partners=[
        {"actor": b["id"], "role": "partner"} for b in more] + [{"actor": network["a"]["id"], "role": "lead"}]))
    ids = [network["a"]["id"], network["x"]["id"], *(b["id"] for b in more)]
    monkeypatch.setattr(relations, "ONE_PASS_FROM", len(ids) + 1)
    relations.reindex_actors(ids, defer_commit=False)
    one_by_one = _indexed_relations(ids)
    monkeypatch.setattr(relations, "ONE_PASS_FROM", 1)
    relations.reindex_actors(ids, defer_commit=False)
    assert _indexed_relations(ids) == one_by_one
    assert network["q"]["id"] not in one_by_one[network["a"]["id"]][0]  # the private project
    assert network["p"]["id"] in one_by_one[network["a"]["id"]][0] and one_by_one[more[0]["id"]][1] == [network["m"]["id"]]
