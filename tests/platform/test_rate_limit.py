# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anonymous callers of sca_match and the map data get HTTP 429 with
Retry-After beyond the configured rate; logged-in callers do not."""
import time
import uuid

import pytest

from ckan.tests import factories, helpers

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def _client_ip():
    # every test its own client address: counters live in Redis per minute
    return "10.%d.%d.%d" % tuple(uuid.uuid4().bytes[:3])


def _same_window(calls_take: float = 8.0, seconds: int = 60) -> None:
    """Wait for the next fixed window when the calls that must share one
    might run past the end of this one (on a slow machine they did)."""
    left = seconds - time.time() % seconds
    if left < calls_take:
        time.sleep(left + 0.1)


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.match_per_minute", 3)
def test_anonymous_match_calls_beyond_the_limit_get_429(app):
    ip = _client_ip()
    _same_window()
    codes = [app.get("/api/3/action/sca_match", query_string={"q": "Energie"},
                     environ_base={"REMOTE_ADDR": ip}).status_code for _ in range(4)]
    assert 429 not in codes[:3]
    resp = app.get("/api/3/action/sca_match", query_string={"q": "Energie"}, environ_base={"REMOTE_ADDR": ip})
    assert codes[3] == 429 and resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 61
    assert resp.json["success"] is False and "Sekunden" in resp.json["error"]["message"]
    # another client is not affected, nor are other endpoints
    assert app.get("/api/3/action/sca_match", query_string={"q": "Energie"},
                   environ_base={"REMOTE_ADDR": _client_ip()}).status_code != 429
    assert app.get("/api/3/action/sca_search", environ_base={"REMOTE_ADDR": ip}).status_code == 200


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.geojson_per_minute", 2)
def test_the_map_data_is_limited_for_anonymous_callers_only(app):
    ip = _client_ip()
    _same_window()
    for path in ("/atlas/geojson", "/en/atlas/geojson"):
        assert app.get(path, environ_base={"REMOTE_ADDR": ip}).status_code == 200
    assert app.get("/api/3/action/sca_geojson", environ_base={"REMOTE_ADDR": ip}).status_code == 429
    token = factories.APIToken(user=factories.User()["name"])["token"]
    for _ in range(3):
        assert app.get("/atlas/geojson", headers={"Authorization": token},
                       environ_base={"REMOTE_ADDR": ip}).status_code == 200


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.geojson_per_minute", 1)
@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.trusted_proxies", "127.0.0.9")
def test_forwarded_for_counts_only_behind_a_trusted_proxy(app):
    first, second = _client_ip(), _client_ip()
    proxy = {"REMOTE_ADDR": "127.0.0.9"}
    _same_window(15)
    assert app.get("/atlas/geojson", headers={"X-Forwarded-For": first}, environ_base=proxy).status_code == 200
    # a different client behind the same proxy has its own budget
    assert app.get("/atlas/geojson", headers={"X-Forwarded-For": second}, environ_base=proxy).status_code == 200
    assert app.get("/atlas/geojson", headers={"X-Forwarded-For": first}, environ_base=proxy).status_code == 429
    # an untrusted caller cannot pick a fresh address by sending the header
    direct = {"REMOTE_ADDR": _client_ip()}
    assert app.get("/atlas/geojson", headers={"X-Forwarded-For": _client_ip()}, environ_base=direct).status_code == 200
    assert app.get("/atlas/geojson", headers={"X-Forwarded-For": _client_ip()}, environ_base=direct).status_code == 429


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.match_per_minute", 0)
def test_zero_disables_the_limit(app):
    ip = _client_ip()
    for _ in range(5):
        assert app.get("/api/3/action/sca_match", query_string={"q": "Energie"},
                       environ_base={"REMOTE_ADDR": ip}).status_code != 429


# Every spelling CKAN's router takes for the same action (the limiter keys on
# the action it resolved, so they all share one window) …
ACCEPTED = ("/api/action/sca_match", "/api/3/action/sca_match", "/api/03/action/sca_match",
            "/api/0003/action/sca_match", "/api/%33/action/sca_match", "/api/3/action/sca%5Fmatch",
            "/api/3/action/%73%63%61_match", "/de/api/3/action/sca_match", "/en/api/03/action/sca_match",
            "/en/api/action/sca_match")
# … and spellings it refuses or redirects (which must not run the action)
REFUSED = ("/api/3/action/sca_match/", "/api/4/action/sca_match", "/api/2/action/sca_match",
           "/api/3.0/action/sca_match", "/api/-3/action/sca_match", "/api/+3/action/sca_match",
           "/api/%D9%A3/action/sca_match", "//api//3//action//sca_match", "/api/3//action/sca_match",
           "/api/3/action/SCA_MATCH", "/api/3/action/sca_match%00", "/api/3/action/sca_match%20",
           "/api/3/action/sca_match;x", "/xx/api/3/action/sca_match")
CANONICAL = "/api/3/action/sca_match"


def _match(app, path, ip, method="GET"):
    kwargs = {"json": {"q": "Energie"}} if method == "POST" else {"query_string": {"q": "Energie"}}
    return app.client.open(path, method=method, environ_base={"REMOTE_ADDR": ip}, follow_redirects=False,
                           **kwargs)


def _ran(resp) -> bool:
    """Did the action run? It answers 200, or 409 in an empty index ("no
    terms of the atlas"); HEAD has no body, only the status."""
    return resp.status_code in (200, 409)


METHODS = ("GET", "POST", "HEAD")


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.match_per_minute", 1)
def test_no_spelling_runs_the_action_beyond_the_limit(app):
    wrong = []
    for method in METHODS:
        for path in ACCEPTED + REFUSED:
            ip = _client_ip()
            _same_window()
            assert _ran(_match(app, CANONICAL, ip))
            status = _match(app, path, ip, method).status_code
            # limited, or refused by the router (then nothing ran)
            if status != 429 and (path not in REFUSED or status in (200, 409)):
                wrong.append((method, path, status))
    assert wrong == []


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.match_per_minute", 1)
def test_every_spelling_counts_in_the_same_window(app):
    wrong = []
    for method in METHODS:
        for path in ACCEPTED:
            ip = _client_ip()
            _same_window()
            ran = _ran(_match(app, path, ip, method))
            if not ran or _match(app, CANONICAL, ip).status_code != 429:
                wrong.append((method, path, ran))
    assert wrong == []


@pytest.mark.parametrize("action,group", [("sca_geojson", "geojson"), ("sca_sensor_layer", "geojson"),
                                          ("sca_network", "network")])
def test_the_other_limited_actions_count_every_spelling(app, action, group):
    ip = _client_ip()
    _same_window()
    with helpers.changed_config(f"ckanext.smartcityatlas.rate_limit.{group}_per_minute", 2):
        assert app.get(f"/api/03/action/{action}", environ_base={"REMOTE_ADDR": ip}).status_code == 200
        assert app.post(f"/de/api/action/{action}", json={}, environ_base={"REMOTE_ADDR": ip}).status_code == 200
        assert app.get(f"/api/3/action/{action}", environ_base={"REMOTE_ADDR": ip}).status_code == 429


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.datarequest_per_hour", 1)
def test_the_hourly_data_request_limit_counts_every_spelling(app):
    ip = _client_ip()
    request = {"title": "Baumkataster", "description": "Alle Straßenbäume mit Art und Pflanzjahr."}
    _same_window(seconds=3600)
    assert app.post("/api/03/action/sca_datarequest_create", json=request,
                    environ_base={"REMOTE_ADDR": ip}).status_code == 200
    for path in ("/api/3/action/sca_datarequest_create", "/en/api/action/sca%5Fdatarequest_create"):
        assert app.post(path, json=request, environ_base={"REMOTE_ADDR": ip}).status_code == 429
    resp = app.post("/datenwuensche/neu", data=request, environ_base={"REMOTE_ADDR": ip})
    assert resp.status_code == 429
