# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anonymous callers of sca_match and the map data get HTTP 429 with
Retry-After beyond the configured rate; logged-in callers do not."""
import uuid

import pytest

from ckan.tests import factories

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def _client_ip():
    # every test its own client address: counters live in Redis per minute
    return "10.%d.%d.%d" % tuple(uuid.uuid4().bytes[:3])


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.match_per_minute", 3)
def test_anonymous_match_calls_beyond_the_limit_get_429(app):
    ip = _client_ip()
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
