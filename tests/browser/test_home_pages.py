# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium on the Dresden demo atlas, German and English, 1366
and 360 px (issue 29, item 1): a start page that presents the city's atlas,
"Atlas" first in the navigation, the city's name and colour in the header
(a text mark: Dresden's folder has no logo), a real /about; axe-core without
serious or critical findings."""
import json

import pytest

from ckanext.smartcityatlas.common import city_brand, city_config
from tests.helpers.browser import run_node
from tests.helpers.demo import demo_atlas

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


def test_start_and_about_pages(live_portal):
    demo_atlas()
    seen = run_node("home_pages.mjs", live_portal)

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert set(seen["hosts"]) == {live_portal.split("//")[1]}, seen["hosts"]  # nothing from third parties
    colour = _rgb(city_brand.colour(city_config.current()))
    for key, run in seen["runs"].items():
        german = key.startswith("de")
        prefix = "" if german else "/en"
        home = run["home"]
        assert home["title"] == "Smart City Atlas Dresden" and home["h1s"] == 1, home["title"]
        for placeholder in ("Willkommen", "Welcome to CKAN", "420 x 220", "Popular tags", "Beliebte Tags"):
            assert placeholder not in home["body"], (key, placeholder)
        assert home["tagLinks"] == 0  # no "popular tags"
        assert ("Akteure" if german else "actors") in home["lead"], home["lead"]
        numbers = [int(item.split()[0]) for item in home["counts"]]
        assert len(numbers) == 3 and all(n > 0 for n in numbers), home["counts"]
        assert home["newest"] == 5
        assert home["mapPoints"] > 20 and home["mapLink"] == f"{prefix}/atlas"
        assert f"{prefix}/atlas/sensoren" in home["links"] and f"{prefix}/datenwuensche" in home["links"], home["links"]
        for page in (home, run["about"]):
            assert page["firstNav"] == {"text": "Atlas", "href": f"{prefix}/atlas"}, page["firstNav"]
            assert page["images"] == [] and page["textMark"] == "D Smart City Atlas Dresden", page
            assert page["background"] == colour, page["background"]
            assert page["overflow"] <= 0, (key, page["overflow"])
        about = run["about"]
        assert about["title"] == ("Über den Smart City Atlas Dresden" if german
                                  else "About the Smart City Atlas Dresden"), about["title"]
        assert "Landeshauptstadt Dresden" in about["text"]
        assert f"{prefix}/impressum" in about["links"] and f"{prefix}/datenschutz" in about["links"], about["links"]
        assert any(link.endswith("/atlas/openapi.json") for link in about["links"]), about["links"]
        if "atlasSearch" in run:
            assert f"{prefix}/atlas?q=Energie" in run["atlasSearch"], run["atlasSearch"]
            assert f"{prefix}/dataset/?q=Energie" in run["datasetSearch"], run["datasetSearch"]
