# SPDX-License-Identifier: AGPL-3.0-or-later
"""A radar file uploaded in the harvest source form (multipart, CSRF token,
logged in by cookie as a browser is): stored, harvested, replaced and
harvested again; refused when too large, of the wrong type, for a source
of another type or for a user who may not edit the source."""
import io
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.harvesters.radar import upload
from tests.helpers.radar import csv_bytes, projects, run_job

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]
PASSWORD = "Atlas-Passwort-2026"


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def _login(app, user):
    form = app.get("/user/login")
    app.post("/user/login", data={"login": user["name"], "password": PASSWORD, "_csrf_token": _csrf(form.body)})


def _rows(status="Laufend"):
    return [
        {"Radar-ID": "UP-1", "Titel": "Hochgeladene Maßnahme", "Typ": "Maßnahme", "Status": status,
         "Stand": "31.01.2025"},
        {"Radar-ID": "UP-2", "Titel": "Straßenbeleuchtung Größenhain", "Typ": "Projekt", "Status": "Geplant",
         "Maßnahme": "UP-1"},
    ]


def _fields(org, **extra):
    return {"url": "", "title": "Radar-Upload", "name": "radar-upload", "notes": "", "source_type": "sca_radar",
            "frequency": "MANUAL", "config": "{}", "owner_org": org["id"], "save": "", **extra}


def _file(body: bytes, name: str):
    return (io.BytesIO(body), name)


def _stored():
    try:
        return sorted(p.name for p in upload.folder().iterdir())
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def storage(ckan_config, monkeypatch, tmp_path):
    """A storage of its own: the uploads of each test are countable."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))


@pytest.fixture
def editor():
    return factories.User(password=PASSWORD)


@pytest.fixture
def org(editor):
    return factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])


def _create(app, org, body=None, name="radar.csv", **extra):
    form = app.get("/en/harvest/new")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.body and 'name="radar_file"' in form.body
    data = _fields(org, _csrf_token=_csrf(form.body), **extra)
    if body is not None:
        data["radar_file"] = _file(body, name)
    return app.post("/en/harvest/new", data=data, follow_redirects=False)


def test_upload_in_the_form_is_harvested_replaced_and_harvested_again(app, editor, org):
    _login(app, editor)
    created = _create(app, org, csv_bytes(_rows()), "Radar Export 2025.csv")
    assert created.status_code == 302, created.body[:3000]
    source = helpers.call_action("harvest_source_show", id="radar-upload")
    assert source["url"].startswith("sca-upload:") and source["url"].endswith("/Radar_Export_2025.csv")
    first_file = upload.token_of(source["url"])

    report = run_job(source)
    assert report["counts"]["created"] == 2, report
    found = projects(source["id"])
    assert found["UP-1"]["status"] == "running"
    assert found["UP-2"]["title"] == "Straßenbeleuchtung Größenhain"

    # the editor downloads the current file; an anonymous visitor may not
    assert app.get(f"/harvest/radar-file/{source['id']}").get_data() == csv_bytes(_rows())
    app.set_session_user(None)
    assert app.get(f"/harvest/radar-file/{source['id']}").status_code == 403
    _login(app, editor)

    # replace the file: the new status after the next run; the old file stays until then
    form = app.get("/en/harvest/edit/radar-upload")
    assert "Radar_Export_2025.csv" in form.body
    edited = app.post("/en/harvest/edit/radar-upload", data={
        **_fields(org, url=source["url"], _csrf_token=_csrf(form.body)),
        "radar_file": _file(csv_bytes(_rows("Abgeschlossen")), "radar.csv")}, follow_redirects=False)
    assert edited.status_code == 302, edited.body[:3000]
    source = helpers.call_action("harvest_source_show", id="radar-upload")
    assert upload.token_of(source["url"]) != first_file
    assert first_file in _stored()
    report = run_job(source)
    assert report["counts"]["updated"] == 1 and report["counts"]["unchanged"] == 1, report
    assert projects(source["id"])["UP-1"]["status"] == "completed"
    assert first_file not in _stored() and upload.token_of(source["url"]) in _stored()

    # a file that cannot be read: the run fails, the records and the file stay
    form = app.get("/en/harvest/edit/radar-upload")
    app.post("/en/harvest/edit/radar-upload", data={
        **_fields(org, url=source["url"], _csrf_token=_csrf(form.body)),
        "radar_file": _file("nur;ein;Satz\r\nohne;Kopf;zeile\r\n".encode(), "kaputt.csv")})
    good = upload.token_of(source["url"])
    source = helpers.call_action("harvest_source_show", id="radar-upload")
    run_job(source)
    assert projects(source["id"])["UP-1"]["status"] == "completed"
    assert good in _stored()


def test_oversize_and_wrong_type_are_refused_with_a_form_error(app, editor, org, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.radar.upload_max_mb", 1)
    _login(app, editor)
    big = csv_bytes(_rows()) + b"x;" * (600 * 1024)
    refused = _create(app, org, big)
    assert refused.status_code == 200
    assert "larger than 1 MB" in refused.body
    for body, name, message in [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "radar.csv", "neither an Excel workbook"),
        (b"<!DOCTYPE html><html><body>Anmeldung</body></html>", "radar.csv", "HTML or XML"),
        (b"PK\x03\x04" + b"\x00" * 40, "radar.xlsx", "damaged ZIP archive"),
        (b'{"entries": [', "radar.json", "not valid JSON"),
    ]:
        refused = _create(app, org, body, name)
        assert refused.status_code == 200 and message in refused.body, name
    # a file for another harvester type
    refused = _create(app, org, csv_bytes(_rows()), source_type="sca_dcat_rdf")
    assert refused.status_code == 200 and "Smart-City-Radar sources only" in refused.body
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("harvest_source_show", id="radar-upload")
    assert _stored() == []


def test_a_user_without_rights_cannot_upload_or_name_a_stored_file(app, editor, org):
    _login(app, editor)
    assert _create(app, org, csv_bytes(_rows())).status_code == 302
    source = helpers.call_action("harvest_source_show", id="radar-upload")
    before = _stored()

    stranger = factories.User(password=PASSWORD)
    app.set_session_user(None)
    _login(app, stranger)
    form = app.get("/user/edit")  # a page with the session's CSRF token
    refused = app.post("/en/harvest/edit/radar-upload", data={
        **_fields(org, url=source["url"], _csrf_token=_csrf(form.body)),
        "radar_file": _file(csv_bytes(_rows("Abgeschlossen")), "radar.csv")}, follow_redirects=False)
    assert refused.status_code == 403
    assert _stored() == before
    assert app.get(f"/harvest/radar-file/{source['id']}").status_code == 403
    assert helpers.call_action("harvest_source_show", id="radar-upload")["url"] == source["url"]

    # nobody types an upload address: it could name another source's file
    own = factories.Organization(users=[{"name": stranger["name"], "capacity": "editor"}])
    with pytest.raises(tk.ValidationError, match="uploading a file"):
        helpers.call_action("harvest_source_create", {"user": stranger["name"]}, name="copy", title="Kopie",
                            url=source["url"] + "?x", source_type="sca_radar", owner_org=own["id"],
                            frequency="MANUAL", config="{}")


def test_the_form_needs_the_csrf_token(app, editor, org):
    _login(app, editor)
    refused = app.post("/en/harvest/new", data={**_fields(org), "radar_file": _file(csv_bytes(_rows()), "r.csv")},
                       follow_redirects=False)
    assert refused.status_code == 400
    assert _stored() == []


def test_the_api_takes_the_file_in_a_multipart_request(app, editor, org):
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    created = app.post("/api/3/action/harvest_source_create", headers=headers, data={
        **_fields(org), "radar_file": _file(csv_bytes(_rows()), "radar.csv")})
    assert created.status_code == 200, created.body[:2000]
    source = helpers.call_action("harvest_source_show", id="radar-upload")
    assert upload.token_of(source["url"]) in _stored()
    assert run_job(source)["counts"]["created"] == 2
