# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_match in a regional atlas: partners for a project anywhere in the
region, each with its city and its distance from the project's place or
area explained; ``same_city`` keeps to the project's own city."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.helpers.entities import ALTMARKT, actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_index")]
MUSTERSTADT = "Musterstadt an der Elbe"
M_POINT = {"type": "Point", "coordinates": [13.4720, 51.1610]}     # Musterstadt, its Altstadt
NEAR = {"type": "Point", "coordinates": [13.7450, 51.0530]}         # 0.5 km from the Altmarkt
# an area around the Altmarkt whose nearest edge is about 1 km west of NEAR
AREA = {"type": "Polygon", "coordinates": [[[13.70, 51.04], [13.73, 51.04], [13.73, 51.06],
                                            [13.70, 51.06], [13.70, 51.04]]]}


@pytest.fixture
def two_cities(region, unique):
    marker = "".join(chr(ord("k") + int(c, 16)) for c in unique) + "wort"
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    harvest_org = factories.Organization()
    sysadmin = factories.Sysadmin()
    text = f"Forschung zu Wasserstoff und Brennstoffzellen für Busse {marker}."
    local = call("package_create", editor, **actor_data(
        f"dd-{unique}", org, title=f"Institut Dresden {unique}", notes=text, topics=["mobility"],
        spatial=json.dumps(NEAR)))
    # Musterstadt's own actor, harvested from its atlas (provenance as sca_atlas writes it)
    remote = call("package_create", sysadmin, **actor_data(
        f"ms-{unique}", harvest_org, title=f"Institut Musterstadt {unique}", notes=text, topics=["mobility"],
        spatial=json.dumps(M_POINT), sca_source_city=MUSTERSTADT,
        sca_source_atlas=f"Smart City Atlas {MUSTERSTADT}", sca_source_page="https://atlas.musterstadt.example/a/1"))
    project = call("package_create", editor, **project_data(
        f"bus-{unique}", org, title=f"Wasserstoffbusse {unique}", topics=["mobility"],
        notes=f"Busse mit Brennstoffzellen und Wasserstoff {marker}.", spatial=json.dumps(ALTMARKT)))
    return {"local": local, "remote": remote, "project": project, "editor": editor, "org": org}


def _by_id(result):
    return {r["id"]: r for r in result["results"]}


def test_partners_anywhere_in_the_region_with_city_and_distance(two_cities):
    found = _by_id(call("sca_match", None, project_id=two_cities["project"]["id"], limit=50))
    local, remote = found[two_cities["local"]["id"]], found[two_cities["remote"]["id"]]
    assert (local["city"], remote["city"]) == ("Dresden", MUSTERSTADT)
    assert 0.3 < local["distance_km"] < 0.8
    assert 20 < remote["distance_km"] < 25
    # the near one's distance counts, and its explanation names km and city
    distance = next(e for e in local["explanation"] if e["kind"] == "distance")
    assert "km" in distance["detail"] and "Dresden" in distance["detail"]
    # beyond the distance limit (15 km) distance adds nothing, yet the result says where the partner is
    assert "distance" not in {e["kind"] for e in remote["explanation"]}
    assert MUSTERSTADT in remote["where"] and str(remote["distance_km"]).split(".")[0] in remote["where"]
    assert local["score"] > remote["score"]
    assert abs(sum(e["weight"] for e in remote["explanation"]) - remote["score"]) <= 0.001


def test_same_city_keeps_to_the_projects_city(two_cities):
    found = _by_id(call("sca_match", None, project_id=two_cities["project"]["id"], same_city=True, limit=50))
    assert two_cities["local"]["id"] in found and two_cities["remote"]["id"] not in found
    assert {r["city"] for r in found.values()} == {"Dresden"}
    # for Musterstadt's actor its own city is Musterstadt: Dresden's actor is left out
    of_remote = _by_id(call("sca_match", None, actor_id=two_cities["remote"]["id"], same_city="true", limit=50))
    assert two_cities["local"]["id"] not in of_remote
    with pytest.raises(tk.ValidationError) as error:
        call("sca_match", None, project_id=two_cities["project"]["id"], same_city="vielleicht")
    assert "same_city" in error.value.error_dict


def test_distance_is_measured_from_the_projects_area(two_cities, unique):
    area_project = call("package_create", two_cities["editor"], **project_data(
        f"area-{unique}", two_cities["org"], title=f"Wasserstoffquartier {unique}", topics=["mobility"],
        notes=two_cities["project"]["notes"], spatial=json.dumps(AREA)))
    found = _by_id(call("sca_match", None, project_id=area_project["id"], limit=50))
    # NEAR lies about 1 km east of the area's edge (the area's inner point is further away)
    assert 0.8 < found[two_cities["local"]["id"]]["distance_km"] < 1.4


def test_the_partner_page_offers_the_same_city_and_says_where(app, two_cities):
    page = app.get("/atlas/partner", query_string={"project_id": two_cities["project"]["id"]}).get_data(as_text=True)
    assert 'name="same_city"' in page and MUSTERSTADT in page
    only = app.get("/atlas/partner", query_string={"project_id": two_cities["project"]["id"],
                                                   "same_city": "true"}).get_data(as_text=True)
    assert "Institut Musterstadt" not in only and "Institut Dresden" in only


def test_one_citys_atlas_names_no_city_for_its_own_entries(unique):
    """Without a region and without harvested entries the explanation reads as before."""
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    near = call("package_create", editor, **actor_data(f"dd-{unique}", org, topics=["mobility"],
                                                        spatial=json.dumps(NEAR)))
    project = call("package_create", editor, **project_data(f"p-{unique}", org, topics=["mobility"],
                                                            spatial=json.dumps(ALTMARKT)))
    found = _by_id(call("sca_match", None, project_id=project["id"], limit=50))[near["id"]]
    distance = next(e for e in found["explanation"] if e["kind"] == "distance")
    assert "Dresden" not in distance["detail"] and "Dresden" not in found["where"]
    assert found["city"] == "Dresden" and 0.3 < found["distance_km"] < 0.8
