# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_csw``: a geoportal's CSW 2.0.2 with ISO 19139 records, served locally."""
import json

import pytest

from ckan.tests import helpers

from tests.helpers.fake_csw import FIXTURES, FakeCSW, city_record, csw_source
from tests.helpers.harvest import harvested, reexport_violations, refused_config, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]
BERLIN_DATASET = "8a7ea996-7955-4fbb-8980-7be09be6f193"


def _by_file_id(datasets):
    return {d["sca_original_uri"].split("id=", 1)[1].split("&", 1)[0]: d for d in datasets}


def test_berlin_geoportal_sample(app, server, harvest_org):
    """The unchanged FIS-Broker answer: a dataset, the WMS operating on it, an application."""
    csw = FakeCSW([])
    csw.raw = (FIXTURES / "getrecords-response.xml").read_bytes()  # incl. its odd nextRecord="1"
    source = csw_source(server, harvest_org, csw)
    report = run_job(source)
    assert report["stats"].get("added") == 1, report["messages"]
    assert any("'aac23975-94e4-3707-96fa-e447e43d6013' is of type 'application'" in m for m in report["gather"])
    assert len([c for c in csw.calls if c.get("request") == "GetRecords"]) == 1
    request = csw.calls[0]
    assert request["outputschema"] == "http://www.isotc211.org/2005/gmd" and request["version"] == "2.0.2"

    dataset = helpers.call_action("package_show", id=_by_file_id(harvested(source["id"]))[BERLIN_DATASET]["id"])
    assert dataset["title"] == "3D-Gebäudemodelle im Level of Detail 2 (LoD 2)"
    assert dataset["notes"].startswith("Der Datensatz enthält flächendeckend")
    assert dataset["license_id"] == "dl-by-de/2.0"
    assert dataset["identifier"] == "https://registry.gdi-de.org/id/de.be.csw/05377e9a-5223-3973-bbe8-95302abd3034"
    # the WMS is a distribution of the dataset it operates on (matched despite the upstream's typo'd href)
    assert [(r["url"], r["format"]) for r in dataset["resources"]] == [
        ("https://fbinter.stadt-berlin.de/fb/wms/senstadt/lod2", "WMS")]
    assert dataset["theme"] == ["REGI"] and dataset["language"] == ["DEU"]
    assert dataset["issued"] == "2019-03-01" and dataset["modified"] == "2019-03-01"
    assert json.loads(dataset["spatial"])["type"] == "Polygon"
    assert dataset["publisher_name"] == "Senatsverwaltung für Stadtentwicklung und Wohnen Berlin"
    # the official's name and address are not shown; the geoportal's mailbox is
    assert dataset["contact_name"] == "Senatsverwaltung für Stadtentwicklung und Wohnen Berlin"
    assert dataset["contact_email"] == "fisbroker@sensw.berlin.de"
    assert dataset["contact_url"] == "http://www.stadtentwicklung.berlin.de/geoinformation/fis-broker/"
    shown = json.dumps(dataset, ensure_ascii=False)
    assert "koehn" not in shown.lower() and "Köhn" not in shown
    assert "Köhn" not in json.dumps(report["messages"], ensure_ascii=False)
    assert {"Gebäudemodell", "3D-Daten"} <= {t["name"] for t in dataset["tags"]}
    assert reexport_violations(app, {BERLIN_DATASET: dataset}) == {}


def test_paged_city_geoportal_reharvest_and_removal(app, server, harvest_org):
    records = [city_record(i) for i in range(1, 24)]
    csw = FakeCSW(records)
    source = csw_source(server, harvest_org, csw, config={"page_size": 10})
    report = run_job(source)
    assert report["stats"].get("added") == 23, report["messages"]
    starts = [c["startposition"] for c in csw.calls if c.get("request") == "GetRecords"]
    assert starts == ["1", "11", "21"]
    datasets = _by_file_id(harvested(source["id"]))
    first = helpers.call_action("package_show", id=datasets["9c0e0001-6d1b-4c55-8a7e-0b1c2d3e0001"]["id"])
    assert first["license_id"] == "dl-zero-de/2.0"
    assert {r["format"] for r in first["resources"]} == {"ZIP", "WMS"}
    assert first["url"] == "https://www.musterstadt.example/bauleitplanung/1"  # the information page
    assert first["contact_email"] == "stadtplanung@musterstadt.example"
    assert first["contact_url"] == "https://www.musterstadt.example/stadtplanung"
    assert first["publisher_name"] == "Landeshauptstadt Musterstadt"
    # the topic category and the keyword "Stadtplanung" (known to the mapping tables)
    assert first["frequency"] == "DAILY" and set(first["theme"]) == {"TRAN", "REGI"}
    assert (first["temporal_start"], first["temporal_end"]) == ("2019-01-01", "2024-12-31")
    assert first["issued"] == "2023-05-02" and first["modified"] == "2025-02-02"
    by_licence = {d["license_id"] for d in datasets.values()}
    assert by_licence == {"dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0"}
    second = helpers.call_action("package_show", id=datasets["9c0e0002-6d1b-4c55-8a7e-0b1c2d3e0002"]["id"])
    assert second["license_attribution"] == "Stadt Musterstadt"  # the Quellenvermerk
    assert reexport_violations(app, dict(list(datasets.items())[:6])) == {}

    modified = {d["id"]: d["metadata_modified"] for d in harvested(source["id"])}
    report = run_job(source)
    assert report["stats"].get("added", 0) == 0 and report["stats"].get("updated", 0) == 0
    assert {d["id"]: d["metadata_modified"] for d in harvested(source["id"])} == modified

    csw.records[4] = city_record(5, title="Bebauungspläne Teilgebiet 05 (geändert)")
    del csw.records[0]
    report = run_job(source)
    assert report["stats"].get("updated") == 1
    after = _by_file_id(harvested(source["id"]))
    assert after["9c0e0005-6d1b-4c55-8a7e-0b1c2d3e0005"]["title"].endswith("(geändert)")
    gone = after["9c0e0001-6d1b-4c55-8a7e-0b1c2d3e0001"]
    assert gone["private"] is True and gone["sca_withdrawn_reason"] == "removed upstream"


def test_dublin_core_answers_fall_back_to_get_record_by_id(server, harvest_org):
    csw = FakeCSW([city_record(1), city_record(2)])
    csw.dublin_core = True
    real = csw.by_id

    def by_id(identifier):  # the second record cannot be fetched alone
        return (FIXTURES / "getrecordbyid-empty.xml").read_bytes() if identifier.endswith("0002") else real(identifier)

    csw.by_id = by_id
    source = csw_source(server, harvest_org, csw)
    report = run_job(source)
    assert report["stats"].get("added") == 1
    assert [c["id"] for c in csw.calls if c.get("request") == "GetRecordById"] == [
        "9c0e0001-6d1b-4c55-8a7e-0b1c2d3e0001", "9c0e0002-6d1b-4c55-8a7e-0b1c2d3e0002"]
    assert any("GetRecordById returned no ISO 19139 record" in m for m in report["gather"])


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults>&x;</csw:SearchResults>
</csw:GetRecordsResponse>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<r>&b;</r>"""
EXCEPTION = b"""<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0">
  <ows:Exception exceptionCode="InvalidParameterValue" locator="outputSchema">
    <ows:ExceptionText>Unsupported outputSchema</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"""


@pytest.mark.parametrize("body,message", [
    (XXE, "entity declarations"),
    (BOMB, "entity declarations"),
    # the code and our parameter are named; the text (the answer's content) is not repeated
    (EXCEPTION, "the CSW reports an error (InvalidParameterValue; parameter outputSchema)"),
    (b"<csw:GetRecordsResponse", "not well-formed XML"),
    (b'<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>', "without csw:SearchResults"),
])
def test_hostile_or_broken_answers_keep_the_harvested_datasets(server, harvest_org, body, message):
    csw = FakeCSW([city_record(1), city_record(2)])
    source = csw_source(server, harvest_org, csw)
    assert run_job(source)["stats"]["added"] == 2
    before = harvested(source["id"])
    csw.raw = body
    report = run_job(source)
    assert any(message in m and "unchanged" in m for m in report["gather"]), report["gather"]
    assert harvested(source["id"]) == before


def test_odd_next_record_values_and_repeated_pages(server, harvest_org):
    csw = FakeCSW([city_record(i) for i in range(1, 6)])
    csw.next_record_override = 1  # FIS-Broker style: nextRecord never moves on
    source = csw_source(server, harvest_org, csw, config={"page_size": 2})
    assert run_job(source)["stats"]["added"] == 5
    csw.next_record_override = None
    csw.ignore_start = True  # every page is the first one: nothing may be withdrawn
    report = run_job(source)
    assert any("same records again at position 3" in m for m in report["gather"]), report["gather"]
    assert any("no record was withdrawn" in m for m in report["gather"])
    assert all(not d["private"] for d in harvested(source["id"]))


def test_records_with_an_unknown_licence_or_without_distribution_are_kept(server, harvest_org):
    """Issue 25: an unknown licence is recorded as not open (the source's
    text kept), a record without distributions is a dataset all the same."""
    no_licence = city_record(1).replace('{"id": "dl-zero-de/2.0"', '{"id": "eigene-lizenz"').replace(
        "https://www.govdata.de/dl-de/zero-2-0", "https://musterstadt.example/lizenz").replace(
        "Datenlizenz Deutschland – Zero – Version 2.0", "Eigene Lizenz")
    start = city_record(2).index("<gmd:distributionInfo>")
    end = city_record(2).index("</gmd:distributionInfo>") + len("</gmd:distributionInfo>")
    no_distribution = city_record(2)[:start] + city_record(2)[end:]
    csw = FakeCSW([no_licence, no_distribution, city_record(3)])
    source = csw_source(server, harvest_org, csw)
    report = run_job(source)
    assert report["stats"].get("added") == 3, report["messages"]
    assert any(m.startswith("[degraded] license: ") and "recorded as 'other-closed'" in m
               for m in report["messages"]), report["messages"]
    datasets = {d["title"]: d for d in harvested(source["id"])}
    kept = [d for d in datasets.values() if d["license_id"] == "other-closed"]
    assert len(kept) == 1 and "Eigene Lizenz" in kept[0]["sca_original_license"], kept
    assert sorted(len(d["resources"]) for d in datasets.values())[0] == 0


@pytest.mark.parametrize("config,message", [
    ('{"page_size": 0}', "page_size must be a whole number"),
    ('{"resource_types": "dataset"}', "resource_types must be a list"),
    ('{"rows": 10}', "unknown configuration keys: rows"),
])
def test_bad_configuration_is_refused(harvest_org, config, message):
    assert message in refused_config("sca_csw", harvest_org, config)
