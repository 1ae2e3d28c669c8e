# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_atlas`` on the real stack: Dresden harvests the invented city
Musterstadt from Musterstadt's real export (tests/helpers/atlas_exchange.py)
served by the local test server. Provenance on every record, relations kept,
the shared actor shown once, an unchanged re-harvest writes nothing, edits
and removals at the source arrive, a curator splits a wrong match; hostile
answers fail cleanly with a job report and keep what was harvested."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.common.ids import dataset_id
from ckanext.smartcityatlas.dcat import exchange
from tests.helpers.atlas_exchange import FEED, items_of, make_second_city, repaged, serve_pages
from tests.helpers.atlas_exchange import atlas_source as _source, copies_by_iri as _copies, exchange_item as _item
from tests.helpers.atlas_exchange import harvest_atlas as _harvest, serve_page as _serve
from tests.helpers.datasets import create
from tests.helpers.entities import actor_data, call
from tests.helpers.harvest import harvested
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]


def _iri(server, record, kind):
    return server.url(f"/{kind}/{record['id']}")


def _partners(record) -> list[dict]:
    return [{k: v for k, v in p.items() if v} for p in record.get("partners") or []]


def _modified(source) -> dict[str, str]:
    return {r["id"]: r["metadata_modified"] for r in harvested(source["id"])}


def _dresden_fraunhofer():
    """Dresden's own actor that Musterstadt lists too (same website domain)."""
    org = factories.Organization(name="dresden-wirtschaft")
    return create(actor_data("iws", org, title="Fraunhofer-Institut für Werkstoff- und Strahltechnik IWS",
                             url="https://iws.fraunhofer.example/"))


def test_a_second_citys_atlas_is_harvested_with_provenance_and_relations(
        app, monkeypatch, ckan_config, tmp_path, server, unique):
    entries, pages = make_second_city(app, monkeypatch, ckan_config, tmp_path, server, unique)
    dresden_fraunhofer = _dresden_fraunhofer()
    # the export: two pages of two, private records never in it
    assert len(pages) == 2
    body = b"".join(pages.values()).decode("utf-8")
    for key in ("hidden", "secret"):
        assert entries[key]["id"] not in body and entries[key]["title"] not in body
    serve_pages(server, pages)

    org = factories.Organization(name="musterstadt-harvested", title="Smart City Musterstadt")
    source = _source(server, org)
    report = _harvest(source)
    assert report["stats"].get("added") == 4, report["messages"]
    copies = _copies(source)
    shared, own, measure, project = (copies[_iri(server, entries[k], kind)] for k, kind in (
        ("shared", "actor"), ("own", "actor"), ("measure", "project"), ("project", "project")))
    for record in (shared, own, measure, project):
        assert record["sca_source_city"] == "Musterstadt"
        assert record["sca_source_atlas"] == "Smart City Atlas Musterstadt"
        assert record["sca_source_page"].startswith(server.url("/"))
        assert record["owner_org"] == org["id"]
    assert project["title"] == "Wärmenetz Altstadt" and project["part_of"] == measure["id"]
    # relations kept: the private partner stays out, the shared actor is Dresden's
    assert _partners(project) == [
        {"actor": dresden_fraunhofer["id"], "role": "research_partner"},
        {"actor": own["id"], "role": "lead"},
        {"name": "Bürgerverein Altstadt e. V.", "role": "user"}]

    # the shared actor: shown once, with the rule that decided it
    assert shared["private"] is True and shared["sca_same_as"] == dresden_fraunhofer["id"]
    assert shared["sca_same_as_rule"] == "website domain: iws.fraunhofer.example"
    public = call("package_search", fq="+dataset_type:actor", rows=100)["results"]
    assert [a["id"] for a in public if "fraunhofer" in (a.get("url") or "")] == [dresden_fraunhofer["id"]]
    projects = call("sca_actor_projects", id=dresden_fraunhofer["id"])["results"]
    assert [p["id"] for p in projects] == [project["id"]]
    page = app.get(f"/actor/{dresden_fraunhofer['name']}", status=200).body
    assert "sca-entity-shared" in page and "Smart City Atlas Musterstadt" in page

    # provenance on the page and in the map popup
    page = app.get(f"/en/project/{project['name']}", status=200).body
    assert "from the Smart City Atlas Musterstadt" in page
    assert entries["project"]["name"] in page  # the link to the original page
    page = app.get(f"/project/{project['name']}", status=200).body
    assert "aus dem Smart City Atlas Musterstadt" in page
    features = app.get("/atlas/geojson", query_string={"entity_type": "project"}, status=200).json["features"]
    assert {f["properties"]["id"]: f["properties"].get("source_city") for f in features} == {
        project["id"]: "Musterstadt"}

    # a regional atlas: city as a filter and facet (shown where there are several cities)
    result = call("sca_search", entity_type="actor,project", rows=50)
    assert result["facets"]["sca_city"] == {"Dresden": 1, "Musterstadt": 3}
    found = call("sca_search", city="Musterstadt", rows=50)["results"]
    assert {r["id"] for r in found} == {own["id"], measure["id"], project["id"]}
    assert 'name="city"' in app.get("/atlas", status=200).body

    # re-harvest unchanged: nothing written
    before = _modified(source)
    report = _harvest(source)
    assert report["stats"].get("added", 0) == report["stats"].get("updated", 0) == 0, report["messages"]
    assert _modified(source) == before

    # at the source: the project edited, the own actor made private (or deleted), the measure deleted
    header, items = items_of(pages)
    own_iri, measure_iri = _iri(server, entries["own"], "actor"), _iri(server, entries["measure"], "project")
    items = [i for i in items if i["@id"] not in (own_iri, measure_iri)]
    edited = next(i for i in items if i["@type"] == "Project")
    edited.update(title="Wärmenetz Altstadt (2. Bauabschnitt)", status="completed", partOf=None,
                  partners=[p for p in edited["partners"] if p["actor"] != own_iri])
    repaged(server, header, items)
    report = _harvest(source)
    assert report["stats"].get("updated") == 1, report["messages"]
    copies = _copies(source)
    assert copies[edited["@id"]]["title"] == "Wärmenetz Altstadt (2. Bauabschnitt)"
    assert copies[edited["@id"]]["status"] == "completed" and not copies[edited["@id"]].get("part_of")
    for iri in (own_iri, measure_iri):
        assert copies[iri]["private"] is True and copies[iri]["sca_withdrawn"]
    assert sum("[withdrawn]" in m for m in report["messages"]) == 2

    # a curator splits the shared actor: its own public actor, the project names it at the next harvest
    stranger = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call("sca_shared_actor_split", stranger, id=shared["id"])
    with pytest.raises(tk.ValidationError):
        call("sca_shared_actor_split", factories.Sysadmin(), id=own["id"])  # no shared actor
    split = call("sca_shared_actor_split", factories.Sysadmin(), id=shared["id"])
    assert split["private"] is False and split["sca_same_as_rule"] == "split by a curator"
    _harvest(source)
    copies = _copies(source)
    assert copies[shared["sca_original_uri"]]["private"] is False
    assert copies[shared["sca_original_uri"]]["sca_same_as_rule"] == "split by a curator"
    assert _partners(copies[edited["@id"]])[0] == {"actor": shared["id"], "role": "research_partner"}


@pytest.fixture
def harvested_two(server):
    """A source whose first harvest brought two actors."""
    org = factories.Organization()
    _serve(server, FEED, {"totalItems": 2, "items": [_item(server, 1), _item(server, 2)]})
    source = _source(server, org, {"max_size_mb": 0.01})
    report = _harvest(source)
    assert report["stats"].get("added") == 2, report["messages"]
    server.routes.clear()
    return source


def _kept(source):
    records = harvested(source["id"])
    assert len(records) == 2 and not any(r["private"] or r.get("sca_withdrawn") for r in records)


def test_a_page_beyond_the_size_limit_fails_cleanly_and_keeps_the_records(server, harvested_two):
    _serve(server, FEED, {"totalItems": 1, "items": [_item(server, 1, description="x" * 20000)]})
    report = _harvest(harvested_two)
    assert any("previously harvested records are unchanged" in m for m in report["gather"]), report["gather"]
    _kept(harvested_two)


def test_a_paging_loop_stops_and_withdraws_nothing(server, harvested_two):
    second = f"{FEED}?cursor=id-001"
    _serve(server, FEED, {"totalItems": 2, "items": [_item(server, 1)], "next": server.url(second)})
    _serve(server, second, {"totalItems": 2, "items": [], "next": server.url(FEED)})
    report = _harvest(harvested_two)
    assert any("loop" in m for m in report["gather"]), report["gather"]
    assert any("no record was withdrawn" in m for m in report["gather"])
    _kept(harvested_two)


@pytest.mark.parametrize("page,expected", [
    ({"formatVersion": "2.0", "totalItems": 0, "items": []}, "version '2.0' is not supported"),
    ({"totalItems": 1, "items": {"a": 1}}, "no items list"),
    ({"totalItems": "zwei", "items": []}, "totalItems is no whole number"),
    ({"atlas": "Musterstadt", "totalItems": 0, "items": []}, "does not name its atlas"),
])
def test_a_first_page_of_the_wrong_shape_changes_nothing(server, harvested_two, page, expected):
    _serve(server, FEED, page)
    report = _harvest(harvested_two)
    assert any(expected in m for m in report["gather"]), report["gather"]
    _kept(harvested_two)


def test_a_body_that_is_no_json_changes_nothing(server, harvested_two):
    server.add(FEED, body=b"<html>Wartung</html>", content_type="text/html")
    report = _harvest(harvested_two)
    assert any("no JSON" in m for m in report["gather"]), report["gather"]
    _kept(harvested_two)


def test_items_of_wrong_types_are_rejected_or_degraded_one_by_one(server):
    org = factories.Organization()
    local = create(actor_data("lokal", org))  # a record of this atlas, named by its IRI
    items = [
        "kein Objekt",
        _item(server, 1, **{"@id": "javascript:alert(1)"}),
        _item(server, 2, **{"@type": "Person"}),
        _item(server, 3, title=5),
        _item(server, 4, topics="energy", themes=[1, 2], geometry="POINT(1 2)", homepage=["x"]),
        _item(server, 5, kind="Project", topics=["energy", "astrologie"], partners=[
            {"actor": exchange.entity_iri("actor", local["id"]), "role": "lead"},
            {"actor": server.url("/actor/id-004"), "role": "chef"},
            {"actor": server.url("/actor/unbekannt"), "role": "partner"},
            "kein Partner"], partOf=42),
        _item(server, 6, helixSector="sonstwo"),
    ]
    _serve(server, FEED, {"totalItems": len(items), "items": items})
    source = _source(server, org)
    report = _harvest(source)
    text = "\n".join(report["messages"])
    assert "item 1: not an object" in text and "is no web address" in text and "unknown class 'Person'" in text
    assert "no title" in text
    assert "not a list of texts" in text and "not a GeoJSON geometry" in text and "astrologie" in text
    assert "no valid helix_sector" in text  # an actor without a known sector: not imported
    copies = _copies(source)
    degraded = copies[server.url("/actor/id-004")]
    assert degraded["topics"] == [] and degraded.get("url") in (None, "")
    project = copies[server.url("/project/id-005")]
    assert project["topics"] == ["energy"] and not project.get("part_of")
    assert _partners(project) == [{"actor": local["id"], "role": "lead"},
                                   {"actor": degraded["id"], "role": "partner"}]
    assert dataset_id(source["id"], server.url("/actor/id-004")) == degraded["id"]


def test_the_region_demo_puts_two_cities_on_one_map(app):
    from click.testing import CliRunner

    from ckanext.smartcityatlas.demo import region

    org = factories.Organization(name="amt-fuer-wirtschaftsfoerderung")
    ivi = create(actor_data("ivi", org, title="Fraunhofer-Institut für Verkehrs- und Infrastruktursysteme IVI",
                            url="https://www.ivi.fraunhofer.de"))
    result = CliRunner().invoke(region.region_demo, [])
    assert result.exit_code == 0, result.output
    assert "harvested 6 entries of Musterstadt an der Elbe" in result.output, result.output
    facets = call("sca_search", rows=0)["facets"]["sca_city"]
    assert facets == {"Dresden": 1, "Musterstadt an der Elbe": 5}  # the shared institute shown once
    assert {p["id"] for p in call("sca_actor_projects", id=ivi["id"])["results"]} == {
        r["id"] for r in call("sca_search", city="Musterstadt an der Elbe", entity_type="project", rows=50)["results"]
        if r["title"] != "Maßnahme Klimaquartier Elbufer"}
    assert 'name="city"' in app.get("/atlas", status=200).body
    again = CliRunner().invoke(region.region_demo, [])
    assert again.exit_code == 0 and "already harvested" in again.output


def test_the_region_demo_serves_what_the_exporter_writes():
    """The demo neighbour's pages come from dcat/exchange.py: the current
    version, every key of each class, the city-wide flag and the outline."""
    import urllib.request

    from ckanext.smartcityatlas.demo import region

    replay = region.Replay().start()
    try:
        page = json.loads(urllib.request.urlopen(replay.url, timeout=10).read())
        outline = json.loads(urllib.request.urlopen(
            replay.url.replace("records.jsonld", "outline.geojson"), timeout=10).read())
    finally:
        replay.stop()
    assert page["formatVersion"] == exchange.VERSION and list(page) == list(exchange.PAGE_KEYS[:-1])
    assert page["atlas"] == {"@id": region.SITE, "title": f"Smart City Atlas {region.CITY}",
                             "city": "musterstadt-elbe", "cityTitle": region.CITY}
    assert page["@id"] == f"{region.SITE}{exchange.PATH}/records.jsonld" and page["totalItems"] == 6
    for item in page["items"]:
        assert list(item) == list(exchange.ACTOR_KEYS if item["@type"] == "Actor" else exchange.PROJECT_KEYS)
        assert item["citywide"] is False and len(item["districts"]) == 1 and item["geometry"]["type"] == "Point"
        assert item["@id"] == f"{region.SITE}/{item['@type'].lower()}/{item['identifier']}"
    heat = next(i for i in page["items"] if i["identifier"] == "p2-waermenetz")
    assert heat["partOf"] == f"{region.SITE}/project/p1-massnahme-quartier"
    assert outline["type"] in ("Polygon", "MultiPolygon")


OUTLINE = {"type": "Polygon", "coordinates": [[[12.0, 51.0], [12.2, 51.0], [12.2, 51.2], [12.0, 51.2], [12.0, 51.0]]]}


def test_format_1_1_citywide_records_get_the_outline_read_once(server):
    """A 1.1 page: the city-wide project has no polygon, the harvester reads
    the source's outline once and places it there; registry ids arrive."""
    org = factories.Organization()
    outline_path = f"{exchange.PATH}/outline.geojson"
    outline = server.add(outline_path, body=json.dumps(OUTLINE), content_type="application/geo+json")
    items = [_item(server, 1, rorId="04b8v1s79", citywide=False),
             _item(server, 2, kind="Project", citywide=True, districts=["Altstadt"]),
             _item(server, 3, kind="Project", citywide=True, districts=["Altstadt"])]
    _serve(server, FEED, {"formatVersion": "1.1", "totalItems": 3, "items": items})
    source = _source(server, org)
    report = _harvest(source)
    assert report["stats"].get("added") == 3, report["messages"]
    copies = _copies(source)
    for n in (2, 3):
        project = copies[server.url(f"/project/id-00{n}")]
        assert json.loads(project["spatial"]) == OUTLINE and project["location_source"] == "city_boundary"
    assert copies[server.url("/actor/id-001")]["ror_id"] == "04b8v1s79"
    assert outline.hits == 1

    # no outline to read: the city-wide records come without a location, reported
    server.routes.pop(outline_path)
    items[1]["title"] = "Geändert"
    _serve(server, FEED, {"formatVersion": "1.1", "totalItems": 3, "items": items})
    report = _harvest(source)
    assert any("city-wide records come without a location" in m for m in report["gather"]), report["gather"]
