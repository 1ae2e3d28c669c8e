# SPDX-License-Identifier: AGPL-3.0-or-later
"""An editor creates a DCAT-AP.de dataset through the web form; its location
is indexed for the map search; the form offers the dcat-ap.de licences."""
import json

import pytest

from ckan.tests import factories, helpers

from tests.helpers.forms import csrf
from tests.helpers.datasets import DRESDEN_AREA

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def test_editor_creates_dataset_through_form(app, unique):
    editor = factories.User(name=f"dcat-editor-{unique}", email=f"dcat-editor-{unique}@example.org")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    form = app.get("/dataset/new", headers=headers)
    assert form.status_code == 200
    for text in ("Datenlizenz Deutschland Namensnennung 2.0", "Kategorien", "Umwelt", "Beteiligte Stellen"):
        assert text in form.body, text
    data = {"_csrf_token": csrf(form.body), "_ckan_phase": "dataset_new_1", "pkg_name": "", "save": "",
            "title": f"Baumkataster {unique}", "name": f"baeume-{unique}", "notes": "Alle Stadtbäume.",
            # an editor saves a draft; publishing needs the office's admin
            "owner_org": org["id"], "private": "True", "license_id": "dl-by-de/2.0", "theme": ["ENVI", "REGI"],
            "frequency": "ANNUAL", "language": "DEU", "contact_email": "opendata@example.org",
            "spatial": json.dumps(DRESDEN_AREA)}
    stage1 = app.post("/dataset/new", data=data, headers=headers, follow_redirects=False)
    assert stage1.status_code == 302, stage1.body[:3000]
    resource_form = app.get(stage1.headers["Location"], headers=headers)
    finish = app.post(f"/dataset/baeume-{unique}/resource/new", headers=headers, follow_redirects=False,
                      data={"_csrf_token": csrf(resource_form.body), "save": "go-metadata", "id": "",
                            "url": "https://example.org/baeume.csv", "format": "CSV", "name": "Bäume"})
    assert finish.status_code == 302, finish.body[:3000]
    pkg = helpers.call_action("package_show", id=f"baeume-{unique}")
    assert pkg["theme"] == ["ENVI", "REGI"] and pkg["license_id"] == "dl-by-de/2.0"
    assert pkg["private"] is True
    found = helpers.call_action("package_search", fq=f"name:baeume-{unique}", include_private=True,
                                extras={"ext_bbox": "13.70,51.00,13.80,51.10"})
    assert found["count"] == 1
    outside = helpers.call_action("package_search", fq=f"name:baeume-{unique}", include_private=True,
                                  extras={"ext_bbox": "12.30,51.30,12.40,51.40"})
    assert outside["count"] == 0
