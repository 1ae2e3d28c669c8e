# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium (issue 29, item 3): a base map from the city's own
geodata service, set in city.yaml ``base_map`` (here a local tile server:
there is no internet), under the atlas, the start page's preview and an
entry's map, with its attribution; only the configured host is asked; when
it cannot be reached, the self-hosted outlines remain."""
import base64
import json

import pytest

from tests.helpers.browser import run_node
from tests.helpers.demo import demo_atlas

pytestmark = [pytest.mark.usefixtures("with_plugins")]
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def _tile(req, route):
    req.send_response(200)
    req.send_header("Content-Type", "image/png")
    req.send_header("Content-Length", str(len(PNG)))
    req.end_headers()
    req.wfile.write(PNG)


def test_the_citys_base_map_and_nothing_else(base_map_portal, tile_server):
    demo_atlas()
    tiles = tile_server.add_prefix("/tiles/", _tile)
    seen = run_node("base_map.mjs", base_map_portal, "tu-dresden")

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    portal_host = base_map_portal.split("//")[1]
    assert set(seen["hosts"]) == {portal_host, f"127.0.0.1:{tile_server.port}"}, seen["hosts"]
    assert tiles.hits >= 3
    for name, page in seen["pages"].items():
        assert page["tiles"] >= 1 and page["outlines"] >= 2, (name, page)
        assert page["attribution"] == "Kartengrundlage: Städtisches Vermessungsamt", (name, page)
    down = seen["down"]
    assert down["tiles"] == 0 and down["outlines"] > 10 and "Karte" in down["status"], down
