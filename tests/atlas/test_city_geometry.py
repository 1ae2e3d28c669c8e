# SPDX-License-Identifier: AGPL-3.0-or-later
"""The self-hosted base layer: boundary and districts as cacheable GeoJSON,
and entity pages that load their map code from the portal itself."""
import json
import re

import pytest

from tests.helpers.entities import actor_data, call
from ckan.tests import factories

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_boundary_and_districts(app):
    boundary = app.get("/atlas/city/boundary.geojson")
    assert boundary.headers["Content-Type"].startswith("application/geo+json")
    assert boundary.json["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    districts = app.get("/atlas/city/districts.geojson")
    features = districts.json["features"]
    assert len(features) == 64
    assert {"id": "35", "name": "Weixdorf", "group_type": "ortschaft", "group": "Weixdorf"} in [f["properties"] for f in features]
    assert len(districts.body) < 600_000  # simplified from 1.9 MB
    etag = districts.headers["ETag"]
    assert app.get("/atlas/city/districts.geojson", headers={"If-None-Match": etag}).status_code == 304


def test_entity_page_map_uses_only_local_assets(app, unique):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data(unique, org))
    html = app.get(f"/actor/{actor['name']}").body
    assert 'data-module="sca-entity-map"' in html
    assert re.search(r'/webassets/smartcityatlas/[^"]*entity_map\.js', html)
    sources = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    external = [s for s in sources if not s.startswith("http://localhost")]
    # only ordinary links may point elsewhere; no script or stylesheet does
    assert not [s for s in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
                if not s.startswith("http://localhost")], external
    geojson = json.loads(re.search(r'data-module-geojson="([^"]+)"', html).group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert geojson["type"] == "Point"
