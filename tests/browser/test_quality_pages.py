# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the quality dashboard, the dataset form's
feedback next to the fields and a dataset's link check page, all without
serious axe-core findings."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.datasets import minimal_dataset
from tests.helpers.entities import call

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_dashboard_and_form_feedback(live_portal, unique, tmp_path):
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", title="Umweltamt",
                                 users=[{"name": editor["name"], "capacity": "editor"}])
    draft = call("package_create", editor, **minimal_dataset(org, unique, private=True, title="Lärmkarte"))
    call("package_create", editor, **minimal_dataset(org, unique + "b", private=True, title="Baumkataster",
                                                     theme=["ENVI"], tag_string="Bäume"))
    token = factories.APIToken(user=editor["name"])["token"]

    seen = run_node("quality_pages.mjs", live_portal, draft["name"], token, str(tmp_path))

    assert seen["errors"] == []
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    assert seen["dashboardRows"] == 2
    assert seen["dashboardFirst"].startswith("Lärmkarte")  # lowest score first
    assert "sort=-score" in seen["sortedUrl"]
    assert seen["boxItems"] >= 5 and seen["fieldHints"] >= 3
    assert seen["themeHint"].startswith("Mindestens eine Kategorie")
    assert seen["themeDescribedBy"] is True
    assert seen["linkRows"] == 1 and seen["linkHeading"].startswith("Link-Prüfung: Lärmkarte")
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
