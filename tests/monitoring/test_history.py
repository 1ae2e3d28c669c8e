# SPDX-License-Identifier: AGPL-3.0-or-later
"""The monitor's quarterly history: a snapshot replaces the current
quarter's value and keeps past quarters, the scheduler snapshots once a day,
status indicators of quarters without a snapshot come from the status
history, demo values are labelled, and the cache follows index and history."""
import datetime

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.monitoring import indicator_history
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.monitor import by_id, datarequest, monitor

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.monitor.cache_seconds", "0")]


def _history(result: dict, indicator_id: str) -> list[tuple]:
    return [(h["period"], h["value"], h["origin"]) for h in by_id(result)[indicator_id]["history"]]


def test_current_quarter_is_updated_and_past_quarters_kept():
    org = factories.Organization()
    create(minimal_dataset(org, "a"))
    indicator_history.snapshot(datetime.date(2025, 2, 10))
    create(minimal_dataset(org, "b"))
    indicator_history.snapshot(datetime.date(2025, 3, 20))  # same quarter: replaced
    create(minimal_dataset(org, "c"))
    indicator_history.snapshot(datetime.date(2025, 4, 5))  # next quarter: a new row
    create(minimal_dataset(org, "d"))

    history = _history(monitor(quarters=3, today="2025-05-01"), "open_datasets")
    assert history == [("2024 Q4", None, None), ("2025 Q1", 2, "snapshot"), ("2025 Q2", 4, "current")]
    assert _history(monitor(quarters=2, today="2025-07-01"), "open_datasets") == [
        ("2025 Q2", 3, "snapshot"), ("2025 Q3", 4, "current")]


def test_the_scheduler_snapshots_once_a_day():
    now = datetime.datetime(2025, 5, 2, 8, 0)
    assert indicator_history.snapshot_if_due(now) is True
    assert indicator_history.snapshot_if_due(now + datetime.timedelta(hours=23)) is False
    assert indicator_history.snapshot_if_due(now + datetime.timedelta(hours=25)) is True
    assert "monitor_snapshot" in dict(_periodic_tasks())


def _periodic_tasks():
    from ckanext.smartcityatlas.platform import scheduler

    return scheduler.periodic_tasks()


def test_status_indicators_of_past_quarters_come_from_the_status_history():
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    context = {"user": sysadmin["name"]}
    measure = helpers.call_action("package_create", dict(context), type="project", name="massnahme", title="M",
                                  owner_org=org["id"], project_kind="measure", status="planned",
                                  status_updated="2024-02-01")
    helpers.call_action("package_patch", dict(context), id=measure["id"], status="running",
                        status_updated="2024-11-15")
    helpers.call_action("package_create", dict(context), type="project", name="geheim", title="G",
                        owner_org=org["id"], project_kind="measure", status="idea", private=True,
                        status_updated="2024-01-01")

    result = monitor(quarters=5, today="2025-01-10")
    assert _history(result, "measures_implemented") == [
        ("2024 Q1", 0.0, "status_history"), ("2024 Q2", 0.0, "status_history"),
        ("2024 Q3", 0.0, "status_history"), ("2024 Q4", 100.0, "status_history"), ("2025 Q1", 100.0, "current")]
    assert [v for _p, v, _o in _history(result, "projects_by_status")] == [1, 1, 1, 1, 1]


def test_demo_history_is_labelled_and_real_snapshots_stay():
    from ckanext.smartcityatlas.demo import monitor as demo_monitor

    org = factories.Organization()
    create(minimal_dataset(org, "a"))
    indicator_history.store("open_datasets", indicator_history.quarter_of(datetime.date(2025, 8, 1)), 7, [])
    today = datetime.date(2025, 11, 3)
    assert demo_monitor.fill(today) > 0
    assert demo_monitor.fill(today) > 0  # again: the same rows, nothing added

    result = monitor(quarters=8, today=today.isoformat())
    history = _history(result, "open_datasets")
    assert history[-2] == ("2025 Q3", 7, "snapshot")  # the real one is kept
    assert [o for _p, _v, o in history[:-2]] == ["demo"] * 6
    assert all(v == int(v) for _p, v, _o in history[:-2])  # a count stays a whole number
    assert result["demo_history"] is True
    assert all(o != "demo" for _p, _v, o in _history(result, "measures_implemented"))


def test_the_cache_follows_index_and_history_and_expires_for_the_rest():
    org = factories.Organization()
    create(minimal_dataset(org, "a"))
    with helpers.changed_config("ckanext.smartcityatlas.monitor.cache_seconds", 300):
        assert by_id(monitor())["open_datasets"]["value"] == 1
        datarequest("published", 1)  # no index change: the cached monitor stays (at most cache_seconds)
        assert by_id(monitor())["datarequests_answered"]["value"] is None
        create(minimal_dataset(org, "b"))  # an indexed change: a new entry at once
        fresh = by_id(monitor())
        assert fresh["open_datasets"]["value"] == 2 and fresh["datarequests_answered"]["value"] == 100.0
        indicator_history.snapshot(datetime.date(2025, 1, 2))
        datarequest("open", 1)
        assert by_id(monitor())["datarequests_answered"]["value"] == 50.0  # the snapshot made a new entry


def test_the_snapshot_command_stores_the_current_quarter(cli):
    from ckan.cli.cli import ckan as ckan_cli

    org = factories.Organization()
    create(minimal_dataset(org, "a"))
    result = cli.invoke(ckan_cli, ["sca", "monitor-snapshot"])
    assert result.exit_code == 0, result.output
    quarter = indicator_history.quarter_of(datetime.date.today())["label"]
    assert f"indicators stored for {quarter}" in result.output
    assert indicator_history.rows([quarter])["open_datasets"][quarter] == {"value": 1, "origin": "snapshot"}
