# SPDX-License-Identifier: AGPL-3.0-or-later
"""deploy/sca end to end: a second, throw-away stack on other ports and its
own data directory (the suite's own services keep running meanwhile).

Proves: `up` from nothing brings CKAN with Solr-backed search; a taken port
fails loudly; `stop` + `up` is quick and keeps the data.
"""
import json
import re
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PORTS = {"SCA_PG_PORT": 25432, "SCA_REDIS_PORT": 26379, "SCA_SOLR_PORT": 28983, "SCA_CKAN_PORT": 25000,
         "SCA_MAIL_PORT": 28025}


def _ports_free():
    for port in PORTS.values():
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return False
    return True


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not _ports_free():
        pytest.fail(f"ports {sorted(PORTS.values())} must be free for the stack test")
    data = tmp_path_factory.mktemp("stack") / "var"
    env = dict(os.environ, SCA_DATA=str(data), SCA_SITE_URL=f"http://localhost:{PORTS['SCA_CKAN_PORT']}",
               **{k: str(v) for k, v in PORTS.items()})

    def sca(*args, check=True):
        proc = subprocess.run([str(REPO / "deploy" / "sca"), *args], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=900)
        if check and proc.returncode != 0:
            raise AssertionError(f"deploy/sca {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    yield sca, data
    sca("stop", check=False)


def _api(action, data=None, token=None):
    url = f"http://127.0.0.1:{PORTS['SCA_CKAN_PORT']}/api/3/action/{action}"
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)["result"]


def test_taken_port_fails_loudly(stack):
    sca, _ = stack
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", PORTS["SCA_REDIS_PORT"]))
        blocker.listen()
        proc = sca("up", check=False)
    assert proc.returncode != 0
    assert f"port {PORTS['SCA_REDIS_PORT']}" in proc.stderr
    assert "already taken" in proc.stderr


def test_up_stop_up_keeps_a_dataset(stack):
    sca, data = stack
    first = sca("up")
    assert "Created sysadmin 'admin' with password:" in first.stdout
    assert "No such file or directory" not in first.stderr, first.stderr  # no ckan.ini yet: nothing to compare
    assert _api("status_show")["ckan_version"] == "2.12.0"

    token = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ckan"), "-c", str(data / "ckan.ini"), "user", "token", "add", "admin", "stack-test"],
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1].strip()
    org = _api("organization_create", {"name": "stack-test-amt", "title": "Testamt"}, token)
    _api("package_create", {"name": "laermkarte", "title": "Lärmkarte Innenstadt", "owner_org": org["id"],
                            "notes": "Lärmkarte.", "license_id": "dl-by-de/2.0"}, token)
    assert _api("package_search", {"q": "Lärmkarte"})["count"] == 1

    sca("stop")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{PORTS['SCA_CKAN_PORT']}/", timeout=5)

    started = time.monotonic()
    again = sca("up")
    took = time.monotonic() - started
    assert took < 60, f"second up took {took:.0f}s"
    # The password is printed only when the account is created.
    assert "password:" not in again.stdout
    assert _api("package_show", {"id": "laermkarte"})["title"] == "Lärmkarte Innenstadt"
    assert _api("package_search", {"q": "Lärmkarte"})["count"] == 1

    # `up` on a running stack is a no-op that keeps everything.
    third = sca("up")
    assert "ckan-web is running" in third.stdout
    status = sca("status").stdout
    for line in ("postgres  up", "redis     up", "solr      up", "ckan      up"):
        assert line in status
    # The consumers have been idle for far longer than redis-py's 5 s socket
    # timeout by now, and are still alive.
    for process in ("harvest-gather", "harvest-fetch", "jobs-worker", "scheduler"):
        assert re.search(rf"^{process} +running", status, re.M), status


def test_up_after_kill_9_of_every_ckan_process_brings_the_portal_back(stack):
    """The web server (master and workers), the consumers, the jobs worker
    and the scheduler killed with -9: `up` starts them again and the portal
    answers (the killed server's workers free the port on their own)."""
    sca, data = stack
    sca("up")
    run = data / "run"
    for name in ("ckan-web", "harvest-gather", "harvest-fetch", "jobs-worker", "scheduler"):
        os.kill(int((run / f"{name}.pid").read_text()), 9)
    again = sca("up")
    assert "ckan-web started" in again.stdout and "scheduler started" in again.stdout
    assert _api("status_show")["ckan_version"] == "2.12.0"
    status = sca("status").stdout
    for process in ("harvest-gather", "harvest-fetch", "jobs-worker", "scheduler"):
        assert re.search(rf"^{process} +running", status, re.M), status
    # gunicorn with the access log naming each request's worker
    assert "gunicorn" in status
    assert re.search(r'"GET /api/3/action/status_show HTTP/1.[01]" 200 .* pid=<\d+>', (data / "log" / "ckan-access.log").read_text())


def test_operator_settings_in_ckan_local_ini_survive_up(stack):
    """$SCA_DATA/ckan.local.ini: a setting the template has (the site title)
    and one it has not (an intranet network for harvest sources) reach the
    running portal and stay through the next `up` (docs/configuration.md)."""
    sca, data = stack
    (data / "ckan.local.ini").write_text(
        "# our own settings\n"
        "ckan.site_title = Atlas Testheim\n"
        "ckanext.smartcityatlas.harvest.allowed_networks = 10.20.0.0/16\n", encoding="utf-8")
    for _ in range(2):
        out = sca("up")
        assert "ckan.local.ini replaces [app:main] ckan.site_title" in out.stderr
        ini = (data / "ckan.ini").read_text(encoding="utf-8")
        assert "\nckan.site_title = Atlas Testheim\n" in ini and "ckan.site_title = Smart City Atlas" not in ini
        assert "\nckanext.smartcityatlas.harvest.allowed_networks = 10.20.0.0/16\n" in ini
        deadline = time.monotonic() + 30  # `up` reloads gunicorn gracefully: old workers finish first
        while _api("status_show")["site_title"] != "Atlas Testheim" and time.monotonic() < deadline:
            time.sleep(1)
        assert _api("status_show")["site_title"] == "Atlas Testheim"
    (data / "ckan.local.ini").write_text("[app:main\nbroken", encoding="utf-8")
    broken = sca("up", check=False)
    assert broken.returncode != 0 and "ckan.local.ini" in broken.stderr
    (data / "ckan.local.ini").unlink()
