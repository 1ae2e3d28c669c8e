# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the sensor tests: the openSenseMap replay server with the real
Dresden boxes and synthetic readings (tests/helpers/sensors.py), the office."""
import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.demo.opensensemap_replay import Replay
from tests.helpers.sensors import api_boxes, readings_for


@pytest.fixture
def replay():
    boxes = api_boxes()
    server = Replay(boxes, readings_for(boxes)).start()
    yield server
    server.stop()


@pytest.fixture
def sensor_org():
    return factories.Organization(name="umweltamt", title="Umweltamt")
