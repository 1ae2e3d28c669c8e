# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca region-demo``: a small regional view for the demo portal
(``SCA_REGION_DEMO=1 deploy/sca up``).

The invented neighbouring city "Musterstadt an der Elbe" publishes a few
actors and projects in the exchange format (docs/exchange-format.md),
written by this atlas's own exporter (``dcat/exchange.py``, with the
neighbour's site address and city folder) and replayed with its city outline
by a local server on 127.0.0.1; the source "Demo: Smart City Atlas
Musterstadt" harvests them once with ``sca_atlas`` into the office "Smart
City Musterstadt (Demo)". The atlas then shows two cities on one map, with
the city as a facet, provenance in pages and popups, and the research
institute both cities list shown once. ``SCA_REGION_DEMO=1`` also configures
the region folder ``cities/dresden-region-demo`` (docs/city.md, "A region"):
the map draws both cities' outlines and districts, and Musterstadt's entries
get the districts of ``cities/musterstadt-elbe``. Everything about Musterstadt
is invented; its IRIs are under ``atlas.musterstadt.example``.
"""
from __future__ import annotations

import json

import click
from shapely.geometry import Point

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.dcat import exchange
from ckanext.smartcityatlas.demo.loopback import LoopbackJSONServer

register = Registry()

SOURCE_NAME = "smart-city-atlas-musterstadt-demo"
ORGANIZATION = "smart-city-musterstadt-demo"
SITE = "https://atlas.musterstadt.example"
CITY = "Musterstadt an der Elbe"
MODIFIED = "2026-11-02T09:00:00"


def publisher() -> exchange.Publisher:
    """The neighbour's atlas: its site and its city folder (cities/musterstadt-elbe)."""
    return exchange.Publisher(SITE, city_config.load(city_config.BUILTIN / "musterstadt-elbe"))


def _record(city, entity_type: str, key: str, title: str, notes: str, point: list[float], **fields) -> dict:
    """One entry as the neighbour's search index holds it (the exporter's input);
    its id and name are ``key``, its districts those of the neighbour's city."""
    districts = [{"id": d.id, "name": d.name} for d in city.districts_of(Point(*point))]
    return {"id": key, "name": key, "type": entity_type, "title": title, "notes": notes,
            "spatial": json.dumps({"type": "Point", "coordinates": point}), "sca_districts": districts,
            "metadata_modified": MODIFIED, **fields}


def records(city) -> list[dict]:
    """The neighbour's public entries (20 km north-west of Dresden, outside its boundary, on the same map)."""
    return [
        _record(city, "actor", "a1-ivi-projektgruppe", "Fraunhofer IVI, Projektgruppe Musterstadt",
                "Projektgruppe des Instituts für Verkehrs- und Infrastruktursysteme (erfundener Demo-Eintrag).",
                [13.4720, 51.1610], actor_kind="research_institute", helix_sector="science", topics=["mobility"],
                competences=["Verkehrsdaten"], url="https://www.ivi.fraunhofer.de/"),
        _record(city, "actor", "a2-stadtwerke", "Stadtwerke Musterstadt",
                "Kommunaler Energie- und Wasserversorger (erfundener Demo-Eintrag).", [13.4810, 51.1660],
                actor_kind="public_company", helix_sector="business", topics=["energy"], competences=["Wärmenetze"],
                url="https://stadtwerke.musterstadt.example/", contact_email="service@musterstadt.example",
                postal_code="01445", locality=CITY),
        _record(city, "actor", "a3-repaircafe", "Repair-Café Musterstadt e. V.",
                "Ehrenamtliche Reparaturtreffs (erfundener Demo-Eintrag).", [13.4680, 51.1690],
                actor_kind="civil_society", helix_sector="civil_society",
                topics=["environment_climate", "participation"], location_coarsened=True),
        _record(city, "project", "p1-massnahme-quartier", "Maßnahme Klimaquartier Elbufer",
                "Bündel von Vorhaben für ein klimaneutrales Quartier (erfundener Demo-Eintrag).", [13.4770, 51.1630],
                summary="Klimaquartier am Elbufer", project_kind="measure", status="running",
                start_date="2025-01-01", topics=["energy"], partners=[{"actor": "a2-stadtwerke", "role": "lead"}]),
        _record(city, "project", "p2-waermenetz", "Wärmenetz Elbufer",
                "Ein Niedertemperatur-Wärmenetz für das Quartier (erfundener Demo-Eintrag).", [13.4790, 51.1600],
                summary="Niedertemperatur-Wärmenetz", project_kind="project", status="planned",
                start_date="2026-03-01", end_date="2028-12-31", part_of="p1-massnahme-quartier", topics=["energy"],
                partners=[{"actor": "a2-stadtwerke", "role": "operator"},
                          {"actor": "a1-ivi-projektgruppe", "role": "research_partner"}]),
        _record(city, "project", "p3-verkehrsdaten", "Offene Verkehrsdaten Musterstadt",
                "Verkehrszählungen als offene Daten (erfundener Demo-Eintrag).", [13.4700, 51.1640],
                summary="Verkehrszählungen als offene Daten", project_kind="project", status="running",
                start_date="2025-06-01", topics=["mobility"],
                partners=[{"actor": "a1-ivi-projektgruppe", "role": "lead"},
                          {"name": "Radentscheid Musterstadt", "role": "user"}]),
    ]


def page(atlas: exchange.Publisher | None = None) -> dict:
    """The neighbour's listing, one page, written by this atlas's own exporter (dcat/exchange.py)."""
    atlas = atlas or publisher()
    listed = records(atlas.city)
    items = exchange.items(listed, atlas, public={r["id"] for r in listed})
    return exchange.listing_page(atlas, items, len(items), len(items))


class Replay(LoopbackJSONServer):
    """The neighbour's exchange listing (one page) and its city outline."""

    def __init__(self):
        super().__init__()
        atlas = publisher()
        self.bodies = {"records.jsonld": (page(atlas), "application/ld+json"),
                       "outline.geojson": (exchange.outline(atlas.city), "application/geo+json")}

    def answer(self, path: str):
        found = self.bodies.get(path.split("?", 1)[0].rsplit("/", 1)[-1])
        if found is None:
            return 404, b"{}", {}
        return 200, json.dumps(found[0], ensure_ascii=False).encode("utf-8"), {"Content-Type": found[1]}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{exchange.PATH}/records.jsonld"


@register.command
@click.command("region-demo")
@click.option("--force", is_flag=True, help="harvest again even if the demo was harvested before")
def region_demo(force):
    """Harvest an invented neighbouring city's atlas (sca_atlas): two cities on one map."""
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.common.caller import site_context
    from ckanext.smartcityatlas.demo import sensors

    site = site_context()
    try:
        source = tk.get_action("harvest_source_show")(dict(site), {"id": SOURCE_NAME})
    except tk.ObjectNotFound:
        source = None
    if source is not None and source.get("status", {}).get("job_count") and not force:
        click.echo(f"region demo: {SOURCE_NAME} already harvested (--force harvests again)")
        return
    try:
        tk.get_action("organization_show")(dict(site), {"id": ORGANIZATION})
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(dict(site), {"name": ORGANIZATION,
                                                          "title": "Smart City Musterstadt (Demo)"})
    replay = Replay().start()
    try:
        values = {"name": SOURCE_NAME, "title": "Demo: Smart City Atlas Musterstadt", "url": replay.url,
                  "source_type": "sca_atlas", "frequency": "MANUAL", "config": "{}",
                  "notes": "Demodaten: eine erfundene Nachbarstadt im Austauschformat (lokale Wiedergabe)."}
        done = sensors._harvest(site, source, [ORGANIZATION], values, "sca_atlas_harvester")
    finally:
        replay.stop()
    click.echo(f"region demo: harvested {done['records']} entries of {CITY} (job {done['job_id']})")
