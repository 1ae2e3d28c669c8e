# SPDX-License-Identifier: AGPL-3.0-or-later
"""The data contacts' workspace (issue 29, item 9): members of an office land
on their quality tasks after login, the dashboard uses the whole width and
one wording for currency, and the link check says in plain language why a
link fails."""
import socket

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.quality import link_check
from tests.helpers.datasets import create, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]


def _token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_members_of_an_office_land_on_their_quality_tasks(app):
    assert tk.config["ckan.auth.route_after_login"] == "sca_quality.start"
    member, visitor = factories.User(), factories.User()
    factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    # CKAN sends a login without a "next" page to /user/me, which follows the setting
    me = app.get("/user/me", headers=_token(member), follow_redirects=False)
    assert me.status_code == 302 and me.headers["Location"].endswith("/dashboard/start")
    landing = app.get("/dashboard/start", headers=_token(member), follow_redirects=False)
    assert landing.headers["Location"].endswith("/dashboard/quality")
    elsewhere = app.get("/dashboard/start", headers=_token(visitor), follow_redirects=False)
    assert elsewhere.headers["Location"].endswith("/dashboard/datasets")
    # the quality tab comes first in the dashboard's tabs
    tabs = app.get("/dashboard/datasets", headers=_token(member), status=200).body
    assert tabs.index("/dashboard/quality") < tabs.index("/dashboard/datasets\"")


def test_full_width_and_one_wording_for_currency(app):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    create(minimal_dataset(org, "old", title="Ohne Intervall", modified="2017-10-25"))
    create(minimal_dataset(org, "due", title="Pegelstände alt", frequency="DAILY", modified="2020-01-01"))
    create(minimal_dataset(org, "new", title="Jährlich frisch", frequency="ANNUAL"))
    page = app.get("/dashboard/quality", headers=_token(editor), status=200).body
    assert 'class="primary col-12' in page and 'class="primary col-md-9' not in page
    rows = {title: page.split(title, 1)[1].split("</tr>", 1)[0]
            for title in ("Ohne Intervall", "Pegelstände alt", "Jährlich frisch")}
    assert "Kein Aktualisierungsintervall angegeben" in rows["Ohne Intervall"], rows["Ohne Intervall"]
    assert ">ja<" not in page and "Aktuell" not in rows["Ohne Intervall"]
    assert "<strong>Überfällig</strong>" in rows["Pegelstände alt"]
    assert "Aktuell" in rows["Jährlich frisch"]
    assert ">Aktualität</th>" in page


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


@pytest.mark.ckan_config("ckanext.smartcityatlas.harvest.allowed_networks", "127.0.0.1/32")
@pytest.mark.ckan_config("ckanext.smartcityatlas.linkcheck.timeout", "1")
@pytest.mark.ckan_config("ckanext.smartcityatlas.linkcheck.host_delay", "0")
def test_link_problems_in_plain_language(app, server):
    server.add("/weg.csv", body="", status=404, content_type="text/plain")
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    pkg = create(minimal_dataset(org, "links", resources=[
        {"url": f"http://127.0.0.1:{_closed_port()}/daten.csv", "format": "CSV", "name": "Ohne Server"},
        {"url": server.url("/weg.csv"), "format": "CSV", "name": "Gelöscht"}]))
    link_check.run_batch()
    page = app.get(f"/dataset/{pkg['name']}/links", headers=_token(editor), status=200).body
    assert "Server nicht erreichbar" in page and "Datei nicht gefunden (HTTP 404)" in page
    # the technical reason stays, folded away for whoever fixes the server
    assert "Errno 111" in page.split("Technische Einzelheiten", 1)[1]


@pytest.mark.parametrize("status,http_status,reason,expected", [
    ("unreachable", None, "http://h.example/ssl.csv: cannot connect: [Errno 111] Connection refused",
     "Server nicht erreichbar"),
    ("unreachable", None, "http://h.example/a.csv: connection timed out after 10 s",
     "Der Server antwortete nicht rechtzeitig"),
    ("unreachable", None, "http://x.invalid/a: cannot connect: [Errno -2] Name or service not known",
     "Servername unbekannt (existiert nicht oder ist falsch geschrieben)"),
    ("broken", 503, "http://h.example/timeout.csv: HTTP 503 Service Unavailable", "Fehler auf dem Server (HTTP 503)"),
    ("broken", None, "http://h.example/loop: more than 5 redirects", "Zu viele Weiterleitungen"),
    ("refused", None, "http://10.0.0.1/a: non-public address 10.0.0.1", "Adresse in einem internen Netz: nicht geprüft"),
    ("ok", 200, None, ""),
])
@pytest.mark.usefixtures("with_request_context")
def test_reasons_for_people_in_the_page_language(status, http_status, reason, expected):
    from ckanext.smartcityatlas.quality.link_reasons import sca_link_reason

    assert sca_link_reason(status, http_status, reason) == expected
