# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium on the Dresden demo atlas (issue 29, item 12): /atlas
offers to suggest a new entry, moderated in the corrections' queue, links
list and map in both directions and shows the chosen entry beside the map;
axe-core without serious or critical findings."""
import json

import pytest

from tests.helpers.browser import run_node
from tests.helpers.demo import demo_atlas

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_suggest_an_entry_and_list_and_map_linked(live_portal):
    demo_atlas()
    seen = run_node("atlas_links.mjs", live_portal)

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    for lang, run in seen["runs"].items():
        assert run["markedByCard"] == 1 and run["markedAfter"] == 0, run
        assert run["suggestText"] == ("Neuen Eintrag vorschlagen" if lang == "de" else "Suggest a new entry")
        assert run["suggestChecked"] is True
        assert run["points"] == 2 and run["cardMarked"] is True, run
        href = run["detail"]["href"]
        assert run["detail"]["title"] and ("/actor/" in href or "/project/" in href), run["detail"]
