# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Dresden example radar file (the demo atlas' radar ids) harvested into
the demo atlas: it updates the demo entries and duplicates none; again it
changes nothing, and neither does loading the demo again. The monitoring
page and the project's status timeline show the result."""
import datetime

import pytest

from ckan.tests import helpers

from ckanext.smartcityatlas.demo import loader
from ckanext.smartcityatlas.demo import radar as cli

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _projects():
    found = helpers.call_action("package_search", {"ignore_auth": True}, fq="+dataset_type:project", rows=1000,
                                include_private=True)["results"]
    return found


def test_example_file_updates_the_demo_atlas_without_duplicates(app):
    assert loader.load().failed == {}
    before = _projects()
    by_radar = {p["radar_id"]: p for p in before}
    assert len(by_radar) == len(before) == 86

    source = cli.ensure_source(cli.demo_file())
    assert cli.ensure_source(cli.demo_file())["id"] == source["id"]  # idempotent
    report = cli.run(source)
    assert report["rejected"] == [] and report["counts"]["created"] == 0
    assert report["counts"]["updated"] + report["counts"]["unchanged"] == 86
    # short names ("TU Dresden") resolve through the city's aliases; partners the
    # demo itself keeps as free text stay free text
    assert report["uncertain"] == []
    free_text = sorted(x["name"] for p in before for x in p.get("partners") or [] if not x.get("actor"))
    assert sorted(u["message"].split("'")[1] for u in report["unmatched"]) == free_text
    after = _projects()
    assert len(after) == 86
    assert {p["radar_id"]: p["id"] for p in after} == {rid: p["id"] for rid, p in by_radar.items()}
    for p in after:  # what the file says equals the demo; what it does not say is kept
        old = by_radar[p["radar_id"]]
        for field in ("name", "title", "status", "status_updated", "project_kind", "part_of", "notes",
                      "record_source", "owner_org", "sdgs", "funding_programme"):
            assert (p.get(field) or None) == (old.get(field) or None), (p["radar_id"], field, p.get(field),
                                                                         old.get(field))
        assert [(x.get("actor"), x["role"]) for x in p.get("partners") or []] == \
            [(x.get("actor"), x["role"]) for x in old.get("partners") or []], p["radar_id"]

    again = cli.run(cli.ensure_source(cli.demo_file()))  # the existing source, as deploy/sca up does
    assert again["counts"]["unchanged"] == 86
    reloaded = loader.load()
    assert reloaded.updated == [] and reloaded.failed == {}

    # monitoring: the nine measures with their status from the documents
    data = helpers.call_action("sca_monitoring", {"user": "", "ignore_auth": False}, quarters=4,
                               today="2025-03-15")
    assert [q["label"] for q in data["quarters"]] == ["2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1"]
    measures = {m["name"]: m for m in data["measures"]}
    assert len(measures) == 9
    assert measures["cleema"]["status"] == "running"
    assert measures["cleema"]["quarters"][-1] == "running"
    assert measures["cleema"]["projects"] >= 0

    page = app.get("/atlas/monitoring", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    assert "Cleema" in page.body and "<caption" in page.body
    project = app.get("/project/cleema")
    assert 'id="sca-status-timeline-heading"' in project.body
    assert datetime.date.today().year >= 2025
