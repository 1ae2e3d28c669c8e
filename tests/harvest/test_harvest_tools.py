# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckanext-harvest's own tools with our sources: ``harvest_source_show``
through the API, ``ckan harvester run-test`` and the source edit form, also
after a job ran (ckanext-harvest reindexes the source when a job ends, and
``package_show`` answers from that index entry)."""
import json

import pytest

from ckan.tests import factories, helpers

from tests.helpers.forms import fields
from tests.helpers.harvest import create_source, harvested, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

CONFIG = {"max_pages": 7, "priority": 3}


def _shown(app, source_id, user=None):
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    answer = app.get(f"/api/3/action/harvest_source_show?id={source_id}", headers=headers, status=200)
    return answer.json["result"]


def test_harvest_source_show_through_the_api_after_a_job(app, server, harvest_org):
    server.add("/c.ttl", body=page(record("a", identifier="urn:x:a")))
    source = create_source(server.url("/c.ttl"), harvest_org, config=CONFIG, frequency="WEEKLY")
    run_job(source)
    for user in (factories.Sysadmin(), None):
        shown = _shown(app, source["id"], user)
        assert shown["source_type"] == "sca_dcat_rdf", sorted(shown)
        assert shown["frequency"] == "WEEKLY"
        assert json.loads(shown["config"]) == CONFIG
        assert shown["url"] == server.url("/c.ttl")
        assert "extras" not in shown  # the source's own fields, not the raw extras
    listed = helpers.call_action("package_search", fq="dataset_type:harvest", include_private=True)
    assert [s["source_type"] for s in listed["results"]] == ["sca_dcat_rdf"]


def test_run_test_harvests_a_source_again_and_again(cli, server, harvest_org):
    from ckan.cli.cli import ckan

    server.add("/c.ttl", body=page(record("a", identifier="urn:x:a"), record("b", identifier="urn:x:b")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    for _ in range(2):  # the second run reads the source as the first run's end indexed it
        result = cli.invoke(ckan, ["harvester", "run-test", source["name"]])
        assert result.exit_code == 0, (result.output, result.exception)
    assert len(harvested(source["id"])) == 2
    jobs = helpers.call_action("harvest_job_list", {"ignore_auth": True}, source_id=source["id"])
    assert [j["status"] for j in jobs] == ["Finished", "Finished"]
    assert sum(j["stats"].get("added", 0) for j in jobs) == 2


def test_source_edit_form_shows_and_keeps_type_frequency_and_config(app, server, harvest_org):
    server.add("/api/3/action/package_search", status=503, body="", content_type="text/plain")
    config = {"rows": 50, "incremental": False}
    source = create_source(server.url(""), harvest_org, config=config, source_type="sca_ckan",
                           frequency="WEEKLY", name="portal")
    run_job(source)  # the portal is down: a job that ends all the same
    admin = factories.Sysadmin()
    headers = {"Authorization": factories.APIToken(user=admin["name"])["token"]}
    form = app.get("/en/harvest/edit/portal", headers=headers, status=200)
    data = fields(form.body, "source-new")
    assert data["source_type"] == "sca_ckan"
    assert data["frequency"] == "WEEKLY"
    assert json.loads(data["config"]) == config
    # the form saved unchanged keeps what it showed
    answer = app.post("/en/harvest/edit/portal", data={**data, "save": ""}, headers=headers,
                      follow_redirects=False)
    assert answer.status_code == 302, answer.body[:3000]
    stored = helpers.call_action("harvest_source_show", {"ignore_auth": True, "use_cache": False}, id="portal")
    assert (stored["source_type"], stored["frequency"]) == ("sca_ckan", "WEEKLY")
    assert json.loads(stored["config"]) == config
    # and a change made in the form is saved
    changed = {**data, "save": "", "frequency": "DAILY", "config": json.dumps({"rows": 20})}
    answer = app.post("/en/harvest/edit/portal", data=changed, headers=headers, follow_redirects=False)
    assert answer.status_code == 302, answer.body[:3000]
    shown = _shown(app, source["id"], admin)
    assert (shown["source_type"], shown["frequency"], json.loads(shown["config"])) == \
        ("sca_ckan", "DAILY", {"rows": 20})
