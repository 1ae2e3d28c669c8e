# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium (issue 30, item 3): a curator of the harvesting
office splits a harvested copy off the actor it was matched with, from the
actor's page, by keyboard and with a confirming step, sees the message and
the shorter list, and merges it again with "Same actor as…"; axe-core
without serious or critical findings on each state."""
import json

import pytest
import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.common.caller import site_context
from tests.helpers.browser import run_node
from tests.helpers.datasets import create
from tests.helpers.entities import actor_data

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

PASSWORD = "Atlas-Passwort-2026"


def test_a_curator_splits_a_shared_actor_and_merges_it_again(live_portal, unique):
    dresden = factories.Organization(image_url="", title="Amt für Wirtschaftsförderung")
    office = factories.Organization(image_url="", title="Harvesting-Amt")
    curator = factories.User(name=f"kurator-{unique}", email=f"kurator-{unique}@example.org", password=PASSWORD,
                             image_url="")
    tk.get_action("organization_member_create")(site_context(), {
        "id": office["id"], "username": curator["name"], "role": "editor"})
    actor = create(actor_data(f"ivi-{unique}", dresden, title="Fraunhofer IVI", url="https://ivi.example"))
    # as the harvest writes a matched copy (the site user; tests/harvest for the harvest itself)
    copy = tk.get_action("package_create")(site_context(), actor_data(
        f"ivi-ms-{unique}", office, title="Fraunhofer IVI, Außenstelle Musterstadt", private=True,
        url="https://ivi.example/musterstadt", sca_harvest_source="musterstadt-source",
        sca_source_atlas="Smart City Atlas Musterstadt", sca_source_city="Musterstadt",
        sca_source_page="https://atlas.musterstadt.example/actor/ivi",
        sca_original_uri="https://atlas.musterstadt.example/actor/0b6e",
        sca_same_as=actor["id"], sca_same_as_rule="website domain: ivi.example"))

    seen = run_node("shared_actor_curation.mjs", live_portal, curator["name"], PASSWORD, actor["name"], copy["name"])

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert seen["copiesBefore"] == 1 and seen["confirmVisibleBefore"] is False
    assert seen["confirmVisible"] and seen["confirmText"] == "Eintrag aus Musterstadt abspalten", seen
    assert "nie wieder" in seen["helpText"]
    assert seen["afterSplitPath"] == f"/actor/{actor['name']}"
    assert "ist jetzt ein Akteur für sich" in seen["flash"] and seen["copiesAfter"] == 0, seen
    assert seen["mergeLabel"] == "Derselbe Akteur wie" and seen["actorTitle"] == "Fraunhofer IVI"
    assert seen["afterMergePath"] == f"/actor/{actor['name']}", seen
    assert "derselbe Akteur wie" in seen["mergeFlash"] and seen["copiesAfterMerge"] == 1, seen
