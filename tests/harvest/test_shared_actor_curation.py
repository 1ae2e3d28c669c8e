# SPDX-License-Identifier: AGPL-3.0-or-later
"""The same actor in several atlases, beyond the website: registry and
research ids as the first rule (entities/registry_ids.py), and a curator's
merge of a match the rules missed (harvesters/actor_merge.py), kept by
re-harvests like a split."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.helpers.atlas_exchange import FEED, atlas_source as _source, copies_by_iri as _copies
from tests.helpers.atlas_exchange import exchange_item as _item, harvest_atlas as _harvest, serve_page as _serve
from tests.helpers.datasets import create
from tests.helpers.entities import actor_data, call
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]


def _feed(server, *items):
    server.routes.clear()
    _serve(server, FEED, {"totalItems": len(items), "items": list(items)})


def _project(server, n, partner_n, **extra):
    extra.setdefault("partners", [{"actor": server.url(f"/actor/id-{partner_n:03d}"), "role": "lead"}])
    return _item(server, n, kind="Project", **extra)


def _partner_ids(record) -> list[str]:
    return [p.get("actor") or p.get("name") for p in record.get("partners") or []]


@pytest.fixture
def missed(server):
    """Dresden's institute; Musterstadt lists it under another website (the rules miss it)
    with a project that names it."""
    local = create(actor_data("ivi", factories.Organization(), title="Fraunhofer IVI",
                              url="https://www.ivi.fraunhofer.example"))
    _feed(server, _item(server, 1, title="Fraunhofer-Institut IVI, Außenstelle",
                        homepage="https://aussenstelle.example"), _project(server, 2, 1))
    org = factories.Organization()
    editor = factories.User()
    call("organization_member_create", factories.Sysadmin(), id=org["id"], username=editor["name"], role="editor")
    source = _source(server, org)
    report = _harvest(source)
    assert report["stats"].get("added") == 2, report["messages"]
    copies = _copies(source)
    return {"local": local, "source": source, "editor": editor, "org": org,
            "actor": copies[server.url("/actor/id-001")], "project": copies[server.url("/project/id-002")]}


def test_a_curator_merges_a_missed_match_and_re_harvests_keep_it(server, missed):
    local, actor, project, source = missed["local"], missed["actor"], missed["project"], missed["source"]
    assert actor["private"] is False and not actor.get("sca_same_as")
    assert _partner_ids(project) == [actor["id"]]

    merged = call("sca_shared_actor_merge", missed["editor"], id=actor["id"], same_as=local["name"])
    assert merged["private"] is True and merged["sca_same_as"] == local["id"]
    assert merged["sca_same_as_rule"] == "curator"
    assert merged["sca_same_as_by"] == missed["editor"]["id"] and merged["sca_same_as_at"].startswith("20")
    # the source's project names Dresden's actor at once
    assert _partner_ids(call("package_show", factories.Sysadmin(), id=project["id"])) == [local["id"]]
    assert [p["id"] for p in call("sca_actor_projects", id=local["id"])["results"]] == [project["id"]]

    # a re-harvest of changed records keeps the merge, and the source's later changes still arrive
    _feed(server, _item(server, 1, title="Fraunhofer-Institut IVI, Außenstelle", description="Neu beschrieben.",
                        homepage="https://aussenstelle.example"),
          _project(server, 2, 1, title="Neuer Titel", partners=[
              {"actor": server.url("/actor/id-001"), "role": "lead"}, {"name": "Verein e. V.", "role": "user"}]))
    report = _harvest(source)
    copies = _copies(source)
    again, project_again = copies[actor["sca_original_uri"]], copies[project["sca_original_uri"]]
    assert again["private"] is True and again["sca_same_as"] == local["id"], report["messages"]
    assert again["sca_same_as_rule"] == "curator" and again["sca_same_as_by"] == missed["editor"]["id"]
    assert again["notes"] == "Neu beschrieben."
    assert project_again["title"] == "Neuer Titel"
    assert _partner_ids(project_again) == [local["id"], "Verein e. V."], report["messages"]
    assert not any("[curated] partners" in m for m in report["messages"]), report["messages"]

    # split again: a public actor of its own, kept by the next harvest too
    split = call("sca_shared_actor_split", missed["editor"], id=actor["id"])
    assert split["private"] is False and split["sca_same_as_rule"] == "split by a curator"
    _harvest(source)
    assert _copies(source)[actor["sca_original_uri"]]["sca_same_as_rule"] == "split by a curator"


def _refusal(missed, user=None, **data):
    user = user or factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as info:
        call("sca_shared_actor_merge", user, **data)
    return info.value.error_dict


def test_a_merge_is_refused_with_a_reason_never_a_500(server, missed):
    local, actor, project = missed["local"], missed["actor"], missed["project"]
    with pytest.raises(tk.NotAuthorized):
        call("sca_shared_actor_merge", factories.User(), id=actor["id"], same_as=local["id"])
    with pytest.raises(tk.NotAuthorized):
        call("sca_shared_actor_merge", None, id=actor["id"], same_as=local["id"])
    with pytest.raises(tk.ObjectNotFound):
        call("sca_shared_actor_merge", factories.Sysadmin(), id="kein-akteur", same_as=local["id"])
    assert "harvested from another atlas" in _refusal(missed, id=local["id"], same_as=actor["id"])["id"][0]
    assert "Only an actor" in _refusal(missed, id=project["id"], same_as=local["id"])["id"][0]
    assert "with itself" in _refusal(missed, id=actor["id"], same_as=actor["id"])["same_as"][0]
    assert "only be merged with an actor" in _refusal(missed, id=actor["id"], same_as=project["id"])["same_as"][0]
    assert "no actor" in _refusal(missed, id=actor["id"], same_as="gibt-es-nicht")["same_as"][0]
    hidden = create(actor_data("geheim", missed["org"], private=True))
    assert "public actor" in _refusal(missed, id=actor["id"], same_as=hidden["id"])["same_as"][0]
    for bad in ({"id": ["a"], "same_as": local["id"]}, {"id": actor["id"]}, {"id": actor["id"], "same_as": {"x": 1}}):
        with pytest.raises(tk.ValidationError):
            call("sca_shared_actor_merge", factories.Sysadmin(), **bad)
    call("sca_shared_actor_merge", factories.Sysadmin(), id=actor["id"], same_as=local["id"])
    assert "already marked" in _refusal(missed, id=actor["id"], same_as=local["id"])["id"][0]


def test_the_merge_over_the_action_api_answers_409_and_403(app, server, missed):
    url = "/api/3/action/sca_shared_actor_merge"
    sysadmin = factories.SysadminWithToken()
    answer = app.post(url, json={"id": missed["actor"]["id"], "same_as": missed["actor"]["id"]},
                      headers={"Authorization": sysadmin["token"]}, status=409)
    assert "same_as" in answer.json["error"]
    app.post(url, json={"id": missed["actor"]["id"], "same_as": missed["local"]["id"]},
             headers={"Authorization": factories.UserWithToken()["token"]}, status=403)
    app.get(url, query_string={"id": "x", "same_as": "y"}, status=400)  # no GET for a write


def test_registry_and_research_ids_are_the_first_rule(server):
    org = factories.Organization()
    by_website = create(actor_data("web", org, title="Irgendein Institut", url="https://shared.example"))
    by_ror = create(actor_data("ror", org, title="Institut mit ROR", ror_id="https://ror.org/04b8v1s79/"))
    by_register = create(actor_data("hrb", org, title="Firma GmbH", register_number="hrb12345",
                                    register_court="Amtsgericht Dresden"))
    assert by_ror["ror_id"] == "04b8v1s79" and by_register["register_number"] == "HRB 12345"
    _feed(server,
          # the website names one actor, the ROR id another: the id decides
          _item(server, 1, homepage="https://shared.example", rorId="04b8v1s79"),
          _item(server, 2, registerNumber="HRB 12345", registerCourt="AG Dresden"),
          _item(server, 3, registerNumber="HRB 12345", registerCourt="Amtsgericht Leipzig"),
          _item(server, 4, wikidataId="keine-id", rorId=7))
    source = _source(server, org)
    report = _harvest(source)
    copies = _copies(source)
    first, second, third, fourth = (copies[server.url(f"/actor/id-00{n}")] for n in range(1, 5))
    assert first["sca_same_as"] == by_ror["id"] and first["sca_same_as_rule"] == "registry id: ROR 04b8v1s79"
    assert second["sca_same_as"] == by_register["id"]
    assert second["sca_same_as_rule"] == "registry id: Handelsregister HRB 12345 (dresden)"
    assert not third.get("sca_same_as") and third["register_court"] == "Amtsgericht Leipzig"  # another court
    assert not fourth.get("wikidata_id") and not fourth.get("ror_id")
    assert "not a valid id" in "\n".join(report["messages"])
    assert by_website["id"] not in {c.get("sca_same_as") for c in copies.values()}


@pytest.mark.parametrize("fields,field", [
    ({"ror_id": "04b8v1s7"}, "ror_id"),
    ({"wikidata_id": "P31"}, "wikidata_id"),
    ({"register_number": "HRC 12"}, "register_number"),
    ({"register_number": "HRB 12"}, "register_court"),
    ({"register_number": "HRB 12", "register_court": "..."}, "register_court"),
    ({"ror_id": ["04b8v1s79"]}, "ror_id"),
])
def test_a_malformed_id_is_refused_naming_the_field(fields, field):
    with pytest.raises(tk.ValidationError) as info:
        create(actor_data("falsch", factories.Organization(), **fields))
    assert field in info.value.error_dict


def test_ids_are_stored_in_one_form_and_exported():
    org = factories.Organization()
    actor = create(actor_data("ids", org, wikidata_id="https://www.wikidata.org/wiki/Q1202",
                              register_number="VR 1234", register_court="Amtsgericht Dresden"))
    assert actor["wikidata_id"] == "Q1202"
    from ckanext.smartcityatlas.dcat import exchange

    item = exchange.actor_item(actor)
    assert (item["wikidataId"], item["registerNumber"], item["registerCourt"], item["rorId"]) == (
        "Q1202", "VR 1234", "Amtsgericht Dresden", None)
