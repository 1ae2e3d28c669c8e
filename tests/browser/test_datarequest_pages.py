# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: an anonymous visitor asks for data; the form, its
errors, the thanks page, the list and the request's page without serious
axe-core findings."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_request_data_as_an_anonymous_visitor(live_portal):
    factories.Organization(image_url="", title="Amt für Kultur und Denkmalschutz")
    seen = run_node("datarequest_pages.mjs", live_portal)

    assert seen["errors"] == [], seen
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    assert seen["honeypotTabindex"] == "-1" and seen["honeypotOffscreen"] is True  # out of reach for people
    assert any("welche Daten" in text for text in seen["errorTexts"]), seen["errorTexts"]
    assert seen["thanks"].startswith("Ihr Datenwunsch ist eingegangen")
    assert seen["requestTitle"] == "Öffnungszeiten der Bibliotheken"
    assert seen["answerForm"] == 0  # the public sees no answer form
    assert seen["listed"] >= 1
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
