# SPDX-License-Identifier: AGPL-3.0-or-later
"""A second city's atlas for the federation tests: its entries created in
this portal while it is configured as the invented city Musterstadt
(tests/helpers/city_folder.py, its site address the local test server's),
its real exchange export read page by page, and those pages (or edited
copies, re-paged as the export pages) served by the local test server."""
from __future__ import annotations

import contextlib
import json
import urllib.parse

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import exchange
from tests.helpers.city_folder import ALTSTADT_POINT, AUENBACH_POINT, write_example_city
from tests.helpers.datasets import create
from tests.helpers.entities import ALTMARKT, WEIXDORF, actor_data, project_data
from tests.helpers.harvest import create_source, harvested, run_job

FEED = f"{exchange.PATH}/records.jsonld"
SHARED_WEBSITE = "https://www.iws.fraunhofer.example/aussenstelle"
DRESDEN_SHARED_WEBSITE = "https://iws.fraunhofer.example/"


@contextlib.contextmanager
def as_second_city(monkeypatch, ckan_config, folder, site_url: str, page_size: int = 2):
    """This portal configured as one city's own atlas (no region), its site at ``site_url``."""
    with monkeypatch.context() as m:
        m.setitem(ckan_config, "ckanext.smartcityatlas.city", str(folder))
        m.setitem(ckan_config, "ckanext.smartcityatlas.region", "")
        m.setitem(ckan_config, "ckan.site_url", site_url)
        m.setitem(ckan_config, "ckanext.smartcityatlas.exchange.page_size", page_size)
        yield


def second_city_entries(unique: str) -> dict:
    """Musterstadt's entries: a shared actor, an actor of its own, a private
    actor, a measure, a project naming them all, a private project."""
    org = factories.Organization(name=f"musterstadt-{unique}", title="Stadt Musterstadt")
    located = {"spatial": json.dumps(ALTSTADT_POINT), "location_source": "address"}
    shared = create(actor_data(f"{unique}-iws", org, title="Fraunhofer IWS, Außenstelle Musterstadt",
                               url=SHARED_WEBSITE, **located))
    own = create(actor_data(f"{unique}-energie", org, title="Musterstädter Energie GmbH",
                            url="https://energie.musterstadt.example/", actor_kind="company",
                            helix_sector="business", spatial=json.dumps(AUENBACH_POINT)))
    hidden = create(actor_data(f"{unique}-geheim", org, private=True, title="Geheimer Akteur Musterstadt"))
    measure = create(project_data(f"{unique}-massnahme", org, project_kind="measure",
                                  title="Maßnahme Energiequartier Musterstadt"))
    project = create(project_data(f"{unique}-projekt", org, title="Wärmenetz Altstadt", part_of=measure["id"],
                                  spatial=json.dumps(ALTSTADT_POINT), partners=[
                                      {"actor": shared["id"], "role": "research_partner"},
                                      {"actor": own["id"], "role": "lead"},
                                      {"actor": hidden["id"], "role": "partner"},
                                      {"name": "Bürgerverein Altstadt e. V.", "role": "user"}]))
    secret = create(project_data(f"{unique}-intern", org, private=True, title="Internes Projekt Musterstadt"))
    return {"org": org, "shared": shared, "own": own, "hidden": hidden, "measure": measure, "project": project,
            "secret": secret}


def export_pages(app) -> dict[str, bytes]:
    """path with query → body of every page of the real export, following ``next``."""
    pages, url = {}, FEED
    while url:
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert path not in pages, "the export pages in a loop"
        response = app.get(path, status=200)
        pages[path] = response.body.encode("utf-8")
        url = response.json.get("next")
    return pages


def purge(records) -> None:
    """The second city's records leave this portal (only the served export remains)."""
    sysadmin = factories.Sysadmin()
    for record in records:
        helpers.call_action("dataset_purge", context={"user": sysadmin["name"]}, id=record["id"])


def dresden_entries(unique: str) -> dict:
    """Dresden's entries: the institute Musterstadt lists too (same website
    domain), an actor of its own, a private actor, a project naming them."""
    org = factories.Organization(name=f"dresden-{unique}", title="Landeshauptstadt Dresden")
    shared = create(actor_data(f"{unique}-dd-iws", org, title="Fraunhofer-Institut für Werkstoff- und Strahltechnik IWS",
                               url=DRESDEN_SHARED_WEBSITE))
    own = create(actor_data(f"{unique}-dd-daten", org, title="Dresdner Energiedaten GmbH",
                            url="https://energiedaten.dresden.example/", actor_kind="company",
                            helix_sector="business", spatial=json.dumps(WEIXDORF)))
    hidden = create(actor_data(f"{unique}-dd-geheim", org, private=True, title="Geheimer Akteur Dresden"))
    project = create(project_data(f"{unique}-dd-projekt", org, title="Smarte Wärme Altmarkt",
                                  spatial=json.dumps(ALTMARKT), partners=[
                                      {"actor": shared["id"], "role": "lead"},
                                      {"actor": hidden["id"], "role": "partner"}]))
    return {"org": org, "shared": shared, "own": own, "hidden": hidden, "project": project}


def export_city(app, monkeypatch, ckan_config, folder, site_url: str, build) -> tuple[dict, dict[str, bytes]]:
    """A city's entries (``build()``) exported through the real endpoint with
    this portal as that city at ``site_url``, then purged here."""
    with as_second_city(monkeypatch, ckan_config, folder, site_url):
        entries = build()
        pages = export_pages(app)
    # the referencing records first (built after what they name)
    purge(reversed([record for key, record in entries.items() if key != "org"]))
    return entries, pages


def make_second_city(app, monkeypatch, ckan_config, tmp_path, server, unique) -> tuple[dict, dict[str, bytes]]:
    """Musterstadt's entries exported through the real endpoint, then purged here."""
    folder = write_example_city(tmp_path / "musterstadt", boundary=True)
    return export_city(app, monkeypatch, ckan_config, folder, server.url(""), lambda: second_city_entries(unique))


def serve_pages(server, pages: dict[str, bytes]) -> None:
    for path, body in pages.items():
        server.add(path, body=body, content_type="application/ld+json")


def items_of(pages: dict[str, bytes]) -> tuple[dict, list[dict]]:
    """The header (first page) and all items of the served pages."""
    loaded = [json.loads(body) for body in pages.values()]
    return loaded[0], [item for page in loaded for item in page["items"]]


def repaged(server, header: dict, items: list[dict], size: int = 2) -> dict[str, bytes]:
    """``items`` as the export would page them after a change at the source."""
    items = sorted(items, key=lambda i: i["identifier"])
    pages, after = {}, None
    for start in range(0, max(len(items), 1), size):
        chunk = items[start:start + size]
        path = FEED + (f"?cursor={after}" if after else "")
        page = {**header, "@id": server.url(path), "totalItems": len(items), "itemsPerPage": size, "items": chunk}
        page.pop("next", None)
        if start + size < len(items):
            page["next"] = server.url(f"{FEED}?cursor={chunk[-1]['identifier']}")
        pages[path] = json.dumps(page, ensure_ascii=False).encode("utf-8")
        after = chunk[-1]["identifier"] if chunk else None
    server.routes.clear()
    serve_pages(server, pages)
    return pages


# ---- a harvest source of type sca_atlas, and hand-made exchange pages ----------------

def harvest_atlas(source) -> dict:
    return run_job(source, plugin="sca_atlas_harvester")


def atlas_source(server, org, config=None, name="musterstadt"):
    return create_source(server.url(FEED), org, config or {}, name=name, source_type="sca_atlas")


def copies_by_iri(source) -> dict[str, dict]:
    """original IRI → harvested record (private ones too)."""
    return {r["sca_original_uri"]: r for r in harvested(source["id"])}


def exchange_item(server, n, kind="Actor", **extra):
    """One record of an exchange page (an actor, or a project with kind="Project")."""
    item = {"@id": server.url(f"/{'actor' if kind == 'Actor' else 'project'}/id-{n:03d}"), "@type": kind,
            "identifier": f"id-{n:03d}", "name": f"eintrag-{n}", "title": f"Eintrag {n}",
            "description": "Beschreibung.", "kind": "company" if kind == "Actor" else "project",
            "helixSector": "business", "status": "running", "topics": ["energy"], "geometry": None,
            "page": server.url(f"/actor/eintrag-{n}")}
    item.update(extra)
    return item


PAGE_HEADER = {"@context": "x", "@type": "AtlasPage", "formatVersion": "1.0",
               "atlas": {"@id": "http://127.0.0.1", "title": "Smart City Atlas Musterstadt", "city": "musterstadt",
                         "cityTitle": "Musterstadt"}}


def serve_page(server, path, page: dict, **header):
    server.add(path, body=json.dumps({**PAGE_HEADER, **header, **page}), content_type="application/ld+json")
