# SPDX-License-Identifier: AGPL-3.0-or-later
"""The smart-city monitor's indicators on a hand-built portal: projects and
measures per status and field of action, actors per sector and district,
partners per project, datasets per office with quality and DCAT-AP.de
conformance, data requests; private records never counted, whoever asks."""
import datetime
import statistics

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.quality import quality_store
from ckanext.smartcityatlas.quality.conformance_store import load as load_findings
from tests.helpers.datasets import create, full_dataset, minimal_dataset
from tests.helpers.entities import WEIXDORF, actor_data, call, project_data
from tests.helpers.monitor import by_id, datarequest, monitor

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.monitor.cache_seconds", "0")]


@pytest.fixture
def portal():
    """Two offices; public and private actors, measures, projects, datasets; three data requests."""
    import json

    sysadmin = factories.Sysadmin()
    office = factories.Organization(title="Amt für Digitales")
    other = factories.Organization(title="Umweltamt")
    actors = [
        call("package_create", sysadmin, **actor_data("a1", office, helix_sector="business")),
        call("package_create", sysadmin, **actor_data("a2", office, helix_sector="business")),
        call("package_create", sysadmin, **actor_data("a3", office, helix_sector="science",
                                                      spatial=json.dumps(WEIXDORF))),
    ]
    call("package_create", sysadmin, **actor_data("geheim", office, helix_sector="science", private=True,
                                                  spatial=json.dumps(WEIXDORF)))
    for name, status, private in (("m1", "running", False), ("m2", "planned", False), ("m3", "completed", True)):
        call("package_create", sysadmin, **project_data(name, office, project_kind="measure", status=status,
                                                        private=private))
    call("package_create", sysadmin, **project_data(
        "p1", office, fields_of_action=["data_provision"],
        partners=[{"actor": actors[0]["name"], "role": "lead"}, {"name": "Frei GmbH", "role": "partner"}]))
    call("package_create", sysadmin, **project_data("p2", office, fields_of_action=["data_provision",
                                                                                   "problem_analysis"]))
    call("package_create", sysadmin, **project_data("p3", office, status="completed",
                                                    partners=[{"name": "Verein e. V.", "role": "partner"}]))
    call("package_create", sysadmin, **project_data("p4", office, private=True,
                                                    partners=[{"name": "Geheim GmbH", "role": "partner"}] * 3))
    public = [create(minimal_dataset(office, "d1")), create(full_dataset(office, "d2")),
              create(minimal_dataset(other, "d3"))]
    private = create(full_dataset(office, "d4", private=True))
    for status, days in (("published", 2), ("declined", 4), ("open", 9)):
        datarequest(status, days)
    return {"sysadmin": sysadmin, "public": public, "private": private, "office": office, "other": other}


def test_atlas_indicators_count_only_public_records(portal):
    found = by_id(monitor())

    measures = found["measures_implemented"]
    assert measures["value"] == 50.0  # m1 running of m1, m2; the private m3 is not counted
    assert {b["key"]: b["value"] for b in measures["breakdown"]} == {"running": 1, "planned": 1}
    assert {b["key"]: b["label"]["de"] for b in measures["breakdown"]} == {"running": "Laufend",
                                                                           "planned": "Geplant"}
    assert found["projects_by_status"]["value"] == 5
    assert {b["key"]: b["value"] for b in found["projects_by_status"]["breakdown"]} == {
        "running": 3, "planned": 1, "completed": 1}
    assert found["fields_of_action"]["value"] == 2
    assert {b["key"]: b["value"] for b in found["fields_of_action"]["breakdown"]} == {
        "data_provision": 2, "problem_analysis": 1}

    # partners of p1, p2, p3 (2, 0, 1); the private p4's three are not counted
    assert found["partners_per_project_mean"]["value"] == 1.0
    assert found["partners_per_project_median"]["value"] == 1
    assert found["projects_with_partners"]["value"] == 66.7

    assert found["actors_by_sector"]["value"] == 3
    assert {b["key"]: b["value"] for b in found["actors_by_sector"]["breakdown"]} == {"business": 2, "science": 1}
    districts = {b["key"]: b["value"] for b in found["actor_districts"]["breakdown"]}
    assert found["actor_districts"]["value"] == len(districts) == 2
    assert sorted(districts.values()) == [1, 2]  # the private actor in Weixdorf is not counted


def test_catalogue_and_data_request_indicators(portal):
    found = by_id(monitor())
    public_ids = [d["id"] for d in portal["public"]]

    assert found["open_datasets"]["value"] == 3
    assert {b["label"]["de"]: b["value"] for b in found["open_datasets"]["breakdown"]} == {
        "Amt für Digitales": 2, "Umweltamt": 1}

    scores = [quality_store.load(i)["score"] for i in public_ids]
    assert quality_store.load(portal["private"]["id"])["score"] is not None
    assert found["dataset_quality"]["value"] == round(statistics.fmean(scores), 1)
    per_office = {b["label"]["de"]: b["value"] for b in found["dataset_quality"]["breakdown"]}
    assert per_office == {"Amt für Digitales": round(statistics.fmean(scores[:2]), 1), "Umweltamt": scores[2]}

    statuses = [load_findings(i)["status"] for i in public_ids]
    conforming = sum(1 for s in statuses if s in ("conforms", "warnings"))
    assert found["dcat_conformance"]["value"] == round(100 * conforming / 3, 1)
    assert sum(b["value"] for b in found["dcat_conformance"]["breakdown"]) == 3

    assert found["datarequests_answered"]["value"] == 66.7
    assert found["datarequests_days_to_answer"]["value"] == 3.0


def test_every_indicator_is_defined_in_both_languages(portal):
    result = monitor()
    assert result["view"] == "public"
    for indicator in result["indicators"]:
        for key in ("title", "unit", "formula", "source", "update"):
            assert indicator[key]["de"] and indicator[key]["en"], (indicator["id"], key)
        assert indicator["origin"] == "portal"


def test_a_sysadmin_sees_the_same_public_view(portal):
    as_admin = helpers.call_action("sca_monitor_show", {"user": portal["sysadmin"]["name"], "ignore_auth": False})
    as_visitor = monitor()
    assert [(i["id"], i["value"]) for i in as_admin["indicators"]] == \
        [(i["id"], i["value"]) for i in as_visitor["indicators"]]
    assert by_id(as_admin)["open_datasets"]["value"] == 3


def test_the_page_shows_values_trend_and_definitions(app, portal):
    page = app.get("/atlas/monitor", status=200).get_data(as_text=True)
    assert "Smart-City-Monitor" in page
    assert 'href="#def-open_datasets"' in page and 'id="def-open_datasets"' in page
    assert "Maßnahmen in Umsetzung oder abgeschlossen" in page
    english = app.get("/en/atlas/monitor", status=200).get_data(as_text=True)
    assert "Measures running or completed" in english and "Smart-city monitor" in english
    assert app.get("/atlas/monitor", query_string={"quartale": "abc"}).status_code == 200
    assert 'href="/atlas/monitor"' in app.get("/atlas/monitoring", status=200).get_data(as_text=True)


def test_time_to_answer_counts_to_the_first_answer_not_a_later_edit(portal):
    from ckan import model

    from ckanext.smartcityatlas.datarequests import store

    late = datetime.datetime(2025, 3, 1)
    model.Session.execute(store.datarequest.update().values(updated=late))  # edited long after the answer
    model.Session.commit()
    assert by_id(monitor())["datarequests_days_to_answer"]["value"] == 3.0
