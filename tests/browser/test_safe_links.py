# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: addresses that are no web addresses stay text in
everything our scripts build from data (atlas popups, sensor popups, the
network view's detail), and the script's rule (assets/js/safe-link.js)
agrees with the templates' (web_address.safe_href)."""
import json
import re

import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.common import web_address
from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call, project_data
from tests.helpers.hostile import HOSTILE_ADDRESSES as HOSTILE

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]
GOOD = "https://example.org/ok"


def test_scripts_link_web_addresses_only(live_portal, unique):
    editor = factories.User()
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    actors = [call("package_create", editor, **actor_data(f"{unique}-{i}", org)) for i in range(2)]
    call("package_create", editor, **project_data(unique, org, partners=[
        {"actor": a["id"], "role": "partner"} for a in actors]))

    seen = run_node("safe_links.mjs", live_portal, org["name"], json.dumps(HOSTILE))

    assert seen["errors"] == []
    values = HOSTILE + [GOOD]
    extra = ["/actor/x", "https:evil.example", " \x01javascript:alert(1)"]
    # the same answers as the templates' rule
    assert seen["rule"]["hrefs"] == [web_address.safe_href(v) for v in values + extra]
    assert seen["rule"]["hrefs"][:len(HOSTILE)] == [None] * len(HOSTILE)
    assert seen["rule"]["mailto"] == ["mailto:stelle@example.org", None]
    assert [tag for tag, _text in seen["rule"]["nodes"][:len(values)]] == ["SPAN"] * len(HOSTILE) + ["A"]
    assert [text for _tag, text in seen["rule"]["nodes"][:len(values)]] == values

    assert len(seen["atlas"]) == len(values) and len(seen["sensors"]) == len(values)
    assert seen["networkPatched"] and len(seen["network"]) == 3
    for popup in seen["atlas"] + seen["sensors"] + seen["network"]:
        assert popup["bad"] == [], popup
    # the entries' names stay, as text where the address is no web address
    # (markers are clicked in the order the map draws them)
    for popups, name in ((seen["atlas"], "Eintrag"), (seen["sensors"], "Datensatz")):
        shown = {}
        for popup in popups:
            i = int(re.search(rf"{name} (\d+)", popup["text"]).group(1))
            shown[i] = popup["hrefs"]
        assert shown == {i: [GOOD] if value == GOOD else [] for i, value in enumerate(values)}
    # the three nodes got hostile addresses: their names are text; only the link into the table stays
    for popup in seen["network"]:
        assert [h for h in popup["hrefs"] if not h.startswith("#sca-node-")] == []
        assert re.search(r"(Akteur|Projekt) " + unique, popup["text"])
