# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the network view of a selection with more than
200 nodes, labels that never overlap as the browser draws them, the table
alternative, axe-core without findings, and the atlas links that carry the
selection."""
import json
import urllib.parse

import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.entities import relations
from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
WORDS = ["Energie", "Sensorik", "Institut für Stadtklima und Umweltmonitoring", "Quartier", "Daten", "Mobilität",
         "Netzwerk", "Werkstatt", "Beteiligung", "Digitaler Zwilling der Landeshauptstadt"]


def test_network_of_more_than_200_nodes(live_portal, unique, tmp_path):
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    sectors = ["science", "business", "administration", "civil_society"]
    hostile = "<img src=x onerror=window.__pwned=1>"
    actors = [call("package_create", editor, **actor_data(
        f"{unique}-{i}", org, title=hostile if i == 0 else f"{WORDS[i % len(WORDS)]} {WORDS[(i * 7) % len(WORDS)]} {i}",
        helix_sector=sectors[i % 4], actor_kind="company" if i % 4 == 1 else "research_institute"))
        for i in range(150)]
    with relations.deferred_actor_reindex():
        measures = [call("package_create", editor, **project_data(f"{unique}-m{i}", org, title=f"Maßnahme {i}",
                                                                   project_kind="measure")) for i in range(4)]
        for i in range(56):
            partners = [{"actor": actors[(i * 3 + k * 11) % 150]["id"], "role": ["lead", "partner", "funder"][k]}
                        for k in range(3)]
            call("package_create", editor, **project_data(
                f"{unique}-p{i}", org, title=f"Projekt {WORDS[i % len(WORDS)]} {i}",
                part_of=measures[i % 4]["id"], partners=partners))

    seen = run_node("network_page.mjs", live_portal, org["name"], str(tmp_path))

    assert seen["errors"] == []
    assert seen["nodes"] == 210 and seen["labels"] == 210 and seen["tableRows"] == 210
    assert seen["edges"] == 56 * 3 + 56
    # a hostile title is text in the drawing and the table, never markup
    assert seen["pwned"] is False and seen["injectedImages"] == 0
    assert hostile in seen["labelTexts"] and hostile in seen["tableText"]
    assert seen["overlaps"] == 0 and seen["textOverlaps"] == 0 and seen["textOutside"] == 0
    assert seen["svgRole"] == "img" and "210" in seen["svgTitle"] and seen["svgDesc"]
    assert seen["caption"] and seen["rowHeaders"] == 210
    assert seen["detail"] and seen["viewBoxAfterZoom"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert len(seen["carried"]) == 3 and all("entity_type=actor" in u and f"organization={org['name']}" in u
                                              for u in seen["carried"])
    assert seen["layoutMs"] < 1000, seen["layoutMs"]
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
