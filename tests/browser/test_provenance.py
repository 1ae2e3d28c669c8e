# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium (issue 30): a project harvested from another city's
atlas says "aus dem Smart City Atlas Musterstadt" on its page, with the link
to the original entry, and in the atlas map's popup; German and English,
desktop and 360 px; axe-core without serious or critical findings."""
import json

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.datasets import create
from tests.helpers.entities import ALTMARKT, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

ORIGINAL_PAGE = "https://atlas.musterstadt.example/project/waermenetz-altstadt"


def test_the_provenance_on_the_page_and_in_the_popup(live_portal, unique):
    org = factories.Organization(image_url="", title="Smart City Musterstadt")
    project = create(project_data(
        unique, org, title="Wärmenetz Altstadt", spatial=json.dumps(ALTMARKT), location_source="coordinates",
        sca_source_atlas="Smart City Atlas Musterstadt", sca_source_city="Musterstadt",
        sca_source_page=ORIGINAL_PAGE, sca_original_uri="https://atlas.musterstadt.example/project/0b6e"))
    seen = run_node("provenance.mjs", live_portal, project["name"])

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert len(seen["runs"]) == 4
    for key, run in seen["runs"].items():
        city = "aus dem Smart City Atlas Musterstadt" if key.startswith("de") else "from the Smart City Atlas Musterstadt"
        assert run["pageText"].startswith(city) and run["pageVisible"], run
        assert run["originalHref"] == ORIGINAL_PAGE
        assert run["pageScrollsSideways"] is False, key
        assert run["popupText"] == city, run
        assert run["detailText"] in (city, None), run  # the detail beside the map (not shown at 360 px)
