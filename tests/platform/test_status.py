# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_status_show: up/down per service for anyone, details for sysadmins."""
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.platform import heartbeats, scheduler

pytestmark = [pytest.mark.usefixtures("with_plugins")]

CLOSED = "127.0.0.1:9"  # discard port: nothing listens here


def _status(user=None):
    context = {"user": user or "", "ignore_auth": False}
    return helpers.call_action("sca_status_show", context=context)


def test_anonymous_get_reports_up_or_down_without_details(app):
    resp = app.get("/api/3/action/sca_status_show")
    result = resp.json["result"]
    for name in ("solr", "postgresql", "redis"):
        assert result["services"][name] == {"status": "up"}
    assert set(result["services"]) >= {"jobs_worker", "scheduler", "harvest_gather", "harvest_fetch"}
    assert "versions" not in result
    assert all(set(s) == {"status"} for s in result["services"].values())


def test_sysadmin_gets_versions_and_reasons():
    sysadmin = factories.Sysadmin()
    result = _status(sysadmin["name"])
    assert result["services"]["solr"]["version"].startswith("9.")
    assert result["services"]["postgresql"]["version"].split(".")[0].isdigit()
    assert result["services"]["redis"]["version"]
    assert result["versions"]["ckan"] == "2.12.0"
    for entry in result["services"].values():
        assert entry["status"] == "up" or entry["error"]


def test_normal_user_gets_no_details():
    user = factories.User()
    result = _status(user["name"])
    assert "versions" not in result
    assert "error" not in result["services"]["solr"]


@pytest.mark.ckan_config("solr_url", f"http://{CLOSED}/solr/ckan_test")
def test_solr_down():
    sysadmin = factories.Sysadmin()
    result = _status(sysadmin["name"])
    assert result["status"] == "degraded"
    assert result["services"]["solr"]["status"] == "down"
    assert "ConnectionError" in result["services"]["solr"]["error"]
    assert result["services"]["postgresql"]["status"] == "up"
    assert result["services"]["redis"]["status"] == "up"


@pytest.mark.ckan_config("ckan.redis.url", f"redis://{CLOSED}/1")
def test_redis_down_takes_the_background_processes_with_it():
    result = _status()
    assert result["status"] == "degraded"
    for name in ("redis", "jobs_worker", "scheduler", "harvest_gather"):
        assert result["services"][name]["status"] == "down", name
    assert result["services"]["solr"]["status"] == "up"


def test_postgresql_down():
    sysadmin = factories.Sysadmin()["name"]  # created while the DB is reachable
    url = tk.config["sqlalchemy.url"].replace(tk.config["sqlalchemy.url"].split("@")[1].split("/")[0], CLOSED)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(tk.config, "sqlalchemy.url", url)
        from ckanext.smartcityatlas.platform import status

        check = status.postgresql()
    assert not check.up and "OperationalError" in check.error
    assert _status(sysadmin)["services"]["postgresql"]["status"] == "up"


def test_scheduler_heartbeat_ages_out():
    scheduler.tick()
    assert _status()["services"]["scheduler"]["status"] == "up"
    stale = int(time.time()) - 10_000
    heartbeats.beat("scheduler")
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().set(heartbeats.PREFIX + "scheduler", str(stale))
    assert _status()["services"]["scheduler"]["status"] == "down"


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_jobs_worker_is_up_while_a_worker_runs():
    ini = tk.config["__file__"]
    ckan = str(Path(sys.executable).with_name("ckan"))
    # its own empty queue: on the default queue it would pick up jobs earlier
    # tests left, outlive terminate() (rq finishes the job first) and write
    # into later tests' database
    worker = subprocess.Popen([ckan, "-c", ini, "jobs", "worker", "sca-status-test"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _status()["services"]["jobs_worker"]["status"] == "up")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    assert _wait_for(lambda: _status()["services"]["jobs_worker"]["status"] == "down")
