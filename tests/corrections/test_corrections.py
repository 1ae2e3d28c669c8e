# SPDX-License-Identifier: AGPL-3.0-or-later
"""Corrections by the public: anyone submits, the owning organisation's
admins moderate, contact data stay private and are purged."""
import datetime
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.corrections import actions, store
from tests.helpers.entities import actor_data, call

pytestmark = [pytest.mark.usefixtures("with_plugins")]


@pytest.fixture
def office(world):
    editor = world["users"]["editor"]
    actor = call("package_create", editor, **actor_data(world["unique"], world["org_a"]))
    return dict(world, actor=actor)


def test_anonymous_correction_reaches_only_the_owning_admins(office):
    u = office["users"]
    created = call("sca_correction_create", None, kind="correction", package_id=office["actor"]["name"],
                   message="Die Adresse ist veraltet.", contact_name="Eine Person", contact_email="person@example.org")
    assert "contact_email" not in created and created["status"] == "open"

    for role in ("admin", "sysadmin"):
        listed = call("sca_correction_list", u[role])["results"]
        mine = [r for r in listed if r["id"] == created["id"]]
        assert mine and mine[0]["contact_email"] == "person@example.org"
    for role in ("anonymous", "member", "editor", "other_editor"):
        with pytest.raises(tk.NotAuthorized):
            call("sca_correction_list", u[role])
    # an admin of another office sees nothing of it
    other_admin = factories.User()
    factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    assert created["id"] not in [r["id"] for r in call("sca_correction_list", other_admin)["results"]]

    for role in ("editor", "other_editor", "anonymous"):
        with pytest.raises(tk.NotAuthorized):
            call("sca_correction_update", u[role], id=created["id"], status="accepted")
    done = call("sca_correction_update", u["admin"], id=created["id"], status="rejected", moderator_note="Adresse stimmt.")
    assert done["status"] == "rejected" and done["moderated_by"] == u["admin"]["name"]
    # nothing changed on the entry itself
    assert call("package_show", None, id=office["actor"]["id"])["metadata_modified"] == office["actor"]["metadata_modified"]


@pytest.mark.parametrize("data,field", [
    ({"kind": "correction", "message": "x", "package_id": "gibt-es-nicht"}, "package_id"),
    ({"kind": "hack", "message": "x"}, "kind"),
    ({"kind": "suggest_new", "message": ""}, "message"),
    ({"kind": "suggest_new", "message": "x" * 5001}, "message"),
    ({"kind": "suggest_new", "message": "x", "contact_email": "kaputt"}, "contact_email"),
    ({"kind": "suggest_new", "message": "x", "website": "http://spam.example"}, "website"),
])
def test_bad_submissions_are_refused(data, field):
    with pytest.raises(tk.ValidationError) as err:
        call("sca_correction_create", None, **data)
    assert field in err.value.error_dict


def test_private_entry_cannot_be_targeted_by_outsiders(office):
    private = call("package_create", office["users"]["editor"],
                   **actor_data(f"p-{office['unique']}", office["org_a"], private=True))
    with pytest.raises(tk.ValidationError):
        call("sca_correction_create", None, kind="correction", package_id=private["id"], message="x")


def test_contact_data_are_purged_after_the_retention_time(office):
    old = call("sca_correction_create", None, kind="suggest_new", message="Neuer Verein",
               contact_email="alt@example.org")
    store.update(old["id"], created=store.now() - datetime.timedelta(days=400))
    fresh = call("sca_correction_create", None, kind="suggest_new", message="Noch ein Verein",
                 contact_email="neu@example.org")
    assert actions.purge_old_contacts() >= 1
    assert store.get(old["id"])["contact_email"] is None
    assert store.get(old["id"])["message"] == "Neuer Verein"
    assert store.get(fresh["id"])["contact_email"] == "neu@example.org"


def test_form_and_moderation_pages(app, office):
    form = app.get(f"/atlas/korrektur?entity={office['actor']['name']}")
    assert office["actor"]["title"] in form.body
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.body).group(1)
    sent = app.post("/atlas/korrektur", data={
        "_csrf_token": token, "kind": "correction", "package_id": office["actor"]["id"],
        "message": "<script>alert(1)</script> Telefonnummer fehlt", "website": ""})
    assert sent.status_code == 200 and "Vielen Dank" in sent.body or "Thank you" in sent.body

    admin_headers = {"Authorization": factories.APIToken(user=office["users"]["admin"]["name"])["token"]}
    page = app.get("/atlas/moderation", headers=admin_headers).body
    assert "Telefonnummer fehlt" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    editor_headers = {"Authorization": factories.APIToken(user=office["users"]["editor"]["name"])["token"]}
    app.get("/atlas/moderation", headers=editor_headers, status=403)
    app.get("/atlas/moderation", status=403)


def test_honeypot_submission_via_form_is_not_stored(app, office):
    form = app.get("/atlas/korrektur")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.body).group(1)
    before = len(store.listing(None, None, 1000, 0))
    app.post("/atlas/korrektur", data={"_csrf_token": token, "kind": "suggest_new", "message": "Spam",
                                       "website": "http://spam.example"})
    assert len(store.listing(None, None, 1000, 0)) == before


def test_the_atlas_offers_to_suggest_a_new_entry(app):
    """Issue 29, item 12: "Eintrag vorschlagen" on /atlas, into the same
    moderated queue as the corrections."""
    atlas = app.get("/atlas", status=200).body
    assert '<a href="/atlas/korrektur">Neuen Eintrag vorschlagen</a>' in atlas
    form = app.get("/atlas/korrektur", status=200).body
    assert re.search(r'id="kind-suggest_new" value="suggest_new"\s+checked', form)
