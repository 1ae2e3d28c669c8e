# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca city-boundary``: the boundary made from the district file is
their union, written like the shipped boundary (CRS84, the municipality's
name and keys, where it came from) and passes city-check; gaps are reported
and can be closed; an existing file is kept unless --force."""
import json

import pytest
import shapely.geometry
from ckan.cli.cli import ckan

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.platform import city_check
from tests.helpers.city_folder import EAST, NORTH, SOUTH, WEST, square, write_example_city, write_json


@pytest.fixture
def city(tmp_path):
    return write_example_city(tmp_path / "musterstadt")  # no boundary file


def test_the_boundary_is_the_union_of_the_districts_with_metadata(cli, city):
    assert any("grenze.geojson does not exist" in str(f) and "city-boundary" in str(f)
               for f in city_check.check(city))
    result = cli.invoke(ckan, ["sca", "city-boundary", str(city)])
    assert result.exit_code == 0, result.output
    assert "1 polygon(s), 0 hole(s)" in result.output and "union of 4 districts" in result.output
    assert "Keep the attribution of ortsteile.geojson for grenze.geojson in the folder's SOURCES.md" in result.output
    written = json.loads((city / "grenze.geojson").read_text(encoding="utf-8"))
    assert written["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    (feature,) = written["features"]
    assert feature["properties"] == {
        "GEN": "Musterstadt", "AGS": "16099000", "ARS": "160990000000",
        "derived_from": "union of the 4 districts of ortsteile.geojson (ckan sca city-boundary)",
        "source_attribution": "Stadt Musterstadt (invented)", "source_license": "dl-by-de/2.0",
        "source_name": "ortsteile"}
    outline = shapely.geometry.shape(feature["geometry"])
    assert outline.equals(shapely.geometry.shape(square(WEST, SOUTH, EAST, NORTH)))
    assert [f for f in city_check.check(city) if f.severity == "error"] == []
    assert city_config.load(city).contains(shapely.geometry.Point(11.02, 50.945))


def test_an_existing_boundary_is_kept_unless_forced(cli, city):
    (city / "grenze.geojson").write_text("{}", encoding="utf-8")
    kept = cli.invoke(ckan, ["sca", "city-boundary", str(city)])
    assert kept.exit_code == 1 and "exists; --force overwrites it" in kept.output
    assert (city / "grenze.geojson").read_text(encoding="utf-8") == "{}"
    assert cli.invoke(ckan, ["sca", "city-boundary", str(city), "--force"]).exit_code == 0


def test_gaps_between_districts_are_reported_and_can_be_closed(cli, city):
    path = city / "ortsteile.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    # district 2 digitised 2 m short of its neighbour for a kilometre: a sliver between them
    data["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [[
        [11.05, 50.93], [EAST, 50.93], [EAST, NORTH], [11.05, NORTH], [11.05, 50.95], [11.05003, 50.95],
        [11.05003, 50.94], [11.05, 50.94], [11.05, 50.93]]]}
    write_json(path, data)
    gap = cli.invoke(ckan, ["sca", "city-boundary", str(city), "--output", "gap.geojson"])
    assert gap.exit_code == 0, gap.output
    assert "1 polygon(s), 1 hole(s)" in gap.output and "--close-gaps 5 --force" in gap.output
    closed = cli.invoke(ckan, ["sca", "city-boundary", str(city), "--output", "gap.geojson", "--close-gaps", "5",
                               "--force"])
    assert "1 polygon(s), 0 hole(s)" in closed.output, closed.output
    assert "Add to city.yaml: boundary: gap.geojson" in closed.output


def test_unreadable_districts_are_a_clear_error(cli, city):
    (city / "ortsteile.geojson").write_text("{not json", encoding="utf-8")
    result = cli.invoke(ckan, ["sca", "city-boundary", str(city)])
    assert result.exit_code == 1
    assert "cannot read the districts of" in result.output and "city-check" in result.output
