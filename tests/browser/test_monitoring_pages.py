# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: /atlas/monitoring and a measure's status timeline,
without serious axe-core findings; private measures stay hidden from visitors."""
import json
import urllib.parse

import pytest

from ckan.tests import factories, helpers

from tests.helpers.browser import run_node

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_monitoring_and_status_timeline(live_portal, unique, tmp_path):
    org = factories.Organization(image_url="")
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    measure = helpers.call_action("package_create", dict(context), type="project", name=f"massnahme-{unique}",
                                  title=f"Straßenbeleuchtung {unique}", owner_org=org["id"], project_kind="measure",
                                  status="planned", status_updated="2024-02-01")
    helpers.call_action("package_patch", dict(context), id=measure["id"], status="running",
                        status_updated="2024-11-15")
    helpers.call_action("package_create", dict(context), type="project", name=f"geheim-{unique}",
                        title=f"Geheime Maßnahme {unique}", owner_org=org["id"], project_kind="measure",
                        status="idea", private=True)

    seen = run_node("monitoring_pages.mjs", live_portal, measure["name"], str(tmp_path))

    assert seen["errors"] == []
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    assert seen["heading"].startswith("Monitoring der Umsetzungsmaßnahmen")
    assert "Geheime Maßnahme" not in json.dumps(seen)
    [row] = [r for r in seen["rowTexts"] if f"Straßenbeleuchtung {unique}" in r]
    assert "Laufend" in row and "Geplant" in row  # current status, and planned in an earlier quarter
    assert seen["quarterHeaders"] == 4 + 12
    assert [" ".join(t.split(":")[-1].split()) for t in seen["timeline"]][:2] == ["Geplant", "Laufend (aktuell)"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
