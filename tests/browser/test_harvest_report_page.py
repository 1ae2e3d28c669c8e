# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: a harvest job's report for data contacts, reached
from ckanext-harvest's job page, in German and English, without serious
axe-core findings (WCAG 2.1 A/AA)."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.harvest import create_source, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("with_plugins"), ALLOW_LOCAL]


def test_report_page(live_portal, server, unique):
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    server.add("/c.ttl", body=page(record("a", identifier=f"urn:{unique}:a"),
                                   record("b", identifier=f"urn:{unique}:b", licence="unbekannt")))
    source = create_source(server.url("/c.ttl"), org, name=f"quelle-{unique}")
    report = run_job(source)
    token = factories.APIToken(user=editor["name"])["token"]

    seen = run_node("harvest_report_page.mjs", live_portal, source["name"], report["job_id"], token)

    assert seen["errors"] == []
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    de, en = seen["pages"]["de"], seen["pages"]["en"]
    assert de["url"] == f"/de/harvest/{source['name']}/job/{report['job_id']}/report" and de["lang"] == "de"
    assert de["h1"] == ["Harvest-Bericht für Datenverantwortliche"]
    assert en["h1"] == ["Harvest report for data contacts"]
    assert en["h2"] == ["Summary", "Problems by kind", "What the publisher should fix upstream"]
    assert all(en["captions"]) and len(en["captions"]) == 2
    assert en["headerCellsWithoutScope"] == de["headerCellsWithoutScope"] == 0
    assert en["groupRows"] >= 1 and en["fixes"] >= 1
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
