# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium (issue 29, item 11): the actor form's examples come
from the city configuration, and an area is drawn on the map, point or
polygon, with the GeoJSON field kept for keyboard users; the drawn area is
a location the portal accepts; German and English, 1366 and 360 px,
axe-core without serious or critical findings."""
import json

import pytest
from ckan.tests import factories

from ckanext.smartcityatlas.common import city_config, city_texts
from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_examples_and_drawing_an_area(live_portal, unique):
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    token = factories.APIToken(user=editor["name"])["token"]
    seen = run_node("entity_form.mjs", live_portal, token)

    assert seen["errors"] == [], seen["errors"]
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    assert set(seen["hosts"]) == {live_portal.split("//")[1]}, seen["hosts"]
    examples = city_texts.examples(city_config.current())
    for key, run in seen["runs"].items():
        assert examples["actor_title"] in run["titlePlaceholder"], run["titlePlaceholder"]
        assert json.loads(run["spatialPlaceholder"]) == json.loads(examples["point"])
        assert run["point"]["type"] == "Point", run["point"]
        assert run["areaPressed"] == "true" and run["finishDisabledAtStart"]
        area = run["area"]
        assert area["type"] == "Polygon" and len(area["coordinates"][0]) == 5, area  # four corners, closed
        assert area["coordinates"][0][0] == area["coordinates"][0][-1]
        assert run["drawn"] >= 1 and run["overflow"] <= 0, (key, run)
        assert run["latAfterTyping"] == "51.05"
        assert run["status"] == ("Die Fläche steht im Feld „Standort“." if key.startswith("de")
                                 else "The area is in the location field."), run["status"]
    # the drawn area is a location the portal takes
    saved = call("package_create", editor, **actor_data(unique, org, spatial=json.dumps(seen["runs"]["de-1366"]["area"])))
    assert json.loads(saved["spatial"])["type"] == "Polygon" and saved["sca_districts"]
