# SPDX-License-Identifier: AGPL-3.0-or-later
"""A NUL character in the address, the query string or a form field is HTTP
400 naming the parameter (PostgreSQL refused it with a 500 on many pages)."""
import pytest

from ckan.tests import factories

pytestmark = [pytest.mark.usefixtures("with_plugins")]


PAGES = [
    ("/atlas", {"organization": "\x00"}, "„organization“"),
    ("/atlas/embed", {"organization": "a\x00b"}, "„organization“"),
    ("/dashboard/quality", {"q": "\x00"}, "„q“"),
    ("/dashboard/quality.csv", {"organization": "\x00"}, "„organization“"),
    ("/atlas/korrektur", {"entity": "\x00"}, "„entity“"),
    ("/atlas/partner", {"actor_id": "\x00"}, "„actor_id“"),
    ("/atlas/sensoren", {"sensor_id": "\x00"}, "„sensor_id“"),
    ("/atlas", {"a\x00": "1"}, "„a\\0“"),
    ("/dataset/%00", {}, "„die Adresse“"),
    ("/organization/x%00y", {}, "„die Adresse“"),
]


def test_nul_in_a_page_request_is_400(app):
    headers = {"Authorization": factories.APIToken(user=factories.Sysadmin()["name"])["token"]}
    wrong = []
    for path, params, named in PAGES:
        resp = app.get(path, query_string=params, headers=headers)
        if resp.status_code != 400 or f"{named} enthält ein NUL-Zeichen" not in resp.body:
            wrong.append((path, params, resp.status_code))
    assert wrong == []


def test_nul_in_a_form_field_is_400(app):
    resp = app.post("/datenwuensche/neu", data={"title": "Baum\x00kataster", "description": "Alle Bäume"})
    assert resp.status_code == 400 and "„title“ enthält ein NUL-Zeichen" in resp.body


def test_nul_in_an_api_query_string_is_a_json_400(app):
    resp = app.get("/api/3/action/package_show", query_string={"id": "\x00"})
    assert resp.status_code == 400
    assert resp.json["success"] is False and "„id“ enthält ein NUL-Zeichen" in resp.json["error"]["message"]
