# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anonymous callers' request bodies are capped (HTTP 413 before the body is
read); logged-in users have their own cap (none by default)."""
import io
import json

import pytest

from ckan.tests import factories, helpers

pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.request.max_body_kb_anonymous", "4")]

BIG_SEARCH = {"q": "x" * 5000}  # 5 KB of JSON


def test_an_anonymous_api_body_beyond_the_cap_is_413(app):
    resp = app.post("/api/3/action/package_search", json=BIG_SEARCH)
    assert resp.status_code == 413
    assert resp.json["success"] is False
    assert "größer als 4 KB" in resp.json["error"]["message"] and "Anmeldung" in resp.json["error"]["message"]
    assert app.post("/api/3/action/package_search", json={"q": "x" * 3000}).status_code == 200


def test_an_anonymous_form_beyond_the_cap_is_a_413_page(app):
    resp = app.post("/datenwuensche/neu", data={"title": "Baumkataster", "description": "x" * 5000})
    assert resp.status_code == 413
    assert "größer als 4 KB" in resp.body and "<html" in resp.body


def _chunked(app, payload):
    # as gunicorn passes a chunked body: no Content-Length, the stream ended by the server
    return app.client.open("/api/3/action/package_search", method="POST",
                           input_stream=io.BytesIO(json.dumps(payload).encode()), content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": "",
                                              "HTTP_TRANSFER_ENCODING": "chunked"})


def test_a_body_without_content_length_stops_at_the_cap(app):
    resp = _chunked(app, BIG_SEARCH)
    assert resp.status_code == 413 and "größer als 4 KB" in resp.json["error"]["message"]
    assert _chunked(app, {"q": "x" * 3000}).status_code == 200


def test_logged_in_callers_have_their_own_cap(app):
    headers = {"Authorization": factories.APIToken(user=factories.User()["name"])["token"]}
    assert app.post("/api/3/action/package_search", json=BIG_SEARCH, headers=headers).status_code == 200
    with helpers.changed_config("ckanext.smartcityatlas.request.max_body_kb_authenticated", 4):
        resp = app.post("/api/3/action/package_search", json=BIG_SEARCH, headers=headers)
    assert resp.status_code == 413 and "Anmeldung" not in resp.json["error"]["message"]
