# SPDX-License-Identifier: AGPL-3.0-or-later
"""The production server with several workers and threads: what one process
keeps per request or in memory must hold across all of them.

gunicorn runs with deploy/gunicorn.conf.py (as `deploy/sca up` does), two
workers × four threads, on the test database, Solr core and Redis database.
Edits go through one request and reads through others, concurrently.
"""
import configparser
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.tests import factories

from tests.helpers.entities import ALTMARKT, WEIXDORF
from tests.helpers.forms import csrf
from tests.helpers.web_server import free_port, wait_answering

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-workers")
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str
    parser.read(tk.config["__file__"], encoding="utf-8")
    # clients told apart by X-Forwarded-For, as behind the city's proxy
    parser.set("app:main", "ckanext.smartcityatlas.rate_limit.trusted_proxies", "127.0.0.1")
    ini = folder / "web.ini"
    with ini.open("w", encoding="utf-8") as fh:
        parser.write(fh)
    port = free_port()
    access_log = folder / "access.log"
    env = dict(os.environ, CKAN_INI=str(ini), SCA_WEB_BIND=f"127.0.0.1:{port}", SCA_WEB_WORKERS="2",
               SCA_WEB_THREADS="4", SCA_WEB_ACCESS_LOG=str(access_log))
    log = (folder / "gunicorn.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_answering(base, proc, folder / "gunicorn.log", 120, "gunicorn")
    yield base, access_log
    os.killpg(proc.pid, 15)
    proc.wait(timeout=60)
    log.close()


def _serving_pids(access_log: Path) -> set[str]:
    return set(re.findall(r"pid=<(\d+)>", access_log.read_text()))


def _in_one_window(seconds_needed: float = 10) -> None:
    """Start a burst early in a rate-limit minute, so it is not split over two windows."""
    left = 60 - time.time() % 60
    if left < seconds_needed:
        time.sleep(left + 0.2)


def test_the_rate_limit_window_is_shared_by_all_workers_and_threads(app, server):
    base, access_log = server
    limit = tk.config.get("ckanext.smartcityatlas.rate_limit.match_per_minute")
    assert 0 < limit < 60
    client = {"X-Forwarded-For": f"198.51.100.{random.randint(1, 254)}, 127.0.0.1"}
    _in_one_window()

    def ask(_):
        return requests.get(f"{base}/api/3/action/sca_match", params={"q": "Energie Sensorik"},
                            headers=client, timeout=60).status_code

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(ask, range(limit + 15)))
    # answered (200, or 409 where the test atlas knows none of the words) up to the limit, then refused
    assert len(codes) - codes.count(429) == limit, codes
    assert set(codes) <= {200, 409, 429} and codes.count(429) == 15, codes
    assert len(_serving_pids(access_log)) >= 2, "both workers should have served the burst"


def test_an_edit_in_one_worker_is_seen_at_once_by_every_other(server, unique):
    base, _ = server
    editor = factories.User(name=f"ww-editor-{unique}", email=f"ww-editor-{unique}@example.org")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    token = {"Authorization": factories.APIToken(user=editor["name"])["token"]}

    def api(action, data):
        resp = requests.post(f"{base}/api/3/action/{action}", json=data, headers=token, timeout=60)
        assert resp.ok, resp.text
        return resp.json()["result"]

    def map_titles():
        """The map data as 24 concurrent anonymous visitors see it: the title of our actor in each answer."""
        def one(_):
            resp = requests.get(f"{base}/atlas/geojson", headers={"X-Forwarded-For": f"203.0.113.{_ + 1}"},
                                timeout=60)
            assert resp.status_code == 200, resp.text[:300]
            return next((f["properties"]["title"] for f in resp.json()["features"]
                         if f["properties"]["name"] == f"ww-actor-{unique}"), None)
        with ThreadPoolExecutor(8) as pool:
            return set(pool.map(one, range(24)))

    before = map_titles()  # every worker has built and cached the map data
    assert before == {None}
    actor = api("package_create", {
        "type": "actor", "name": f"ww-actor-{unique}", "title": "Erster Titel", "owner_org": org["id"],
        "notes": "Sensorik.", "actor_kind": "company", "helix_sector": "business", "topics": ["energy"],
        "spatial": json.dumps(ALTMARKT), "location_source": "address"})
    assert map_titles() == {"Erster Titel"}
    api("package_patch", {"id": actor["id"], "title": "Zweiter Titel", "spatial": json.dumps(WEIXDORF)})
    assert map_titles() == {"Zweiter Titel"}
    api("package_patch", {"id": actor["id"], "private": True})
    assert map_titles() == {None}


def test_csrf_stays_on_for_browsers_while_api_token_requests_run_alongside(server, unique):
    """CKAN exempts a form from CSRF while an API-token request posts it; with
    threads, a browser's post in the same moment must still need its token."""
    base, _ = server
    password = "Atlas-Passwort-2026"
    editor = factories.User(name=f"ww-csrf-{unique}", email=f"ww-csrf-{unique}@example.org", password=password)
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    token = factories.APIToken(user=editor["name"])["token"]
    browser = requests.Session()
    login = browser.get(f"{base}/user/login", timeout=60)
    # not following the redirect: it names the configured site URL, not this server
    browser.post(f"{base}/user/login", data={"login": editor["name"], "password": password,
                                             "_csrf_token": csrf(login.text)}, allow_redirects=False, timeout=60)
    assert 'name="spatial"' in browser.get(f"{base}/actor/new", timeout=60).text  # logged in by cookie

    def fields(name):
        return {"title": name, "name": name, "owner_org": org["id"], "notes": "x", "actor_kind": "company",
                "helix_sector": "business", "_ckan_phase": "dataset_new_1", "save": ""}

    stop = threading.Event()

    def with_token(i):
        codes = []
        while not stop.is_set():
            name = f"ww-token-{unique}-{i}-{len(codes)}"
            codes.append(requests.post(f"{base}/actor/new", data=fields(name), headers={"Authorization": token},
                                       allow_redirects=False, timeout=60).status_code)
        return codes

    def from_browser(i):
        return [browser.post(f"{base}/actor/new", data=fields(f"ww-cookie-{unique}-{i}-{n}"),
                             allow_redirects=False, timeout=60).status_code for n in range(12)]

    with ThreadPoolExecutor(8) as pool:
        token_runs = [pool.submit(with_token, i) for i in range(4)]
        browser_runs = [pool.submit(from_browser, i) for i in range(4)]
        browser_codes = [code for run in browser_runs for code in run.result()]
        stop.set()
        token_codes = [code for run in token_runs for code in run.result()]
    assert token_codes and set(token_codes) == {302}, token_codes
    assert set(browser_codes) == {400}, browser_codes
    found = requests.get(f"{base}/api/3/action/package_search", params={
        "q": f"name:ww-cookie-{unique}-*", "include_private": "true"},
        headers={"Authorization": token}, timeout=60).json()["result"]["count"]
    assert found == 0
