# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium at 360 px, German and English (issue 29, item 8): no
page scrolls sideways (the start page, the atlas, an actor, a project, the
dataset list, a dataset, the data requests, the network); on /atlas the map
comes first and the filters wait in a drawer; axe-core without serious or
critical findings."""
import json

import pytest

from ckan.tests import helpers

from tests.helpers.browser import run_node
from tests.helpers.demo import demo_atlas

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_no_page_scrolls_sideways_at_360_px(live_portal):
    demo_atlas()
    dataset = helpers.call_action("package_search", fq="+dataset_type:dataset", rows=1)["results"][0]["name"]
    paths = ["/", "/atlas", "/actor/tu-dresden", "/project/cleema", "/dataset/", f"/dataset/{dataset}",
             "/datenwuensche", "/atlas/netzwerk"]
    seen = run_node("mobile_pages.mjs", live_portal, *paths)

    assert seen["errors"] == [], seen["errors"]
    too_wide = {key: page for key, page in seen["pages"].items() if page["scrollWidth"] > page["innerWidth"]}
    assert not too_wide, json.dumps(too_wide, indent=1)
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert len(seen["pages"]) == 2 * len(paths)
    for lang, atlas in seen["atlas"].items():
        assert atlas["mapTop"] < atlas["drawerTop"], atlas  # the map first
        assert not atlas["drawerOpen"] and not atlas["searchVisible"] and atlas["searchVisibleAfter"], atlas
        assert atlas["summary"] == ("Suche und Filter" if lang == "de" else "Search and filters"), atlas
