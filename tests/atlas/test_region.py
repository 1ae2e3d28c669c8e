# SPDX-License-Identifier: AGPL-3.0-or-later
"""A regional atlas by configuration (docs/city.md, "A region"): the demo
region (Dresden and the invented Musterstadt an der Elbe) shows both cities'
outlines and districts, keeps each city's districts apart in the records,
facets and the district filter, gives a harvested record its source city's
districts and judges "city-wide" per city."""
import json

import pytest
import yaml
from shapely.geometry import Point

from ckan.tests import factories

from ckanext.smartcityatlas.common import city_config
from tests.helpers.entities import ALTMARKT, actor_data, call, project_data
from tests.helpers.local_server import ALLOW_LOCAL

MUSTERSTADT = "Musterstadt an der Elbe"
# in Musterstadt's districts Altstadt (south-west) and Weinberg (north-east)
M_ALTSTADT = {"type": "Point", "coordinates": [13.4720, 51.1610]}
M_WEINBERG = {"type": "Point", "coordinates": [13.4810, 51.1700]}


def _load(region_folder):
    home = city_config.load(city_config.BUILTIN / "dresden")
    return city_config.load_region(region_folder, home)


def test_a_region_folder_joins_its_member_cities():
    city = _load(city_config.BUILTIN / "dresden-region-demo")
    assert [m.settings["title"] for m in city.members] == ["Dresden", MUSTERSTADT]
    assert city.settings["title"] == "Dresden"  # the atlas stays the city's
    assert len(city.districts) == 64 + 4
    (district,) = city.districts_of(Point(*M_ALTSTADT["coordinates"]))
    assert (district.id, district.name, district.city, district.short_name) == \
        ("musterstadt-elbe:01", f"Altstadt ({MUSTERSTADT})", MUSTERSTADT, "Altstadt")
    (dresden,) = city.districts_of(Point(*ALTMARKT["coordinates"]))
    assert dresden.city == "Dresden" and dresden.name == "Innere Altstadt (Dresden)"
    assert dresden.group == "Altstadt (Dresden)" and dresden.id.startswith("dresden:")
    # the region's outline is the union of its members'
    assert city.contains(Point(*M_WEINBERG["coordinates"])) and city.contains(Point(*ALTMARKT["coordinates"]))
    assert not city.contains(Point(13.2, 51.3))


def test_a_member_named_twice_or_missing_is_a_clear_error(tmp_path):
    (tmp_path / "region.yaml").write_text(yaml.safe_dump({"title": "R", "members": ["dresden", "./nirgends"]}))
    with pytest.raises(ValueError, match="no city.yaml in .*nirgends"):
        _load(tmp_path)
    (tmp_path / "region.yaml").write_text(yaml.safe_dump({
        "title": "R", "members": ["musterstadt-elbe", str(city_config.BUILTIN / "musterstadt-elbe")]}))
    with pytest.raises(ValueError, match="two members with the same name"):
        _load(tmp_path)
    with pytest.raises(ValueError, match="ckanext.smartcityatlas.region: no region.yaml"):
        city_config.region_folder_for(str(tmp_path / "leer"))


@pytest.mark.usefixtures("with_plugins", "region")
def test_the_map_shows_every_member_city_and_its_districts(app):
    boundary = app.get("/atlas/city/boundary.geojson").json["features"]
    assert [f["properties"]["name"] for f in boundary] == ["Dresden", MUSTERSTADT]
    districts = [f["properties"] for f in app.get("/atlas/city/districts.geojson").json["features"]]
    assert len(districts) == 68
    assert {"id": "musterstadt-elbe:04", "name": f"Weinberg ({MUSTERSTADT})", "group_type": "", "group": "",
            "city": MUSTERSTADT} in districts
    assert {"id": "dresden:35", "name": "Weixdorf (Dresden)", "group_type": "ortschaft",
            "group": "Weixdorf (Dresden)", "city": "Dresden"} in districts


@pytest.mark.usefixtures("with_plugins", "clean_index", "region")
def test_districts_stay_with_their_city_in_records_facets_and_the_filter(app, unique):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    local = call("package_create", editor, **actor_data(f"dd-{unique}", org))
    sysadmin = factories.Sysadmin()
    # a record harvested from Musterstadt's atlas (provenance as sca_atlas writes it)
    harvested = call("package_create", sysadmin, **actor_data(
        f"ms-{unique}", org, spatial=json.dumps(M_ALTSTADT), sca_source_city=MUSTERSTADT,
        sca_source_atlas=f"Smart City Atlas {MUSTERSTADT}", sca_source_page="https://atlas.musterstadt.example/a/1"))
    assert harvested["sca_districts"] == [{"id": "musterstadt-elbe:01", "name": f"Altstadt ({MUSTERSTADT})",
                                           "group_type": "", "group": "", "city": MUSTERSTADT}]
    assert not harvested.get("sca_warnings")  # inside the region: no "outside the city" note
    assert [d["city"] for d in local["sca_districts"]] == ["Dresden"]
    page = app.get("/atlas", query_string={"organization": org["name"]}).get_data(as_text=True)
    assert f'name="district" value="Altstadt ({MUSTERSTADT})"' in page
    assert 'name="district" value="Innere Altstadt (Dresden)"' in page
    # the radius search's districts grouped by city, named within it
    assert f'<optgroup label="{MUSTERSTADT}">' in page and '<optgroup label="Dresden">' in page
    musterstadt = page.split(f'<optgroup label="{MUSTERSTADT}">')[1].split("</optgroup>")[0]
    assert ">Altstadt</option>" in musterstadt and ">Weinberg</option>" in musterstadt
    found = call("sca_search", None, district=f"Altstadt ({MUSTERSTADT})", organization=org["name"])
    assert [r["id"] for r in found["results"]] == [harvested["id"]]
    # the pages name each district within its city, and the city once
    assert f"<li>Altstadt, {MUSTERSTADT}</li>" in app.get(f"/actor/{harvested['name']}").get_data(as_text=True)
    assert "<li>Innere Altstadt (Stadtbezirk Altstadt), Dresden</li>" in \
        app.get(f"/actor/{local['name']}").get_data(as_text=True)


@pytest.mark.usefixtures("with_plugins", "clean_index", "region")
def test_a_harvested_area_gets_its_source_citys_districts_and_citywide_counts_per_city(unique):
    org = factories.Organization()
    sysadmin = factories.Sysadmin()
    # Musterstadt's area drawn a little too wide reaches a Dresden district: not for its record
    wide = {"type": "Polygon", "coordinates": [[[13.44, 51.145], [13.85, 51.145], [13.85, 51.185],
                                                [13.44, 51.185], [13.44, 51.145]]]}
    project = call("package_create", sysadmin, **project_data(
        f"ms-{unique}", org, spatial=json.dumps(wide), sca_source_city=MUSTERSTADT))
    assert {d["city"] for d in project["sca_districts"]} == {MUSTERSTADT}
    assert len(project["sca_districts"]) == 4
    # all four of Musterstadt's districts: city-wide there, though 4 of the region's 68
    found = call("sca_search", None, organization=org["name"])
    assert [r["citywide"] for r in found["results"]] == [True]
    # a local record with the same area has the districts of both cities
    local = call("package_create", sysadmin, **project_data(f"dd-{unique}", org, spatial=json.dumps(wide)))
    assert {d["city"] for d in local["sca_districts"]} == {"Dresden", MUSTERSTADT}


@pytest.mark.usefixtures("with_plugins")
def test_one_city_has_no_city_in_its_districts(app, unique):
    """Without a region nothing changes: ids, names and the map as before."""
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data(unique, org))
    assert [set(d) for d in actor["sca_districts"]] == [{"id", "name", "group_type", "group"}]
    assert "(" not in actor["sca_districts"][0]["name"]
    assert len(app.get("/atlas/city/boundary.geojson").json["features"]) == 1
    page = app.get("/atlas").get_data(as_text=True)
    assert "<optgroup" not in page.split('id="sca-atlas-district"')[1].split("</select>")[0]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "region")
@ALLOW_LOCAL
def test_the_region_demo_shows_both_cities_with_their_districts(app):
    """SCA_REGION_DEMO=1: Musterstadt's harvested entries in Musterstadt's districts."""
    from click.testing import CliRunner

    from ckanext.smartcityatlas.demo import region

    result = CliRunner().invoke(region.region_demo, [])
    assert result.exit_code == 0, result.output
    facets = call("sca_search", None, city=MUSTERSTADT, rows=0)["facets"]["sca_district_names"]
    assert facets == {f"{name} ({MUSTERSTADT})": count for name, count in
                      (("Altstadt", 2), ("Elbufer", 2), ("Nordhang", 1), ("Weinberg", 1))}
    page = app.get("/atlas").get_data(as_text=True)
    assert f'<optgroup label="{MUSTERSTADT}">' in page


def test_city_check_checks_a_region_folder_member_by_member(tmp_path):
    from click.testing import CliRunner

    from ckanext.smartcityatlas.platform.city_cli import city_check_command

    ok = CliRunner().invoke(city_check_command, [str(city_config.BUILTIN / "dresden-region-demo")])
    assert ok.exit_code == 0, ok.output
    assert "musterstadt-elbe: no errors" in ok.output and "2 cities, 68 districts" in ok.output
    (tmp_path / "region.yaml").write_text(yaml.safe_dump({"title": "R", "members": ["dresden", "./fehlt"]}))
    bad = CliRunner().invoke(city_check_command, [str(tmp_path)])
    assert bad.exit_code == 1 and "ERROR region.yaml" in bad.output and "fehlt" in bad.output


def test_the_citys_own_files_keep_working_in_a_region():
    """The city's demo files and radar name districts as the city does, and
    "the whole city" stays the city's own boundary, not the region's."""
    from shapely.geometry import shape

    from ckanext.smartcityatlas.demo import loader

    city = _load(city_config.BUILTIN / "dresden-region-demo")
    prohlis = city.district_by_name("Prohlis-Nord")
    assert prohlis.city == "Dresden" and prohlis.name == "Prohlis-Nord (Dresden)"
    assert city.district_by_name("Prohlis-Nord (Dresden)") == prohlis
    assert city.district_by_name(f"Weinberg ({MUSTERSTADT})").city == MUSTERSTADT
    assert city.district_by_name("Weinberg") is None  # another city's districts only by their full name
    assert city.home.name == "dresden" and city.home.boundary.equals(city.members[0].boundary)
    whole = shape(json.loads(loader.resolve_location({"location": "city"}, city)["spatial"]))
    assert {d.city for d in city.districts_of(whole)} == {"Dresden"}
    point = loader.resolve_location({"location": "district:Prohlis-Nord"}, city)["spatial"]
    assert [d.id for d in city.districts_of(shape(json.loads(point)))] == [prohlis.id]
