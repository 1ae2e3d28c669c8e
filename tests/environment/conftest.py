# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the environment dashboard tests: sensor datasets harvested
through the real openSenseMap pipeline from the local replay (the real
Dresden boxes, synthetic readings of the 25-hour day 2024-10-27)."""
import pytest

from ckan.tests import factories

from tests.helpers.sensors import api_boxes, harvest_replay, readings_for


@pytest.fixture
def harvested():
    org = factories.Organization(name="umweltamt", title="Umweltamt")
    boxes = api_boxes()
    return {"source": harvest_replay(boxes, readings_for(boxes), org), "org": org}
