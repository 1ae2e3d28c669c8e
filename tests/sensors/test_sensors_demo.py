# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckan sca sensors-demo: the shipped sample through the local replay, once."""
import pytest
from click.testing import CliRunner

from ckan.tests import factories

from ckanext.smartcityatlas.sensors import demo
from tests.sensors.conftest import datasets


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_demo_harvests_labelled_sensor_datasets_once(ckan_config):
    factories.Organization(name="umweltamt", title="Umweltamt")
    runner = CliRunner()
    result = runner.invoke(demo.sensors_demo, [])
    assert result.exit_code == 0, result.output
    assert "harvested 6 phenomena from 9 demo boxes" in result.output
    from ckan.tests import helpers

    source = helpers.call_action("harvest_source_show", {"ignore_auth": True}, id=demo.SOURCE_NAME)
    found = datasets(source["id"])
    assert len(found) == 6
    for pkg in found.values():
        assert pkg["title"].startswith("Demo: ") and pkg["notes"].startswith("Demodaten")
        assert pkg["organization"]["name"] == "umweltamt"
    again = runner.invoke(demo.sensors_demo, [])
    assert again.exit_code == 0 and "already harvested" in again.output
    # the replay allowed loopback for its own run only
    assert ckan_config.get("ckanext.smartcityatlas.harvest.allowed_hosts") in (None, "", [])
