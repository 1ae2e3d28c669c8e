# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the environment dashboard on sensor datasets
harvested from the local replay, on a desktop and a 360 px phone, without
JavaScript and embedded; axe-core without serious or critical findings."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import api_boxes, harvest_replay, readings_for

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]
QUERY = "start=2024-10-27&end=2024-10-27"


def test_environment_page(app, live_portal, tmp_path):
    org = factories.Organization(name="umweltamt", title="Umweltamt", image_url="")
    boxes = api_boxes()
    harvest_replay(boxes, readings_for(boxes), org)

    seen = run_node("environment_page.mjs", live_portal, QUERY, str(tmp_path))

    assert seen["errors"] == [], json.dumps(seen, indent=1)
    for view in ("desktop", "mobile", "noScript"):
        page = seen[view]
        assert page["heading"].startswith("Luftqualität und Lärm"), page
        assert "Bürgersensoren" in page["notice"] and "keine amtlichen Messungen" in page["notice"]
        assert len(page["captions"]) == 5 and page["csvLinks"] == 5 and page["charts"] == 3
        assert any("Tage über dem EU-Tagesgrenzwert" in f for f in page["facts"])
        assert page["overflow"] <= 0, (view, page["overflow"])
    assert seen["district"]["chosen"] in seen["district"]["summary"]
    assert "district=" in seen["district"]["url"] and "start=2024-10-27" in seen["district"]["url"]
    assert seen["embed"]["heading"].startswith("Air quality and noise")
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
