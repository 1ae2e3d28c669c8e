# SPDX-License-Identifier: AGPL-3.0-or-later
"""Solr down: every page and API call that needs search answers 503 with
Retry-After and a clear message (no traceback, no 500), a write is refused
without leaving anything behind, and all works again when Solr is back,
without restarting CKAN (platform/search_unavailable.py).

Solr is seen through a TCP proxy the test switches off and on, so the
suite's Solr keeps running."""
import json
import urllib.parse

import pytest
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.helpers.entities import actor_data
from tests.helpers.tcp_proxy import TcpProxy

SEARCHING = ["/api/3/action/package_search?q=Parkhaus", "/api/3/action/sca_search?q=Parkhaus",
             "/api/3/action/sca_match?actor_id=actor-{unique}", "/dataset/", "/actor/", "/atlas",
             "/atlas/geojson", "/catalog.ttl", "/"]


@pytest.fixture
def solr_through_proxy():
    url = urllib.parse.urlsplit(tk.config["solr_url"])
    proxy = TcpProxy(url.hostname, url.port)
    proxy.start()
    proxied = url._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
    with helpers.changed_config("solr_url", proxied):
        yield proxy
    proxy.stop()


def test_solr_down_is_503_everywhere_and_back_without_a_restart(app, solr_through_proxy, unique):
    org = factories.Organization()
    sysadmin = factories.Sysadmin()
    token = {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}
    helpers.call_action("package_create", {"user": sysadmin["name"]}, **actor_data(
        unique, org, title=f"Parkhaus Energie {unique}", notes="Energie im Parkhaus."))
    searching = [path.format(unique=unique) for path in SEARCHING]
    before = {path: app.get(path, status=None).status_code for path in searching}
    assert set(before.values()) == {200}, before

    solr_through_proxy.stop()
    for path in searching:
        resp = app.get(path, status=None, headers={"Accept": "text/html"})
        assert resp.status_code == 503, (path, resp.status_code, resp.body[:300])
        assert resp.headers["Retry-After"] == "30"
        assert "Traceback" not in resp.body
        if path.startswith("/api/") or path.endswith((".geojson", ".ttl")):
            error = json.loads(resp.body)["error"]
            assert error["__type"] == "Search Connection Error" and "nicht erreichbar" in error["message"], error
        else:
            assert "Suche ist gerade nicht erreichbar" in resp.body or "nicht erreichbar" in resp.body
    # a write that cannot be indexed is refused and leaves nothing behind
    created = app.post("/api/3/action/package_create", headers=token, status=None, json=actor_data(
        f"down-{unique}", org))
    assert created.status_code == 503, created.body[:300]

    solr_through_proxy.start()
    after = {path: app.get(path, status=None).status_code for path in searching}
    assert set(after.values()) == {200}, after
    found = app.get(f"/api/3/action/package_search?q=name:actor-{unique}").json["result"]["count"]
    assert found == 1
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("package_show", {"ignore_auth": True}, id=f"actor-down-{unique}")
