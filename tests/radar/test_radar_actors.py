# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rows of entry type "actor" create and update actors (keyed by their
radar id); projects of the same file name them as partners."""
import pytest

from ckan.tests import factories, helpers

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import create_source, csv_bytes, projects, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]

COLUMNS = ["Radar-ID", "Titel", "Typ", "Status", "Beschreibung", "Akteursart", "Sektor", "Themen", "Link",
           "Stadtteil", "Partner"]
ACTOR = {"Radar-ID": "A-1", "Titel": "Stadtteilverein Pieschen e. V.", "Typ": "Akteur",
         "Beschreibung": "Verein für Nachbarschaft und Beteiligung in Pieschen.", "Akteursart": "Verein",
         "Sektor": "Zivilgesellschaft", "Themen": "Beteiligung", "Link": "https://pieschen.example.org",
         "Stadtteil": "Pieschen-Süd"}
PROJECT = {"Radar-ID": "P-1", "Titel": "Nachbarschaftsdaten Pieschen", "Typ": "Projekt", "Status": "Laufend",
           "Partner": "Stadtteilverein Pieschen e. V. (Anwender)"}


def _actors():
    found = helpers.call_action("package_search", {"ignore_auth": True}, fq="+dataset_type:actor", rows=100,
                                include_private=True)["results"]
    return {a.get("radar_id"): helpers.call_action("package_show", {"ignore_auth": True}, id=a["id"])
            for a in found}


def test_actor_rows_create_and_update_actors_named_by_projects(server, radar_org):
    server.add("/radar.csv", body=csv_bytes([PROJECT, ACTOR], columns=COLUMNS), content_type="text/csv")
    source = create_source(server.url("/radar.csv"), radar_org)
    report = run_job(source)
    assert report["counts"]["created"] == 2 and not report["rejected"], report
    actor = _actors()["A-1"]
    assert (actor["title"], actor["actor_kind"], actor["helix_sector"]) == (
        "Stadtteilverein Pieschen e. V.", "civil_society", "civil_society")
    assert actor["topics"] == ["participation"] and actor["url"] == "https://pieschen.example.org"
    assert actor["location_source"] == "district_centroid" and actor["record_source"] == "Smart-City-Radar"
    # the project of the same file links the actor created before it
    assert projects()["P-1"]["partners"] == [{"actor": actor["id"], "role": "user"}]

    assert run_job(source)["counts"]["unchanged"] == 2
    server.add("/radar.csv", body=csv_bytes([PROJECT, {**ACTOR, "Titel": "Stadtteilverein Pieschen"}],
                                            columns=COLUMNS), content_type="text/csv")
    assert run_job(source)["counts"]["updated"] == 1
    assert set(_actors()) == {"A-1"} and _actors()["A-1"]["id"] == actor["id"]
    assert _actors()["A-1"]["title"] == "Stadtteilverein Pieschen"


def test_an_existing_actor_with_the_radar_id_is_updated_and_keeps_what_the_file_lacks(server, radar_org):
    existing = factories.Dataset(type="actor", owner_org=radar_org["id"], name="tu-dresden-x",
                                 title="Technische Universität Dresden", actor_kind="university",
                                 helix_sector="science", notes="Exzellenzuniversität.", radar_id="A-9",
                                 contact_email="info@example.org")
    row = {"Radar-ID": "A-9", "Titel": "Technische Universität Dresden", "Typ": "Akteur",
           "Themen": "Bildung und Wissenschaft; Offene Daten"}
    server.add("/radar.csv", body=csv_bytes([row], columns=COLUMNS), content_type="text/csv")
    report = run_job(create_source(server.url("/radar.csv"), radar_org))
    assert report["counts"]["updated"] == 1, report
    actor = _actors()["A-9"]
    assert actor["id"] == existing["id"]
    assert sorted(actor["topics"]) == ["education_science", "open_data"]
    assert (actor["notes"], actor["actor_kind"], actor["contact_email"]) == (
        "Exzellenzuniversität.", "university", "info@example.org")


def test_a_new_actor_without_what_the_schema_requires_is_rejected_the_run_goes_on(server, radar_org):
    rows = [{**ACTOR, "Radar-ID": "A-2", "Akteursart": ""}, {**ACTOR, "Radar-ID": "A-3", "Sektor": "Weltraum"},
            {**PROJECT, "Partner": ""}]
    server.add("/radar.csv", body=csv_bytes(rows, columns=COLUMNS), content_type="text/csv")
    report = run_job(create_source(server.url("/radar.csv"), radar_org))
    assert report["counts"]["created"] == 1 and report["counts"]["rejected"] == 2, report
    reasons = {r["radar_id"]: r["reason"] for r in report["rejected"]}
    assert "needs an actor kind (Akteursart)" in reasons["A-2"]
    assert "needs a sector (Sektor)" in reasons["A-3"]
    assert any("Weltraum" in w["message"] for w in report["warnings"])
    assert set(_actors()) == set()
