# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensor coverage of the districts: districts with a daily value of a
public sensor dataset in the last days, read from the datasets' district
tables as a visitor reads them (openSenseMap replay of real Dresden boxes)."""
import datetime

import pytest

from ckan import model
from ckan.lib.search import rebuild
from ckan.tests import factories

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.demo.opensensemap_replay import Replay
from ckanext.smartcityatlas.monitoring import portal_figures
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.monitor import by_id, monitor
from tests.helpers.sensors import api_boxes, create_source, datasets, readings_for, run_job, table

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL,
              pytest.mark.ckan_config("ckanext.smartcityatlas.monitor.cache_seconds", "0")]
DAY = datetime.date(2024, 10, 27)  # the replayed local day


def _expected(pkgs) -> dict[str, int]:
    out: dict[str, int] = {}
    for pkg in pkgs:
        rows = table(resource_id(pkg["id"], "daily-district"))
        for name in {r["district"] for r in rows if r["district"] and r["day"].startswith(DAY.isoformat())}:
            out[name] = out.get(name, 0) + 1
    return out


def test_districts_with_active_public_sensors():
    boxes = api_boxes()
    server = Replay(boxes, readings_for(boxes)).start()
    try:
        source = create_source(server.url, factories.Organization(name="umweltamt"))
        report = run_job(source)
    finally:
        server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    pkgs = list(datasets(source["id"]).values())

    covered = portal_figures.sensor_districts(DAY)
    assert covered and covered == _expected(pkgs)
    assert portal_figures.sensor_districts(DAY + datetime.timedelta(days=portal_figures.ACTIVE_DAYS)) == {}
    total = len(city_config.current().districts)
    coverage = by_id(monitor(today=DAY.isoformat()))["sensor_coverage"]
    assert coverage["value"] == round(100 * len(covered) / total, 1) > 0
    assert {b["key"]: b["value"] for b in coverage["breakdown"]} == covered

    hidden = max(pkgs, key=lambda p: len(_expected([p])))
    model.Package.get(hidden["id"]).private = True
    model.Session.commit()
    rebuild(hidden["id"])
    assert portal_figures.sensor_districts(DAY) == _expected([p for p in pkgs if p["id"] != hidden["id"]])
