# SPDX-License-Identifier: AGPL-3.0-or-later
"""The radar harvester on a realistic CSV export: rows into projects with
partners, locations and status history; rejected rows with row number and
reason; an unchanged re-run changes nothing; a changed status appears in
the timeline."""
import pytest

from ckan.tests import factories, helpers

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import activity_count, create_source, csv_bytes, projects, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]


def _actors(org):
    return {
        "tu": factories.Dataset(type="actor", owner_org=org["id"], name="tu-dresden",
                                title="Technische Universität Dresden", actor_kind="university",
                                helix_sector="science"),
        "htw": factories.Dataset(type="actor", owner_org=org["id"], name="htw-dresden",
                                 title="Hochschule für Technik und Wirtschaft Dresden (HTW Dresden)",
                                 actor_kind="university", helix_sector="science"),
        "sandstorm": factories.Dataset(type="actor", owner_org=org["id"], name="sandstorm",
                                       title="Sandstorm Media GmbH", actor_kind="company", helix_sector="business",
                                       spatial='{"type":"Point","coordinates":[13.7372,51.0664]}',
                                       location_source="address"),
    }


ROWS = [
    {"Radar-ID": "DD-M01", "Titel": "Straßenbeleuchtung für Fußgänger", "Typ": "Maßnahme", "Status": "laufend",
     "Stand": "31.01.2025", "Kurzbeschreibung": "Smarte Laternen – Größenordnung: groß", "Stadtteil": "stadtweit",
     "Themenblock": "Offene Daten und digitale Infrastrukturen", "Themen": "Energie; Mobilität und Verkehr"},
    {},  # an empty row
    {"Radar-ID": "DD-P01", "Titel": "Bürgerbeteiligung in Gorbitz", "Typ": "Projekt", "Status": "In Planung",
     "Maßnahme": "DD-M01", "Federführung": "TU Dresden", "Partner": "HTW Dresden; Sandstorm Media (Betreiber); "
     "Verein Nachbarschaftshilfe Löbtau e. V.", "Breite": "51,0504", "Länge": "13,7373",
     "Beginn": "45292", "Ende": "2025-12-31", "Budget (EUR)": "1.234.567,50 €", "Themen": "Beteiligung"},
    {"Radar-ID": "DD-P02", "Titel": "Sensoren an der Elbe", "Typ": "Projekt", "Status": "Laufend",
     "Breite": "13.7373", "Länge": "51.0504", "Themen": "Umwelt und Klima; Quantencomputing"},
    {"Radar-ID": "DD-P03", "Titel": "Projekt in Leipzig", "Typ": "Projekt", "Status": "Idee",
     "Breite": "51.3397", "Länge": "12.3731", "Stadtteil": "Johannstadt"},
    {"Radar-ID": "DD-P04", "Titel": "Ohne Ort", "Typ": "Aktivität", "Status": "Idee"},
    {"Radar-ID": "DD-P05", "Titel": "Unbekannter Typ", "Typ": "Leuchtturm", "Status": "Idee"},
    {"Radar-ID": "DD-P06", "Titel": "Unbekannter Status", "Typ": "Projekt", "Status": "vielleicht"},
    {"Radar-ID": "DD-P01", "Titel": "Doppelt", "Typ": "Projekt", "Status": "Idee"},
    {"Radar-ID": "", "Titel": "Ohne Kennung", "Typ": "Projekt", "Status": "Idee"},
    {"Radar-ID": "DD-P07", "Titel": "Klinikum", "Typ": "Thema", "Status": "abgeschlossen",
     "Adresse": "Klinikum Friedrichstadt, Friedrichstraße 41"},
]


def test_csv_rows_become_projects_and_a_rerun_changes_nothing(server, radar_org):
    actors = _actors(radar_org)
    route = server.add("/radar.csv", body=csv_bytes(ROWS), content_type="text/csv; charset=utf-8")
    source = create_source(server.url("/radar.csv"), radar_org)
    report = run_job(source)

    assert report["counts"]["created"] == 6
    rejected = {(r["row"], r["reason"]) for r in report["rejected"]}
    assert (8, "DD-P05: unknown entry type 'Leuchtturm' (add it to entry_types of the radar mapping)") in rejected
    assert (9, "DD-P06: unknown status 'vielleicht' (add it to statuses of the radar mapping)") in rejected
    assert (10, "radar id 'DD-P01' appears twice (first in row 4); the first was used") in rejected
    assert (11, "no radar id") in rejected
    assert len(report["rejected"]) == 4

    found = projects()
    measure, project = found["DD-M01"], found["DD-P01"]
    assert measure["title"] == "Straßenbeleuchtung für Fußgänger"
    assert measure["project_kind"] == "measure" and measure["status"] == "running"
    assert measure["status_updated"] == "2025-01-31"
    assert measure["location_source"] == "city_boundary"
    assert measure["topics"] == ["energy", "mobility"]
    assert measure["summary"] == "Smarte Laternen – Größenordnung: groß"
    assert project["part_of"] == measure["id"]
    assert project["status"] == "planned"
    assert project["start_date"] == "2024-01-01"  # an Excel serial number as text
    assert float(project["budget_eur"]) == 1234567.5
    partners = project["partners"]
    assert {"actor": actors["tu"]["id"], "role": "lead"}.items() <= partners[0].items()
    assert partners[1]["actor"] == actors["htw"]["id"]
    assert partners[2]["actor"] == actors["sandstorm"]["id"] and partners[2]["role"] == "operator"
    assert partners[3]["name"] == "Verein Nachbarschaftshilfe Löbtau e. V." and not partners[3].get("actor")
    assert project["location_source"] == "coordinates"
    assert '"coordinates":[13.7373,51.0504]' in project["spatial"].replace(" ", "")

    swapped = found["DD-P02"]
    assert '"coordinates":[13.7373,51.0504]' in swapped["spatial"].replace(" ", "")
    assert swapped["topics"] == ["environment_climate"]
    outside = found["DD-P03"]
    assert outside["location_source"] == "district_centroid"
    assert not found["DD-P04"].get("spatial")
    assert found["DD-P07"]["location_source"] == "address"

    messages = [w["message"] for w in report["warnings"]]
    assert any("latitude and longitude were swapped" in m for m in
               [n["message"] for r in report["generic"]["records"] for n in r["notes"]])
    assert any("lie outside" in m and "row 6" in m for m in messages)
    assert any("row 7: no location" in m for m in messages)
    assert any("'Quantencomputing'" in m for m in messages)
    assert [u["message"] for u in report["unmatched"]] == [
        "row 4: partner 'Verein Nachbarschaftshilfe Löbtau e. V.' is not an actor of the atlas; kept as free text"]

    history = helpers.call_action("sca_status_history", {"ignore_auth": True}, id=measure["id"])
    assert [(h["status"], h["effective_date"]) for h in history] == [("running", "2025-01-31")]

    # the same file again: nothing changes, no activity
    before = {rid: (p["metadata_modified"], activity_count(p["id"])) for rid, p in found.items()}
    again = run_job(source)
    assert again["counts"]["unchanged"] == 6, again["updated"] + [r for r in again["generic"]["records"]][:2]
    assert again["counts"]["created"] == again["counts"]["updated"] == 0
    assert len(again["rejected"]) == 4
    after = {rid: (p["metadata_modified"], activity_count(p["id"])) for rid, p in projects().items()}
    assert after == before
    assert route.hits == 2

    # a changed status with a new date: updated, and in the timeline
    changed = [dict(r) for r in ROWS]
    changed[0].update({"Status": "abgeschlossen", "Stand": "30.06.2025"})
    server.add("/radar.csv", body=csv_bytes(changed), content_type="text/csv")
    third = run_job(source)
    assert [u["radar_id"] for u in third["updated"]] == ["DD-M01"]
    history = helpers.call_action("sca_status_history", {"ignore_auth": True}, id=measure["id"])
    assert [(h["status"], h["effective_date"]) for h in history] == [
        ("running", "2025-01-31"), ("completed", "2025-06-30")]


def test_sca_radar_is_listed():
    names = [h["name"] for h in helpers.call_action("harvesters_info_show", {"ignore_auth": True})]
    assert "sca_radar" in names
