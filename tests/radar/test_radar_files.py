# SPDX-License-Identifier: AGPL-3.0-or-later
"""Radar files as city offices write them (XLSX with a title row, merged
header cells, Excel dates and numbers as text, formulas; JSON; Windows
CSV) and hostile or broken files: a broken file fails the run with a clear
message and leaves the previous data as they were."""
import datetime
import io
import json
import zipfile

import pytest

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import XLSX, create_source, csv_bytes, projects, run_job, xlsx_bytes

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]

HEADER = [["Radar-ID", "Bezeichnung", "Eintragsart", "Umsetzungsstand", "Stand", "Budget", "Koordinaten", None,
           "Themenfeld"],
          [None, None, None, None, None, None, "Breite", "Länge", None]]
MERGES = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2", "I2:I3"]


def test_xlsx_with_title_row_merged_headers_excel_dates_and_formulas(server, radar_org):
    rows = [
        ["R-001", "Grüne Welle für Radfahrer", "Projekt", "In Umsetzung", datetime.date(2025, 3, 31), "12500",
         51.0504, 13.7373, "Mobilität und Verkehr"],
        [None] * 9,  # an empty row
        ["R-002", "Straßenbäume zählen", "Aktivität", "Idee", "=TODAY()", "=F4*2", "51,06", "13,75", "Umwelt"],
        ["R-003", "=CONCAT(\"Gieß\",\"kanne\")", "Projekt", "Idee", 45658, "1.000", None, None, None],
    ]
    body = xlsx_bytes(rows, HEADER, MERGES, title="Smart-City-Radar Musterstadt – Stand März 2025")
    server.add("/radar.xlsx", body=body, content_type=XLSX)
    report = run_job(create_source(server.url("/radar.xlsx"), radar_org))

    found = projects()
    assert report["counts"]["created"] == 2
    first = found["R-001"]
    assert first["title"] == "Grüne Welle für Radfahrer" and first["status"] == "running"
    assert first["status_updated"] == "2025-03-31"
    assert float(first["budget_eur"]) == 12500
    assert first["location_source"] == "coordinates"
    second = found["R-002"]
    assert second["topics"] == ["environment_climate"]
    assert not second.get("budget_eur")
    assert second["status_updated"] == datetime.date.today().isoformat()  # no computed date: harvest date
    # its title is a formula without a computed value: rejected
    assert [r["row"] for r in report["rejected"]] == [7]
    assert "no title" in report["rejected"][0]["reason"]
    formula_notes = [m for m in report["gather"] if "formula" in m]
    assert len(formula_notes) == 3 and all("without a computed value" in m for m in formula_notes)


def test_json_export(server, radar_org):
    entries = {"entries": [
        {"radar_id": "J-1", "Titel": "Offene Daten für Schulen", "Typ": "topic", "Status": "running",
         "Themen": ["Offene Daten", "Bildung"], "Partner": ["Volkshochschule"], "Stadtteil": "Prohlis"},
        {"radar_id": "J-2", "Titel": {"de": "kein Text"}, "Typ": "project", "Status": "idea"},
        "kein Objekt",
    ]}
    server.add("/radar.json", body=json.dumps(entries, ensure_ascii=False), content_type="application/json")
    report = run_job(create_source(server.url("/radar.json"), radar_org,
                                   config={"radar_mapping": {"columns": {"radar_id": ["radar_id"]}}}))
    found = projects()
    assert set(found) == {"J-1"}
    assert found["J-1"]["project_kind"] == "topic"
    assert found["J-1"]["topics"] == ["open_data", "education_science"]
    assert found["J-1"]["location_source"] == "district_centroid"
    assert found["J-1"]["partners"] == [{"name": "Volkshochschule", "role": "partner"}] or \
        found["J-1"]["partners"][0]["name"] == "Volkshochschule"
    assert [r["row"] for r in report["rejected"]] == [2]
    assert any("entry 3 is not an object" in m for m in report["gather"])


def test_windows_csv_with_commas(server, radar_org):
    rows = [{"Radar-ID": "W-1", "Titel": "Bürgerhaushalt Löbtau", "Typ": "Projekt", "Status": "geplant"}]
    body = csv_bytes(rows, delimiter=",", encoding="cp1252")
    server.add("/radar.csv", body=body, content_type="text/csv")
    report = run_job(create_source(server.url("/radar.csv"), radar_org))
    assert projects()["W-1"]["title"] == "Bürgerhaushalt Löbtau"
    assert any("Windows-1252" in m for m in report["gather"])


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


BOMB = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<a>" + b" " * 120_000_000 + b"</a>"})
DTD = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
            b'"aaaa"><!ENTITY b "&a;&a;&a;">]><workbook>&b;</workbook>', "xl/worksheets/sheet1.xml": b"<worksheet/>"})


@pytest.mark.parametrize("body,ctype,expected", [
    (BOMB, XLSX, "unpacks to 120 MB, more than the size cap"),
    (DTD, XLSX, "declares a DTD; refused"),
    (b"PK\x03\x04 this is no zip", XLSX, "the XLSX file is damaged"),
    (b"<!DOCTYPE html><html><body>Wartung</body></html>", "text/html", "returned HTML"),
    (b'[{"Radar-ID": "X-1", ', "application/json", "the JSON cannot be read"),
    (b"Spalte A;Spalte B\n1;2\n", "text/csv", "no header row"),
    (b"", "text/csv", "the file is empty"),
], ids=["zip-bomb", "dtd", "broken-zip", "html", "broken-json", "no-header", "empty"])
def test_broken_or_hostile_file_fails_the_run_and_keeps_previous_data(server, radar_org, body, ctype, expected):
    good = [{"Radar-ID": "K-1", "Titel": "Bleibt erhalten", "Typ": "Projekt", "Status": "Laufend"}]
    server.add("/radar", body=csv_bytes(good), content_type="text/csv")
    source = create_source(server.url("/radar"), radar_org)
    run_job(source)
    before = projects()["K-1"]

    server.add("/radar", body=body, content_type=ctype)
    report = run_job(source)
    assert any(expected in m and "previously harvested records are unchanged" in m for m in report["gather"]), \
        report["gather"]
    after = projects()["K-1"]
    assert after["metadata_modified"] == before["metadata_modified"]
    assert not after["private"] and not after.get("sca_withdrawn")


def test_a_row_rejected_this_time_is_not_withdrawn(server, radar_org):
    rows = [{"Radar-ID": "K-1", "Titel": "Eintrag", "Typ": "Projekt", "Status": "Laufend"},
            {"Radar-ID": "K-2", "Titel": "Verschwindet", "Typ": "Projekt", "Status": "Laufend"}]
    server.add("/radar.csv", body=csv_bytes(rows), content_type="text/csv")
    source = create_source(server.url("/radar.csv"), radar_org)
    run_job(source)
    rows[0]["Status"] = "unbekannt"
    server.add("/radar.csv", body=csv_bytes(rows[:1]), content_type="text/csv")
    report = run_job(source)
    assert [r["row"] for r in report["rejected"]] == [2]
    assert [w["radar_id"] for w in report["withdrawn"]] == ["K-2"]
    found = projects()
    assert not found["K-1"]["private"] and found["K-1"]["status"] == "running"
    assert found["K-2"]["private"] and found["K-2"]["sca_withdrawn"]


def test_the_source_configuration_is_checked():
    from ckan.plugins import get_plugin

    harvester = get_plugin("sca_radar")
    for config, message in [({"match_threshold": 2}, "between 0 and 1"),
                            ({"radar_mapping": {"statuses": {"fertig": "done"}}}, "is not one of"),
                            ({"radar_mapping": {"columns": {"colour": ["Farbe"]}}}, "columns must map"),
                            ({"radar_format": "ods"}, "radar_format must be one of"),
                            ({"radar_typo": 1}, "unknown configuration keys")]:
        with pytest.raises(ValueError, match=message):
            harvester.validate_config(json.dumps(config))
