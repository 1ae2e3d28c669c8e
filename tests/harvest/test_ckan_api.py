# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_ckan``: another CKAN portal's Action API, served by a local fake portal."""
import json

import pytest

from ckan.tests import factories, helpers

from tests.helpers.fake_ckan import FakeCKAN, portal_datasets
from tests.helpers.harvest import create_source, harvested, reexport_violations, refused_config, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]
GOVDATA_ID = "352a646f-e170-49c7-9d1e-53bdef9392fc"


def _source(server, harvest_org, portal, config=None, name="portal"):
    url = portal.route(server)
    return create_source(url, harvest_org, config=config, name=name, source_type="sca_ckan")


def _by_remote_id(datasets):
    return {d["sca_original_uri"].rsplit("/", 1)[-1]: d for d in datasets}


def test_registered_with_the_other_harvesters():
    names = {h["name"] for h in helpers.call_action("harvesters_info_show")}
    assert {"sca_dcat_rdf", "sca_ckan", "sca_csw"} <= names


def test_portal_harvested_mapped_and_valid_on_reexport(app, server, harvest_org):
    local = factories.Organization(name="umwelt", title="Umwelt")
    portal = FakeCKAN(portal_datasets())
    source = _source(server, harvest_org, portal,
                     config={"rows": 10, "organizations": {"umweltamt": "umwelt"}})
    report = run_job(source)
    assert report["stats"].get("added") == 25, report["messages"]
    messages = report["messages"]
    # CKAN's own licence ids and spellings are repaired through the mapping tables
    assert any("license: 'dl-de-by-2.0' → 'dl-by-de/2.0'" in m for m in messages), messages
    assert any("license: 'cc-nc' → 'cc-by-nc'" in m for m in messages)
    assert any("format: 'Shapefile' → 'SHP'" in m for m in messages)
    assert any("theme: 'umwelt_klima' → 'ENVI'" in m for m in messages)
    # GovData's sample: a format the tables do not know is reported, not invented
    assert any(m.startswith("[degraded] resource 1 format: 'Kartenviewer'") for m in messages)
    # a person's name and address are withheld, without repeating them in the report
    assert any("contact e-mail: \"(a person's, not shown)\"" in m for m in messages)
    assert not any("mustermann" in m.lower() for m in messages)

    datasets = _by_remote_id(harvested(source["id"]))
    assert len(datasets) == 25
    first = helpers.call_action("package_show", id=datasets["7d1c0a52-0003-4c1e-9a0b-5f2d3c4b0003"]["id"])
    assert first["title"] == "Messreihe 03 – Lärm und Luft an Hauptstraßen"
    assert first["license_id"] == "odbl"
    assert first["contact_email"] == "opendata@stadt.example" and first["contact_name"] == "Open-Data-Team"
    assert first["publisher_name"] == "Landeshauptstadt Musterstadt"
    assert set(first["theme"]) == {"TRAN", "ENVI"} and first["language"] == ["DEU"]
    assert first["frequency"] == "DAILY"
    assert (first["temporal_start"], first["temporal_end"]) == ("2021-01-01", "2021-12-31")
    assert json.loads(first["spatial"]) == {"type": "Point", "coordinates": [13.74, 51.05]}
    assert {t["name"] for t in first["tags"]} == {"Luftqualität", "Lärm"}
    assert [r["format"] for r in first["resources"]] == ["CSV", "GeoJSON"]
    assert first["resources"][0]["size"] == 20480 and first["resources"][0]["modified"] == "2025-03-01T10:00:00"
    assert first["sca_original_identifier"] == "7d1c0a52-0003-4c1e-9a0b-5f2d3c4b0003"
    # organisations by configuration: umweltamt → umwelt, others stay with the source's organisation
    orgs = {d["organization"]["name"] for d in datasets.values()}
    assert orgs == {"umwelt", harvest_org["name"]}
    assert datasets["7d1c0a52-0002-4c1e-9a0b-5f2d3c4b0002"]["owner_org"] == local["id"]
    person = helpers.call_action("package_show", id=datasets["7d1c0a52-0004-4c1e-9a0b-5f2d3c4b0004"]["id"])
    assert not person.get("contact_email") and "Mustermann" not in json.dumps(person)
    govdata = helpers.call_action("package_show", id=datasets[GOVDATA_ID]["id"])
    assert govdata["license_id"] == "cc-by-nc"
    assert (govdata["temporal_start"], govdata["temporal_end"]) == ("2000-01-01", "2013-10-25")
    assert govdata["contact_email"] == "office@lgb-rlp.de"
    assert set(govdata["theme"]) == {"EDUC", "REGI"}

    failures = reexport_violations(app, datasets)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def _id_fetches(portal):
    return [c for c in portal.calls if "id:(" in c.get("fq", "") or c["action"] == "package_show"]


def test_incremental_by_metadata_modified(server, harvest_org):
    portal = FakeCKAN(portal_datasets(12))
    source = _source(server, harvest_org, portal, config={"rows": 5})
    assert run_job(source)["stats"]["added"] == 13
    before = {d["id"]: d["metadata_modified"] for d in harvested(source["id"])}

    portal.calls.clear()
    report = run_job(source)
    assert report["records"] == [] and report["stats"].get("added", 0) == 0
    assert _id_fetches(portal) == []  # the listing alone: nothing fetched again
    assert all(c.get("fl") == "id,name,metadata_modified" for c in portal.calls)

    changed = "7d1c0a52-0005-4c1e-9a0b-5f2d3c4b0005"
    portal.datasets[changed]["title"] = "Messreihe 05 (korrigiert)"
    portal.datasets[changed]["metadata_modified"] = "2026-01-01T00:00:00.000000"
    portal.calls.clear()
    report = run_job(source)
    assert report["stats"].get("updated") == 1, report["messages"]
    fetched = _id_fetches(portal)
    assert len(fetched) == 1 and changed in fetched[0]["fq"] and fetched[0]["fq"].count('"') == 2
    after = {d["id"]: d for d in harvested(source["id"])}
    moved = [i for i in after if after[i]["metadata_modified"] != before[i]]
    assert len(moved) == 1 and after[moved[0]]["title"] == "Messreihe 05 (korrigiert)"

    # removed upstream: withdrawn (private, marked), not lost
    del portal.datasets[changed]
    report = run_job(source)
    assert any("removed upstream" in m for m in report["messages"])
    gone = helpers.call_action("package_show", id=moved[0])
    assert gone["private"] is True and gone["sca_withdrawn"]


def test_a_portal_that_ignores_fl(server, harvest_org):
    portal = FakeCKAN(portal_datasets(6), ignore_fl=True)
    source = _source(server, harvest_org, portal, config={"rows": 4})
    assert run_job(source)["stats"]["added"] == 7
    assert _id_fetches(portal) == []  # the listing brought the whole records


def test_full_harvest_when_not_incremental(server, harvest_org):
    portal = FakeCKAN(portal_datasets(6))
    source = _source(server, harvest_org, portal, config={"incremental": False})
    assert run_job(source)["stats"]["added"] == 7
    report = run_job(source)
    assert report["stats"].get("not modified") == 7 or report["stats"].get("added", 0) == 0
    assert all("fl" not in c for c in portal.calls) and _id_fetches(portal) == []


@pytest.mark.parametrize("status,body,message", [
    (500, b"<html>Internal Server Error</html>", "HTTP 500"),
    # the error's type is named, its text (the answer's content) is not repeated
    (200, b"{\"success\": false, \"error\": {\"__type\": \"Search Query Error\", \"message\": \"Solr down\"}}",
     "the portal reports an error (Search Query Error)"),
    (200, b"<html>Wartung</html>", "not JSON"),
])
def test_a_failing_portal_keeps_the_harvested_datasets(server, harvest_org, status, body, message):
    portal = FakeCKAN(portal_datasets(3))
    source = _source(server, harvest_org, portal)
    run_job(source)
    before = harvested(source["id"])
    portal.fail_with = (status, body)
    report = run_job(source)
    assert any(message in m and "unchanged" in m for m in report["gather"]), report["gather"]
    assert not any("Solr down" in m or "Wartung" in m for m in report["messages"])
    assert harvested(source["id"]) == before


def test_repeated_pages_stop_paging_and_withdraw_nothing(server, harvest_org):
    portal = FakeCKAN(portal_datasets(6))
    source = _source(server, harvest_org, portal, config={"rows": 3})
    run_job(source)
    original = portal.handler

    def same_page(req, route):  # a broken portal that ignores start
        req.path = req.path.replace("start=3", "start=0")
        return original(req, route)

    server.add_prefix("/portal/api/3/action/", same_page)
    report = run_job(source)
    assert any("same records again" in m for m in report["gather"]), report["gather"]
    assert any("no record was withdrawn" in m for m in report["gather"])
    assert all(not d["private"] for d in harvested(source["id"]))


def test_personal_contacts_only_when_configured(server, harvest_org):
    portal = FakeCKAN(portal_datasets(4))
    source = _source(server, harvest_org, portal, config={"personal_contacts": True})
    run_job(source)
    person = _by_remote_id(harvested(source["id"]))["7d1c0a52-0004-4c1e-9a0b-5f2d3c4b0004"]
    assert person["contact_email"] == "erika.mustermann@stadt.example"


@pytest.mark.parametrize("config,message", [
    ('{"rows": 5000}', "rows must be a whole number between 1 and 1000"),
    ('{"organizations": ["a"]}', "organizations must map remote organisation names"),
    ('{"incremental": "ja"}', "incremental must be true or false"),
    ('{"page_size": 10}', "unknown configuration keys: page_size"),
])
def test_bad_configuration_is_refused(harvest_org, config, message):
    assert message in refused_config("sca_ckan", harvest_org, config)


def test_a_mapped_organisation_that_does_not_exist_is_reported(server, harvest_org):
    portal = FakeCKAN(portal_datasets(2))
    source = _source(server, harvest_org, portal, config={"organizations": {"umweltamt": "fehlt"}})
    report = run_job(source)
    assert any("organisation 'fehlt' (mapped for this record) does not exist" in m for m in report["messages"])
    assert report["stats"].get("added") == 2  # the others are imported
