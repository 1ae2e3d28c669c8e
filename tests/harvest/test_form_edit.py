# SPDX-License-Identifier: AGPL-3.0-or-later
"""A curator edits a harvested dataset in the web form: the provenance
fields (not in the form) survive, and the edit is the curator's."""
import pytest

from ckan.tests import factories, helpers

from tests.helpers.forms import csrf
from tests.helpers.harvest import create_source, harvested, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def test_form_edit_keeps_provenance_and_is_curated(app, server, harvest_org):
    server.add("/c.ttl", body=page(record("a", identifier="urn:x:a")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    run_job(source)
    [dataset] = harvested(source["id"])
    admin = factories.Sysadmin()
    headers = {"Authorization": factories.APIToken(user=admin["name"])["token"]}
    form = app.get(f"/dataset/edit/{dataset['name']}", headers=headers, status=200)
    data = {"_csrf_token": csrf(form.body), "save": "", "pkg_name": dataset["name"],
            "name": dataset["name"], "title": "Von Hand verbessert", "notes": dataset["notes"],
            "owner_org": dataset["owner_org"], "license_id": dataset["license_id"]}
    response = app.post(f"/dataset/edit/{dataset['name']}", data=data, headers=headers,
                        follow_redirects=False)
    assert response.status_code == 302, response.body[:2000]
    edited = helpers.call_action("package_show", id=dataset["id"])
    assert edited["title"] == "Von Hand verbessert"
    for field in ("sca_harvest_source", "sca_original_identifier", "sca_original_uri", "sca_harvested_at"):
        assert edited[field] == dataset[field], field
    server.add("/c.ttl", body=page(record("a", identifier="urn:x:a", title="Neu")))
    report = run_job(source)
    assert report["stats"]["updated"] == 1
    assert helpers.call_action("package_show", id=dataset["id"])["title"] == "Von Hand verbessert"
