# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca region-demo``: a small regional view for the demo portal
(``SCA_REGION_DEMO=1 deploy/sca up``).

The invented neighbouring city "Musterstadt an der Elbe" publishes a few
actors and projects in the exchange format (docs/exchange-format.md),
replayed by a local server on 127.0.0.1; the source "Demo: Smart City Atlas
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

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.demo.loopback import LoopbackJSONServer

register = Registry()

SOURCE_NAME = "smart-city-atlas-musterstadt-demo"
ORGANIZATION = "smart-city-musterstadt-demo"
SITE = "https://atlas.musterstadt.example"
CITY = "Musterstadt an der Elbe"


def _item(entity_type: str, key: str, title: str, **values) -> dict:
    iri = f"{SITE}/{entity_type}/{key}"
    item = {"@id": iri, "@type": "Actor" if entity_type == "actor" else "Project", "identifier": key, "name": key,
            "title": title, "description": values.pop("description"), "description_en": None, "themes": [],
            "topics": values.pop("topics", []), "sdgs": [], "districts": [], "page": iri,
            "modified": "2026-11-02T09:00:00", "geometry": {"type": "Point", "coordinates": values.pop("point")}}
    item.update(values)
    return item


def items() -> list[dict]:
    """The neighbour's public entries (20 km north-west of Dresden, outside its boundary, on the same map)."""
    actor = f"{SITE}/actor"
    return [
        _item("actor", "a1-ivi-projektgruppe", "Fraunhofer IVI, Projektgruppe Musterstadt",
              description="Projektgruppe des Instituts für Verkehrs- und Infrastruktursysteme "
                          "(erfundener Demo-Eintrag).",
              kind="research_institute", helixSector="science", topics=["mobility"], competences=["Verkehrsdaten"],
              homepage="https://www.ivi.fraunhofer.de/", emailDomain=None, address=None, locationCoarsened=False,
              point=[13.4720, 51.1610]),
        _item("actor", "a2-stadtwerke", "Stadtwerke Musterstadt",
              description="Kommunaler Energie- und Wasserversorger (erfundener Demo-Eintrag).",
              kind="public_company", helixSector="business", topics=["energy"], competences=["Wärmenetze"],
              homepage="https://stadtwerke.musterstadt.example/", emailDomain="musterstadt.example",
              address={"streetAddress": None, "postalCode": "01445", "locality": "Musterstadt an der Elbe"},
              locationCoarsened=False, point=[13.4810, 51.1660]),
        _item("actor", "a3-repaircafe", "Repair-Café Musterstadt e. V.",
              description="Ehrenamtliche Reparaturtreffs (erfundener Demo-Eintrag).",
              kind="civil_society", helixSector="civil_society", topics=["environment_climate", "participation"],
              competences=[],
              homepage=None, emailDomain=None, address=None, locationCoarsened=True, point=[13.4680, 51.1690]),
        _item("project", "p1-massnahme-quartier", "Maßnahme Klimaquartier Elbufer",
              description="Bündel von Vorhaben für ein klimaneutrales Quartier (erfundener Demo-Eintrag).",
              summary="Klimaquartier am Elbufer", summary_en=None, kind="measure", status="running",
              startDate="2025-01-01", endDate=None, partOf=None, fieldsOfAction=[], topics=["energy"],
              modelDistrict=None, fundingProgramme=None, links=[], partners=[
                  {"actor": f"{actor}/a2-stadtwerke", "name": None, "role": "lead"}],
              point=[13.4770, 51.1630]),
        _item("project", "p2-waermenetz", "Wärmenetz Elbufer",
              description="Ein Niedertemperatur-Wärmenetz für das Quartier (erfundener Demo-Eintrag).",
              summary="Niedertemperatur-Wärmenetz", summary_en=None, kind="project", status="planned",
              startDate="2026-03-01", endDate="2028-12-31", partOf=f"{SITE}/project/p1-massnahme-quartier",
              fieldsOfAction=[], topics=["energy"], modelDistrict=None, fundingProgramme=None, links=[],
              partners=[{"actor": f"{actor}/a2-stadtwerke", "name": None, "role": "operator"},
                        {"actor": f"{actor}/a1-ivi-projektgruppe", "name": None, "role": "research_partner"}],
              point=[13.4790, 51.1600]),
        _item("project", "p3-verkehrsdaten", "Offene Verkehrsdaten Musterstadt",
              description="Verkehrszählungen als offene Daten (erfundener Demo-Eintrag).",
              summary="Verkehrszählungen als offene Daten", summary_en=None, kind="project", status="running",
              startDate="2025-06-01", endDate=None, partOf=None, fieldsOfAction=[], topics=["mobility"],
              modelDistrict=None, fundingProgramme=None, links=[], partners=[
                  {"actor": f"{actor}/a1-ivi-projektgruppe", "name": None, "role": "lead"},
                  {"actor": None, "name": "Radentscheid Musterstadt", "role": "user"}], point=[13.4700, 51.1640]),
    ]


def page() -> dict:
    listed = items()
    return {"@context": f"{SITE}/opendata/atlas/exchange/v1/context.jsonld",
            "@id": f"{SITE}/opendata/atlas/exchange/v1/records.jsonld", "@type": "AtlasPage",
            "formatVersion": "1.0", "atlas": {"@id": SITE, "title": f"Smart City Atlas {CITY}",
                                              "city": "musterstadt", "cityTitle": CITY},
            "totalItems": len(listed), "itemsPerPage": len(listed), "items": listed}


class Replay(LoopbackJSONServer):
    """The neighbour's exchange listing, one page."""

    def answer(self, path: str):
        body = json.dumps(page(), ensure_ascii=False).encode("utf-8")
        return 200, body, {"Content-Type": "application/ld+json"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/opendata/atlas/exchange/v1/records.jsonld"


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
