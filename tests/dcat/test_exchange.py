# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exchange format (docs/exchange-format.md, dcat/exchange.py): the
output has exactly the keys the document's tables list, every key is in
the JSON-LD context, paging by key reaches every public record once, and
private records, contact data and exact private locations never travel."""
import datetime
import re
import urllib.parse
from pathlib import Path

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import exchange
from tests.helpers.datasets import create
from tests.helpers.entities import actor_data, project_data

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

DOC = Path(__file__).resolve().parents[2] / "docs" / "exchange-format.md"
RECORDS = f"{exchange.PATH}/records.jsonld"


def documented() -> dict[str, list[str]]:
    """The keys of each table under "## The shapes", by heading."""
    text = DOC.read_text(encoding="utf-8").split("## The shapes", 1)[1]
    tables, heading = {}, None
    for line in text.splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
        found = re.match(r"^\| `([^`]+)` \|", line)
        if heading and found:
            tables.setdefault(heading, []).append(found.group(1))
    return tables


def test_the_document_names_its_version_and_the_code_its_tables():
    assert f"**Version {exchange.VERSION}.**" in DOC.read_text(encoding="utf-8")
    tables = documented()
    assert tables["Page"] == list(exchange.PAGE_KEYS)
    assert tables["Atlas"] == list(exchange.ATLAS_KEYS)
    assert tables["Actor"] == list(exchange.ACTOR_KEYS)
    assert tables["Project"] == list(exchange.PROJECT_KEYS)
    assert tables["Partner"] == list(exchange.PARTNER_KEYS)
    assert tables["Address"] == list(exchange.ADDRESS_KEYS)


def _keys(value, found: set):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            if key != "geometry":  # GeoJSON is a JSON literal (@json), not terms
                _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def _world(unique):
    org = factories.Organization()
    actor = create(actor_data(unique, org, url="https://www.iws.fraunhofer.example/de.html",
                              contact_email="info@iws.fraunhofer.example", street_address="Winterbergstraße 28",
                              postal_code="01277", locality="Dresden", competences=["Laser"],
                              description_en="Lasers.", ror_id="04b8v1s79", register_number="VR 12",
                              register_court="Amtsgericht Dresden"))
    coarse = create(actor_data(f"{unique}c", org, location_precision="district", street_address="Privatweg 1",
                               postal_code="01099", locality="Dresden"))
    hidden = create(actor_data(f"{unique}h", org, private=True, title=f"Geheimer Akteur {unique}"))
    measure = create(project_data(f"{unique}m", org, project_kind="measure"))
    project = create(project_data(unique, org, part_of=measure["id"], summary="Kurz.", start_date="2024-01-01",
                                  end_date="2026-12-31", links=["https://projekt.example/"], partners=[
                                      {"actor": actor["id"], "role": "lead"},
                                      {"actor": hidden["id"], "role": "partner"},
                                      {"name": "Externer Partner e. V.", "role": "funder"}]))
    secret = create(project_data(f"{unique}s", org, private=True, title=f"Geheimes Projekt {unique}"))
    return {"actor": actor, "coarse": coarse, "hidden": hidden, "measure": measure, "project": project,
            "secret": secret}


def _all_pages(app, path=RECORDS, limit=50, bodies=None) -> list[dict]:
    pages, url = [], path
    while url and len(pages) < limit:
        parts = urllib.parse.urlsplit(url)
        response = app.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, response.body
        assert response.headers["Content-Type"].startswith("application/ld+json")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        pages.append(response.json)
        if bodies is not None:
            bodies.append(response.body)
        url = response.json.get("next")
    return pages


@pytest.mark.ckan_config("ckanext.smartcityatlas.exchange.page_size", "2")
def test_output_has_the_documented_shape_and_pages_reach_every_public_record(app, unique):
    world = _world(unique)
    tables = documented()
    bodies = []
    pages = _all_pages(app, bodies=bodies)
    assert len(pages) == 2  # 4 public records, 2 a page
    items = [item for page in pages for item in page["items"]]
    public = {world[k]["id"] for k in ("actor", "coarse", "measure", "project")}
    assert [i["identifier"] for i in items] == sorted(public)  # every public record once, by id
    for page in pages:
        assert page["totalItems"] == 4 and page["itemsPerPage"] == 2 and page["formatVersion"] == "1.1"
        assert set(page) == set(tables["Page"]) - ({"next"} if page is pages[-1] else set())
        assert list(page["atlas"]) == tables["Atlas"]
    by_id = {i["identifier"]: i for i in items}
    actor, coarse, project = (by_id[world[k]["id"]] for k in ("actor", "coarse", "project"))
    assert list(actor) == tables["Actor"] and list(project) == tables["Project"]
    assert list(actor["address"]) == tables["Address"]
    assert all(list(p) == tables["Partner"] for p in project["partners"])

    # identifiers, relations, values
    assert actor["@id"].endswith(f"/actor/{world['actor']['id']}") and actor["@type"] == "Actor"
    assert actor["homepage"] == "https://www.iws.fraunhofer.example/de.html"
    assert actor["emailDomain"] == "iws.fraunhofer.example"
    assert (actor["rorId"], actor["registerNumber"], actor["registerCourt"], actor["wikidataId"]) == (
        "04b8v1s79", "VR 12", "Amtsgericht Dresden", None)  # since 1.1
    assert actor["geometry"]["type"] == "Point" and actor["locationCoarsened"] is False
    assert project["partOf"] == by_id[world["measure"]["id"]]["@id"]
    assert project["partners"] == [{"actor": actor["@id"], "name": None, "role": "lead"},
                                   {"actor": None, "name": "Externer Partner e. V.", "role": "funder"}]
    assert (project["startDate"], project["endDate"], project["kind"]) == ("2024-01-01", "2026-12-31", "project")
    # an actor shown at district level: no street address, the district's point
    assert coarse["locationCoarsened"] is True and coarse["address"]["streetAddress"] is None
    # nothing private, no mailbox
    body = "".join(bodies)
    for key in ("hidden", "secret"):
        assert world[key]["id"] not in body and "Geheim" not in body
    assert "info@" not in body

    # every key is a term of the JSON-LD context
    context = app.get(f"{exchange.PATH}/context.jsonld", status=200).json["@context"]
    assert _keys(pages, set()) - set(context) == {"@context", "@id", "@type"}


def test_one_class_and_refusals(app, unique):
    world = _world(unique)
    actors = _all_pages(app, RECORDS + "?type=actor")
    assert {i["@type"] for p in actors for i in p["items"]} == {"Actor"}
    assert actors[0]["totalItems"] == 2
    for bad in ("?type=dataset", "?cursor=%22x%22%20OR%20*", "?cursor=" + "a" * 101):
        assert "error" in app.get(RECORDS + bad, status=400).json
    app.get(f"{exchange.PATH}/deleted.jsonld?since=gestern", status=400)
    # deleted since: public records only
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)).isoformat()
    sysadmin = {"user": factories.Sysadmin()["name"]}
    helpers.call_action("package_delete", context=dict(sysadmin), id=world["measure"]["id"])
    helpers.call_action("package_delete", context=dict(sysadmin), id=world["secret"]["id"])
    listed = app.get(f"{exchange.PATH}/deleted.jsonld", query_string={"since": since}, status=200).json
    assert [d["@id"].rsplit("/", 1)[1] for d in listed["deleted"]] == [world["measure"]["id"]]
    # the deleted measure is gone from the listing, the project names it no more
    items = [i for p in _all_pages(app) for i in p["items"]]
    assert world["measure"]["id"] not in {i["identifier"] for i in items}
    assert next(i for i in items if i["identifier"] == world["project"]["id"])["partOf"] is None


def test_a_citywide_record_travels_as_a_flag_with_the_outline_once(app, unique):
    """Format 1.1: a city-wide project has ``citywide: true`` and no polygon of
    its own; the city's outline is served once, next to the records."""
    import json

    import shapely.geometry

    from ckanext.smartcityatlas.common import city_config

    org = factories.Organization()
    boundary = shapely.geometry.mapping(city_config.current().boundary)
    citywide = create(project_data(unique, org, spatial=json.dumps(boundary), location_source="city_boundary"))
    local = create(project_data(f"{unique}l", org, spatial=json.dumps({"type": "Point", "coordinates": [13.7383, 51.0504]}),
                                location_source="coordinates"))
    items = {i["identifier"]: i for p in _all_pages(app) for i in p["items"]}
    assert items[citywide["id"]]["citywide"] is True and items[citywide["id"]]["geometry"] is None
    assert items[local["id"]]["citywide"] is False and items[local["id"]]["geometry"]["type"] == "Point"
    assert len(json.dumps(items[citywide["id"]])) < len(json.dumps(boundary))
    response = app.get(f"{exchange.PATH}/outline.geojson", status=200)
    assert response.headers["Content-Type"].startswith("application/geo+json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    outline = shapely.geometry.shape(response.json)
    assert outline.geom_type in ("Polygon", "MultiPolygon")
    assert outline.symmetric_difference(city_config.current().boundary).area < 0.01 * outline.area
