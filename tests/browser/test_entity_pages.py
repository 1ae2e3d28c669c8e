# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the entity page draws its map from local assets,
and the form's location picker works by typing and by clicking."""
import urllib.parse

import pytest

from ckan.tests import factories

from tests.helpers.browser import run_node
from tests.helpers.entities import actor_data, call

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_map_and_location_picker(live_portal, unique, tmp_path):
    # Faker's default user and organisation images are external URLs, which
    # CKAN would show; real records here upload their images.
    editor = factories.User(image_url="")
    org = factories.Organization(image_url="", users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data(unique, org))
    token = factories.APIToken(user=editor["name"])["token"]

    seen = run_node("entity_pages.mjs", live_portal, actor["name"], token, str(tmp_path))

    assert seen["errors"] == []
    assert seen["pageMarkers"] == 1  # the actor's location
    assert seen["pageOutlines"] >= 2  # city boundary and district outlines, self-hosted
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts  # nothing from a third party
    assert seen["latLabel"].startswith("Breitengrad")
    assert seen["afterTyping"] == {"type": "Point", "coordinates": [13.7383, 51.0504]}
    assert seen["afterClick"]["type"] == "Point"
    lon, lat = seen["afterClick"]["coordinates"]
    assert 13.5 < lon < 14.0 and 50.9 < lat < 51.2  # the map is centred on the city
    assert seen["latAfterClick"] == str(lat)
