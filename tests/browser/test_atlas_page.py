# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the atlas page with markers and clusters, a facet
updating list and map together, a hostile title shown as text, the URL as
the state, the embed, and axe-core without serious or critical findings."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
HOSTILE = "<img src=x onerror=alert(1)>"


def test_atlas_page(live_portal, unique, tmp_path):
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    actors = [call("package_create", editor, **actor_data(
        f"{unique}-{i}", org, title=f"Energiewerkstatt {i}",
        spatial=json.dumps({"type": "Point", "coordinates": [13.70 + i * 0.004, 51.03 + (i % 5) * 0.004]})))
        for i in range(24)]
    call("package_create", editor, **actor_data(f"{unique}-h", org, title=HOSTILE, topics=["mobility"]))
    project = call("package_create", editor, **project_data(unique, org, title=f"Quartiersprojekt {unique}",
                                                             partners=[{"actor": actors[0]["id"], "role": "lead"}]))
    token = factories.APIToken(user=editor["name"])["token"]

    seen = run_node("atlas_page.mjs", live_portal, org["name"], actors[0]["name"], project["name"], token,
                    str(tmp_path))

    assert seen["errors"] == []
    assert "26" in seen["count"] and "25" in seen["status"]  # the project has no location: list 26, map 25
    assert seen["clusters"] >= 1  # nearby actors are clustered at city zoom
    facet = seen["afterFacet"]
    assert "topic=mobility" in facet["url"] and facet["listItems"] == 1 and facet["markers"] == 1
    assert "1" in facet["status"]
    assert HOSTILE in facet["listText"] and facet["listImgs"] == 0
    assert HOSTILE in seen["popup"]["text"] and seen["popup"]["imgs"] == 0
    assert seen["reload"]["checked"] is True and ": 1" in seen["reload"]["count"]
    assert "topic=" not in seen["back"]["url"] and "26" in seen["back"]["count"]
    assert "topic=mobility" in seen["forward"]["url"]
    assert seen["embed"]["csp"].startswith("frame-ancestors")
    assert seen["embed"]["cookie"] is None and seen["embed"]["editLinks"] == 0 and seen["embed"]["markers"] >= 1
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts  # nothing from a third party
