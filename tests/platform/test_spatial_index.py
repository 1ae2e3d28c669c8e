# SPDX-License-Identifier: AGPL-3.0-or-later
"""Locations are indexed as geometries (spatial_geom, JTS) from the start."""
import json

import pytest

from ckan.lib.search.common import make_connection
from ckan.tests import factories, helpers

# The default CKAN schema keeps free extras, so `spatial` can be set here
# before the entity schemas exist.
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity spatial_metadata spatial_query smartcityatlas"),
    pytest.mark.usefixtures("with_plugins"),
]

# Großer Garten, Dresden (rough outline), and a point in the Neustadt.
PARK = {"type": "Polygon", "coordinates": [[[13.75, 51.03], [13.79, 51.03], [13.79, 51.045], [13.75, 51.045], [13.75, 51.03]]]}
NEUSTADT = {"type": "MultiPoint", "coordinates": [[13.745, 51.065], [13.75, 51.07]]}


def _create(context, name, geometry):
    org = factories.Organization()
    return helpers.call_action(
        "package_create", context=dict(context), name=name, owner_org=org["id"],
        extras=[{"key": "spatial", "value": json.dumps(geometry)}],
    )


def test_polygon_and_multipoint_are_indexed_as_geometries(unique, sysadmin_context):
    park = _create(sysadmin_context, f"park-{unique}", PARK)
    neustadt = _create(sysadmin_context, f"neustadt-{unique}", NEUSTADT)

    docs = make_connection().search(
        q=f'id:("{park["id"]}" OR "{neustadt["id"]}")', fl="id,spatial_geom")
    geoms = {d["id"]: d["spatial_geom"] for d in docs}
    assert geoms[park["id"]][0].startswith("POLYGON")
    assert geoms[neustadt["id"]][0].startswith("MULTIPOINT")

    # A bbox inside the park (not touching its corners) finds the polygon
    # only: a bbox-of-points index would not distinguish this.
    inside = helpers.call_action(
        "package_search", q=f"name:*{unique}", extras={"ext_bbox": "13.76,51.035,13.77,51.04"})
    assert [d["name"] for d in inside["results"]] == [f"park-{unique}"]

    north = helpers.call_action(
        "package_search", q=f"name:*{unique}", extras={"ext_bbox": "13.74,51.06,13.76,51.08"})
    assert [d["name"] for d in north["results"]] == [f"neustadt-{unique}"]
