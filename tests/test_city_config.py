# SPDX-License-Identifier: AGPL-3.0-or-later
"""Another city drops in its own folder: no code involved."""
import json

import pytest

from ckanext.smartcityatlas.common import city_config

SQUARE = {"type": "Polygon", "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]]}
WEST = {"type": "Polygon", "coordinates": [[[10, 50], [10.5, 50], [10.5, 51], [10, 51], [10, 50]]]}
EAST = {"type": "Polygon", "coordinates": [[[10.5, 50], [11, 50], [11, 51], [10.5, 51], [10.5, 50]]]}


def _city(folder, rows):
    (folder / "city.yaml").write_text(
        "name: musterstadt\ntitle: Musterstadt\nmunicipality_key: '14999000'\nboundary: grenze.geojson\n"
        "districts: {file: teile.geojson, id_property: nr, name_property: name, lookup: districts.csv}\n",
        encoding="utf-8")
    (folder / "grenze.geojson").write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": SQUARE}))
    (folder / "teile.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nr": "1", "name": "West"}, "geometry": WEST},
        {"type": "Feature", "properties": {"nr": "2", "name": "Ost"}, "geometry": EAST}]}))
    (folder / "districts.csv").write_text("district_id,district,group_type,group\n" + rows, encoding="utf-8")
    return city_config.load(folder)


def test_own_city_folder(tmp_path):
    from shapely.geometry import Point, shape

    city = _city(tmp_path, "1,Weststadt,stadtbezirk,Bezirk A\n2,Oststadt,stadtbezirk,Bezirk B\n")
    assert city.municipality_key == "14999000"
    assert [d.name for d in city.districts_of(Point(10.2, 50.5))] == ["Weststadt"]
    assert [d.group for d in city.districts_of(Point(10.8, 50.5))] == ["Bezirk B"]
    assert [d.name for d in city.districts_of(shape(SQUARE))] == ["Weststadt", "Oststadt"]
    assert not city.contains(Point(12, 50.5))
    assert city_config.folder_for(str(tmp_path)) == tmp_path


def test_a_district_missing_in_the_lookup_is_refused(tmp_path):
    with pytest.raises(ValueError, match="district 2 .* missing in districts.csv"):
        _city(tmp_path, "1,Weststadt,stadtbezirk,Bezirk A\n")


def test_unknown_city_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no city.yaml"):
        city_config.folder_for(str(tmp_path / "gibt-es-nicht"))


@pytest.fixture
def one_level_city(ckan_config, monkeypatch, tmp_path):
    """The documentation's example city without its second level (no
    districts.csv, no group labels), configured before the app starts."""
    from tests.helpers.city_folder import edit_settings, write_example_city

    folder = write_example_city(tmp_path / "einstadt", boundary=True)
    (folder / "districts.csv").unlink()
    edit_settings(folder, lambda s: [s["districts"].pop(k) for k in ("lookup", "group_labels")])
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.city", str(folder))
    return folder


@pytest.mark.usefixtures("with_plugins")
def test_one_level_of_districts_has_no_groups_on_the_pages(one_level_city, app, unique):
    from ckan.tests import factories

    from tests.helpers.city_folder import ALTSTADT_POINT
    from tests.helpers.entities import actor_data, call

    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data(unique, org, spatial=json.dumps(ALTSTADT_POINT)))
    assert [(d["name"], d["group"]) for d in actor["sca_districts"]] == [("Altstadt", "")]
    page = app.get(f"/actor/{actor['name']}").get_data(as_text=True)
    assert "<li>Altstadt</li>" in page and ">Ortsteil</h2>" in page
    atlas = app.get("/atlas", query_string={"organization": org["name"]}).get_data(as_text=True)
    assert 'name="district" value="Altstadt"' in atlas
    assert 'name="district_group"' not in atlas and "Stadtbezirk" not in atlas
