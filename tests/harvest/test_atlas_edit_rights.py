# SPDX-License-Identifier: AGPL-3.0-or-later
"""A second city's own entries stay editable only by its offices: records
harvested from another atlas (``sca_atlas``) live in the harvest source's
organisation, so the local city's office editors and admins can neither
change nor delete them (API and edit form) — only sysadmins and the harvest
(the site user) can — while they can still name them as partners."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.common.caller import site_context
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]
MUSTERSTADT = "Musterstadt an der Elbe"
PROVENANCE = {"sca_source_city": MUSTERSTADT, "sca_source_atlas": f"Smart City Atlas {MUSTERSTADT}",
              "sca_original_uri": "https://atlas.musterstadt.example/actor/a2-stadtwerke",
              "sca_source_page": "https://atlas.musterstadt.example/actor/a2-stadtwerke"}


@pytest.fixture
def offices(unique):
    """Dresden's office (an editor and an admin) and the organisation the
    sca_atlas source harvests Musterstadt's entries into."""
    editor, admin = factories.User(), factories.User()
    local = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"},
                                          {"name": admin["name"], "capacity": "admin"}])
    harvest_org = factories.Organization(name=f"smart-city-musterstadt-{unique}")
    # written as the harvest writes it: the site user
    remote = tk.get_action("package_create")(site_context(), actor_data(
        f"ms-{unique}", harvest_org, title="Stadtwerke Musterstadt", **PROVENANCE,
        spatial=json.dumps({"type": "Point", "coordinates": [13.4810, 51.1660]})))
    return {"editor": editor, "admin": admin, "local": local, "remote": remote, "unique": unique}


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_local_office_users_cannot_change_or_delete_harvested_entries(app, offices, role):
    user, remote = offices[role], offices["remote"]
    for action, data in (("package_update", {**remote, "title": "Umbenannt"}),
                         ("package_patch", {"id": remote["id"], "title": "Umbenannt"}),
                         ("package_delete", {"id": remote["id"]})):
        with pytest.raises(tk.NotAuthorized):
            call(action, user, **data)
    response = app.get(f"/actor/edit/{remote['name']}", extra_environ={"REMOTE_USER": user["name"]})
    assert response.status_code == 403
    page = app.get(f"/actor/{remote['name']}", extra_environ={"REMOTE_USER": user["name"]}).get_data(as_text=True)
    assert f"/actor/edit/{remote['name']}" not in page
    assert call("package_show", None, id=remote["id"])["title"] == "Stadtwerke Musterstadt"


def test_sysadmins_and_the_harvest_still_can(offices):
    remote = offices["remote"]
    assert call("package_patch", factories.Sysadmin(), id=remote["id"], notes="Geprüft.")["notes"] == "Geprüft."
    again = tk.get_action("package_patch")(site_context(), {"id": remote["id"], "title": "Stadtwerke Musterstadt GmbH"})
    assert again["title"] == "Stadtwerke Musterstadt GmbH" and again["sca_source_city"] == MUSTERSTADT


def test_local_editors_can_name_harvested_entries_as_partners(offices):
    remote = offices["remote"]
    project = call("package_create", offices["editor"], **project_data(
        f"dd-{offices['unique']}", offices["local"], partners=[{"actor": remote["name"], "role": "partner"}]))
    assert [p["actor"] for p in project["partners"]] == [remote["id"]]
    listed = call("sca_actor_projects", None, id=remote["id"])
    assert project["id"] in [p["id"] for p in listed["results"]]
    # linking left the harvested record as the source sent it
    assert call("package_show", None, id=remote["id"])["metadata_modified"] == remote["metadata_modified"]
