# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckan sca sensors-demo: the shipped sample through the local replay, once."""
import pytest
from click.testing import CliRunner

from ckan.tests import factories

from ckanext.smartcityatlas.demo import sensors
from tests.helpers.sensors import datasets


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_demo_harvests_labelled_sensor_datasets_once(ckan_config):
    factories.Organization(name="umweltamt", title="Umweltamt")
    runner = CliRunner()
    result = runner.invoke(sensors.sensors_demo, [])
    assert result.exit_code == 0, result.output
    assert "harvested 6 phenomena from 9 demo boxes" in result.output
    from ckan.tests import helpers

    source = helpers.call_action("harvest_source_show", {"ignore_auth": True}, id=sensors.SOURCE_NAME)
    found = datasets(source["id"])
    assert len(found) == 6
    for pkg in found.values():
        assert pkg["title"].startswith("Demo: ") and pkg["notes"].startswith("Demodaten")
        assert pkg["organization"]["name"] == "umweltamt"
    # the SensorThings sample: recent synthetic observations, public stations exact, the rest coarsened
    assert "harvested 4 phenomena from 5 demo Things (SensorThings" in result.output, result.output
    assert "Datastreams without observations" in result.output and "[unmapped]" in result.output
    st_source = helpers.call_action("harvest_source_show", {"ignore_auth": True}, id=sensors.ST_SOURCE_NAME)
    st_found = datasets(st_source["id"])
    assert {next(t["name"] for t in p["tags"] if t["name"] in ("pm10", "pm25", "no2", "temperature"))
            for p in st_found.values()} == {"pm10", "pm25", "no2", "temperature"}
    for pkg in st_found.values():
        assert pkg["title"].startswith("Demo: ") and pkg["notes"].startswith("Demodaten")
        assert "SensorThings" in pkg["notes"] and "senseBox" not in pkg["notes"]
        assert pkg["license_id"] == "dl-by-de/2.0" and pkg["temporal_end"]
    # a comma in phenomena.yaml's flow mappings must not cut the title ("PM2,5")
    assert any(p["title"].startswith("Demo: Feinstaub PM2,5: ") for p in st_found.values())
    again = runner.invoke(sensors.sensors_demo, [])
    assert again.exit_code == 0 and again.output.count("already harvested") == 2, again.output
    # the replay allowed loopback for its own run only
    assert ckan_config.get("ckanext.smartcityatlas.harvest.allowed_hosts") in (None, "", [])
