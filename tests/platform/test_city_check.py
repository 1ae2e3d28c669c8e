# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca city-check``: a good city folder passes; each broken one is
named with its file, its place (key and line, line of districts.csv,
feature) and what to do, and fails with exit code 1."""
import json
import shutil

import pytest
from ckan.cli.cli import ckan

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.platform import city_check
from tests.helpers.city_folder import edit_settings, square, write_example_city, write_json


@pytest.fixture
def city(tmp_path):
    return write_example_city(tmp_path / "musterstadt", boundary=True)


def findings(folder, demo=None) -> list[str]:
    return [str(f) for f in city_check.check(folder, demo)]


def errors(folder, demo=None) -> list[str]:
    return [f for f in findings(folder, demo) if f.startswith("ERROR")]


def test_the_example_of_the_docs_passes_with_the_contributor_warning(city):
    found = findings(city)
    assert not [f for f in found if f.startswith("ERROR")], found
    assert any("dcat.contributor_id" in f and "K12" in f for f in found), found


def test_dresden_passes(tmp_path):
    assert errors(city_config.BUILTIN / "dresden", demo=True) == []


def test_the_command_prints_findings_and_exits_1_on_errors(cli, city):
    good = cli.invoke(ckan, ["sca", "city-check", str(city)])
    assert good.exit_code == 0, good.output
    assert "no errors, 1 warning(s); 4 districts in 3 groups" in good.output
    (city / "districts.csv").write_text("district_id,district,group_type,group\n1,Altstadt,planungsraum,Mitte\n",
                                        encoding="utf-8")
    bad = cli.invoke(ckan, ["sca", "city-check", str(city)])
    assert bad.exit_code == 1, bad.output
    assert "ERROR districts.csv: district 2 (Nordviertel) of ortsteile.geojson is missing" in bad.output
    assert "3 error(s)" in bad.output


def _csv(city, text):
    (city / "districts.csv").write_text("district_id,district,group_type,group\n" + text, encoding="utf-8")


BROKEN = {
    "unquoted municipality key": (
        lambda c: (c / "city.yaml").write_text((c / "city.yaml").read_text(encoding="utf-8").replace(
            'municipality_key: "16099000"', "municipality_key: 16099000"), encoding="utf-8"),
        "ERROR city.yaml: municipality_key (line 5): must be a quoted string of 8 digits, not the number 16099000"),
    "an unquoted key with a leading zero (YAML reads an octal number)": (
        lambda c: (c / "city.yaml").write_text((c / "city.yaml").read_text(encoding="utf-8").replace(
            'municipality_key: "16099000"', "municipality_key: 01001000"), encoding="utf-8"),
        'municipality_key (line 5): must be a quoted string of 8 digits, not the number 01001000 '
        '(write it in quotes: "01001000")'),
    "municipality key of another Land": (
        lambda c: edit_settings(c, lambda s: s.update(municipality_key="14612000")),
        ("ERROR city.yaml: municipality_key (line ", "14612000 does not start with 16, the key of Thüringen")),
    "YAML syntax": (
        lambda c: (c / "city.yaml").write_text("name: x\ntitle: [unclosed\n", encoding="utf-8"),
        ("ERROR city.yaml: line ", "not valid YAML")),
    "not a Land": (
        lambda c: edit_settings(c, lambda s: s.update(state="Thueringen")),
        ("ERROR city.yaml: state (line ", "'Thueringen' is not a Land; one of: Schleswig-Holstein")),
    "a district missing in districts.csv": (
        lambda c: _csv(c, "1,Altstadt,planungsraum,Mitte\n2,Nordviertel,planungsraum,Mitte\n"
                          "3,Auenbach,ortschaft,Auenbach\n"),
        "ERROR districts.csv: district 4 (Hügelheim) of ortsteile.geojson is missing"),
    "an unknown district in districts.csv": (
        lambda c: _csv(c, "1,Altstadt,planungsraum,Mitte\n2,Nordviertel,planungsraum,Mitte\n"
                          "3,Auenbach,ortschaft,Auenbach\n4,Hügelheim,ortschaft,Hügelheim\n9,Irgendwo,ortschaft,X\n"),
        "ERROR districts.csv: line 6: district 9 is not in ortsteile.geojson"),
    "a group type without label": (
        lambda c: edit_settings(c, lambda s: s["districts"]["group_labels"].pop("ortschaft")),
        "ERROR districts.csv: line 4: group_type 'ortschaft' has no label in districts.group_labels"),
    "a header with semicolons": (
        lambda c: (c / "districts.csv").write_text("district_id;district;group_type;group\n1;Altstadt;x;y\n",
                                                   encoding="utf-8"),
        "ERROR districts.csv: line 1: lacks the column(s) district_id, district, group_type, group"),
    "a feature without id": (
        lambda c: _edit_features(c, lambda f: f[2]["properties"].pop("ot_nr")),
        "ERROR ortsteile.geojson: feature 2: has no ot_nr (districts.id_property)"),
    "a self-intersecting district": (
        lambda c: _edit_features(c, lambda f: f[1].update(geometry={"type": "Polygon", "coordinates": [[
            [11.05, 50.93], [11.10, 50.96], [11.10, 50.93], [11.05, 50.96], [11.05, 50.93]]]})),
        "ERROR ortsteile.geojson: feature 1: geometry is not valid: Self-intersection"),
    "projected coordinates": (
        lambda c: _edit_features(c, lambda f: f[0].update(geometry=square(650000, 5640000, 652000, 5642000))),
        "ERROR ortsteile.geojson: feature 0: coordinates (650000, 5640000) are no longitude/latitude"),
    "swapped coordinates": (
        lambda c: _edit_features(c, lambda f: f[3].update(geometry=square(50.90, 11.05, 50.93, 11.10))),
        "ERROR ortsteile.geojson: feature 3: lies outside Germany: longitude and latitude are swapped"),
    "a point instead of an outline": (
        lambda c: _edit_features(c, lambda f: f[0].update(geometry={"type": "Point", "coordinates": [11, 51]})),
        "ERROR ortsteile.geojson: feature 0: is a Point; only Polygon or MultiPolygon"),
    "another coordinate system": (
        lambda c: _edit_district_file(c, lambda d: d["crs"]["properties"].update(name="urn:ogc:def:crs:EPSG::25832")),
        "ERROR ortsteile.geojson: crs: urn:ogc:def:crs:EPSG::25832 is not WGS 84"),
    "broken JSON": (
        lambda c: (c / "ortsteile.geojson").write_text('{"type": "FeatureCollection",\n "features": [,]}',
                                                       encoding="utf-8"),
        "ERROR ortsteile.geojson: line 2, column 15: not valid JSON"),
    "no boundary file": (
        lambda c: (c / "grenze.geojson").unlink(),
        "boundary (line 7): the file grenze.geojson does not exist in"),
    "a contributor outside the namespace": (
        lambda c: edit_settings(c, lambda s: s["dcat"].update(contributor_id="https://example.org/thueringen")),
        ("ERROR city.yaml: dcat.contributor_id (line ", "must be an IRI of the dcat-ap.de contributor list")),
    "an unknown Land of the legal texts": (
        lambda c: edit_settings(c, lambda s: s["legal"].update(land="hessen")),
        ("ERROR city.yaml: legal.land (line ",
         "no shipped texts for 'hessen'; known: sachsen, thueringen, bayern, nordrhein-westfalen")),
    "an unknown placeholder in the city's own legal page": (
        lambda c: _own_page(c, "# Impressum\n\nHerausgeberin: ${offical_name}\n"),
        "ERROR legal/impressum.de.md: line 3: ${offical_name} is not a known value"),
    "an unknown licence": (
        lambda c: edit_settings(c, lambda s: s.update(content_license="dl-de/by-2-0")),
        ("ERROR city.yaml: content_license (line ", "'dl-de/by-2-0' is not in the dcat-ap.de licence list")),
    "a geocoding key not the city's": (
        lambda c: edit_settings(c, lambda s: s["dcat"].update(geocoding_key="16099001")),
        ("ERROR city.yaml: dcat.geocoding_key (line ", "16099001 is not the city's municipality_key 16099000")),
    "an unlabelled model district": (
        lambda c: edit_settings(c, lambda s: s["model_districts"].append({"value": "Neu Stadt"})),
        ("ERROR city.yaml: model_districts.1 (line ", "needs value: (lower case, digits, -) and label")),
    "a demo file missing": (
        lambda c: (c / "demo").mkdir() or (c / "demo" / "actors.yaml").write_text("actors: []\n", encoding="utf-8"),
        "ERROR demo/projects.yaml: missing: demo-load reads it from demo/"),
}


def _edit_district_file(city, change):
    path = city / "ortsteile.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    write_json(path, data)


def _edit_features(city, change):
    _edit_district_file(city, lambda data: change(data["features"]))


def _own_page(city, text):
    (city / "legal").mkdir()
    (city / "legal" / "impressum.de.md").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_folder_is_named_exactly(city, case):
    breaks, expected = BROKEN[case]
    breaks(city)
    found = findings(city)
    parts = (expected,) if isinstance(expected, str) else expected
    assert any(all(part in f for part in parts) for f in found), "\n".join(found)
    assert any(f.startswith("ERROR") for f in found)


def test_warnings_for_what_a_city_usually_wants_to_fix(city):
    def change(s):
        s["state"], s["municipality_key"], s["regional_key"] = "Hessen", "06099000", "060990000000"
        s["dcat"].update(geocoding_key="06099000", contributor_id="http://dcat-ap.de/def/contributors/landSachsenAnhalt")
        del s["legal"]["land"]
        s["map_center"] = [51.05, 13.74]
    edit_settings(city, change)
    found = findings(city)
    assert not [f for f in found if f.startswith("ERROR")], found
    for expected in (
            "WARNING city.yaml: dcat.contributor_id (line",
            "landSachsenAnhalt is not in the contributor list of DCAT-AP.de 2.0 (dcat-ap-de-contributors-20220623.rdf)",
            "WARNING city.yaml: legal (line", "no shipped texts for the Land 'Hessen'",
            "WARNING city.yaml: map_center (line", "[51.05, 13.74] lies outside the city boundary"):
        assert any(expected in f for f in found), (expected, found)


def test_a_demo_folder_of_another_city_is_noticed_and_skipped_without_demo(city):
    shutil.copytree(city_config.BUILTIN / "dresden" / "demo", city / "demo")
    outside = [f for f in findings(city) if "entries lie outside the city boundary" in f]
    assert outside and outside[0].startswith("WARNING demo/actors.yaml: "), outside
    assert not [f for f in findings(city, demo=False) if "demo/" in f]


def test_a_city_with_one_level_of_districts(city):
    (city / "districts.csv").unlink()
    edit_settings(city, lambda s: [s["districts"].pop(k) for k in ("lookup", "group_labels")])
    assert errors(city) == []
    loaded = city_config.load(city)
    assert [(d.name, d.group) for d in loaded.districts] == [
        ("Altstadt", ""), ("Nordviertel", ""), ("Auenbach", ""), ("Hügelheim", "")]
