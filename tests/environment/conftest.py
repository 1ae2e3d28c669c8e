# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the environment dashboard tests: sensor datasets harvested
through the real openSenseMap pipeline from the local replay (the real
Dresden boxes, synthetic readings of the 25-hour day 2024-10-27)."""
import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.demo.opensensemap_replay import Replay
from tests.helpers.sensors import api_boxes, create_source, readings_for, run_job


@pytest.fixture
def harvested():
    org = factories.Organization(name="umweltamt", title="Umweltamt")
    boxes = api_boxes()
    server = Replay(boxes, readings_for(boxes)).start()
    try:
        source = create_source(server.url, org)
        report = run_job(source)
    finally:
        server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    return {"source": source, "org": org, "report": report}
