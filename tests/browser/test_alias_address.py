# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the portal under an alias of its site URL (site URL
http://localhost:…, opened as http://127.0.0.1:…) shows the atlas' markers
and keeps a login (issue 29, item 2)."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_alias_of_the_site_url(alias_portal, unique):
    password = f"Pass-{unique}-word"
    editor = factories.User(image_url="", password=password)
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    for i in range(3):
        call("package_create", editor, **actor_data(f"{unique}-{i}", org, spatial=json.dumps(
            {"type": "Point", "coordinates": [13.70 + i * 0.03, 51.05]})))

    seen = run_node("alias_address.mjs", alias_portal, org["name"], editor["name"], password)

    assert seen["errors"] == [], seen["errors"]
    for key in ("map", "mapEn", "mapLocalhost"):
        assert seen[key]["markers"] == 3 and "3" in seen[key]["status"], (key, seen[key])
    # the pages opened as 127.0.0.1 asked 127.0.0.1 only (no cross-origin
    # translations, no redirect to the site URL's host), those opened as localhost localhost
    assert {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")} == {"127.0.0.1"}
    assert {urllib.parse.urlsplit(u).hostname for u in seen["localhostRequests"] if u.startswith("http")} == {"localhost"}
    assert seen["failed"] == [], seen["failed"]
    login = seen["afterLogin"]
    assert login["url"].startswith(alias_portal) and login["loggedIn"], login
    assert seen["nextPageLoggedIn"]
