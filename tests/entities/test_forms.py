# SPDX-License-Identifier: AGPL-3.0-or-later
"""An editor creates an actor and a project with partners through the web
forms (CSRF-protected); both pages show the relation and the district."""
import json

import pytest

from ckan.tests import factories

from tests.helpers.forms import create_through_form, csrf

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_editor_creates_actor_and_project_with_partner_through_forms(app, unique):
    editor = factories.User(name=f"form-editor-{unique}", email=f"form-editor-{unique}@example.org")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}

    actor_page = create_through_form(app, headers, "actor", {
        "title": f"Forschungsinstitut {unique}", "name": f"fi-{unique}",
        "notes": "Forschung zu Energie im Quartier.", "actor_kind": "research_institute",
        "helix_sector": "science", "topics": "energy", "owner_org": org["id"],
        "spatial": json.dumps({"type": "Point", "coordinates": [13.7383, 51.0504]}),
        "location_source": "address", "location_precision": "exact",
    })
    assert f"Forschungsinstitut {unique}" in actor_page.body
    assert "Innere Altstadt (Stadtbezirk Altstadt)" in actor_page.body  # the group with the city's label

    project_page = create_through_form(app, headers, "project", {
        "title": f"Smartes Quartier {unique}", "name": f"sq-{unique}",
        "notes": "Ein Modellprojekt.", "project_kind": "project", "status": "running",
        "owner_org": org["id"],
        "spatial": json.dumps({"type": "Point", "coordinates": [13.7672, 51.1343]}),
        "partners-0-actor": f"fi-{unique}", "partners-0-role": "lead",
        "partners-1-name": "Stadtwerke-Partner GmbH", "partners-1-role": "partner",
    })
    body = project_page.body
    assert f'href="/actor/fi-{unique}"' in body and f"Forschungsinstitut {unique}" in body
    assert "Stadtwerke-Partner GmbH" in body
    assert "Flughafen/Industriegebiet Klotzsche" in body

    actor_page = app.get(f"/actor/fi-{unique}")
    assert f'href="/project/sq-{unique}"' in actor_page.body


def test_form_shows_a_validation_message_and_keeps_the_input(app, unique):
    editor = factories.User(name=f"form-editor2-{unique}", email=f"form-editor2-{unique}@example.org")
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    form = app.get("/actor/new", headers=headers)
    resp = app.post("/actor/new", headers=headers, data={
        "_csrf_token": csrf(form.body), "_ckan_phase": "dataset_new_1", "save": "",
        "title": "Falsche Koordinaten", "name": f"falsch-{unique}", "notes": "x", "owner_org": org["id"],
        "actor_kind": "company", "helix_sector": "business",
        "spatial": '{"type": "Point", "coordinates": [51.0504, 13.7383]}',
    })
    assert resp.status_code == 200
    assert "swapped" in resp.body or "vertauscht" in resp.body
    assert "Falsche Koordinaten" in resp.body


def test_post_without_csrf_token_is_refused_for_a_logged_in_browser(app, unique):
    """A browser session (cookie login) must send the form's CSRF token.
    (API-token requests are exempt in CKAN: a foreign site cannot set headers.)"""
    password = "Atlas-Passwort-2026"
    editor = factories.User(name=f"form-editor3-{unique}", email=f"form-editor3-{unique}@example.org",
                            password=password)
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    login_form = app.get("/user/login")
    app.post("/user/login", data={"login": editor["name"], "password": password,
                                  "_csrf_token": csrf(login_form.body)})
    form = app.get("/actor/new")
    assert form.status_code == 200 and 'name="spatial"' in form.body  # logged in by cookie
    fields = {"title": "Ohne Token", "name": f"ohne-{unique}", "owner_org": org["id"], "notes": "x",
              "actor_kind": "company", "helix_sector": "business", "_ckan_phase": "dataset_new_1", "save": ""}
    refused = app.post("/actor/new", data=fields, follow_redirects=False)
    assert refused.status_code == 400
    accepted = app.post("/actor/new", data={**fields, "_csrf_token": csrf(form.body)}, follow_redirects=False)
    assert accepted.status_code == 302


def test_an_api_token_request_does_not_switch_csrf_off_for_browsers(app, unique):
    """CKAN exempts a view from CSRF for the whole process once an API-token
    request used it; platform/csrf_guard.py undoes that after the request."""
    password = "Atlas-Passwort-2026"
    editor = factories.User(name=f"form-editor4-{unique}", email=f"form-editor4-{unique}@example.org",
                            password=password)
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    fields = {"name": f"api-{unique}", "title": "Per Token", "owner_org": org["id"], "notes": "x",
              "actor_kind": "company", "helix_sector": "business", "_ckan_phase": "dataset_new_1", "save": ""}
    token = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    assert app.post("/actor/new", data=fields, headers=token, follow_redirects=False).status_code == 302

    login_form = app.get("/user/login")
    app.post("/user/login", data={"login": editor["name"], "password": password,
                                  "_csrf_token": csrf(login_form.body)})
    refused = app.post("/actor/new", data={**fields, "name": f"cookie-{unique}"}, follow_redirects=False)
    assert refused.status_code == 400


def test_entity_types_have_german_and_english_names(app, unique):
    editor = factories.User(name=f"form-editor5-{unique}", email=f"form-editor5-{unique}@example.org")
    factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    assert "Akteur anlegen" in app.get("/actor/new", headers=headers).body
    assert "Create actor" in app.get("/en/actor/new", headers=headers).body
    assert "Projekte" in app.get("/project/").body
