# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium at 360 px, German and English (issue 29, item 8): no
page scrolls sideways (the start page, the atlas, an actor, a project, the
dataset list, a dataset, the data requests, the network, the dashboards
with a history of many quarters, the sensor table, the login page, the 404
page, a data contact's quality dashboard); the header keeps its menu
toggler on the brand's row and the opened menu fits the screen; on /atlas
the map comes first and the filters wait in a drawer; axe-core without
serious or critical findings."""
import datetime
import json

import pytest

from ckan import model
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.monitoring import indicator_history

from tests.helpers.browser import run_node
from tests.helpers.demo import demo_atlas

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_no_page_scrolls_sideways_at_360_px(live_portal):
    demo_atlas()
    dataset = helpers.call_action("package_search", fq="+dataset_type:dataset", rows=1)["results"][0]["name"]
    today = datetime.date.today()
    for back in range(100, 1000, 100):  # nine earlier quarters: the monitor's table is wider than a phone
        indicator_history.store("open_datasets", indicator_history.quarter_of(today - datetime.timedelta(days=back)),
                                back / 100, [])
    model.Session.commit()
    contact = factories.User(image_url="")
    factories.Organization(image_url="", users=[{"name": contact["name"], "capacity": "editor"}])
    token = factories.APIToken(user=contact["name"])["token"]
    paths = ["/", "/atlas", "/actor/tu-dresden", "/project/cleema", "/dataset/", f"/dataset/{dataset}",
             "/datenwuensche", "/atlas/netzwerk", "/atlas/umwelt", "/atlas/monitor", "/atlas/sensoren",
             "/user/login", "/gibt-es-nicht", "@/dashboard/quality"]
    seen = run_node("mobile_pages.mjs", live_portal, f"token={token}", *paths)

    assert seen["errors"] == [], seen["errors"]
    too_wide = {key: page for key, page in seen["pages"].items() if page["scrollWidth"] > page["innerWidth"]}
    assert not too_wide, json.dumps(too_wide, indent=1)
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert len(seen["pages"]) == 2 * len(paths)
    # one header row: the brand gives way to the menu toggler
    off_row = {key: page["header"] for key, page in seen["pages"].items()
               if not page["header"]["togglerOnBrandRow"] or page["header"]["togglerRight"] > page["innerWidth"]}
    assert not off_row, json.dumps(off_row, indent=1)
    for lang, menu in seen["menu"].items():
        assert not menu["visibleBefore"] and menu["scrollWidth"] <= 360, menu
        assert [link["text"] for link in menu["links"]][0] == "Atlas" and len(menu["links"]) >= 4, menu
        assert all(0 <= link["left"] and link["right"] <= 360 for link in menu["links"]), menu
    for lang, atlas in seen["atlas"].items():
        assert atlas["mapTop"] < atlas["drawerTop"], atlas  # the map first
        assert not atlas["drawerOpen"] and not atlas["searchVisible"] and atlas["searchVisibleAfter"], atlas
        assert atlas["summary"] == ("Suche und Filter" if lang == "de" else "Search and filters"), atlas
