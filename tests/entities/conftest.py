# SPDX-License-Identifier: AGPL-3.0-or-later
import json

import pytest

from ckan.tests import factories, helpers

ALTMARKT = {"type": "Point", "coordinates": [13.7383, 51.0504]}
WEIXDORF = {"type": "Point", "coordinates": [13.7900, 51.1480]}


def call(action, user=None, **data):
    """Call an action as user (None = anonymous) with real authorization."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def actor_data(unique, org, **extra):
    data = {
        "type": "actor", "name": f"actor-{unique}", "title": f"Akteur {unique}",
        "notes": "Forschung zu smarten Energiesystemen.", "owner_org": org["id"],
        "actor_kind": "research_institute", "helix_sector": "science",
        "topics": ["energy"], "spatial": json.dumps(ALTMARKT), "location_source": "address",
    }
    data.update(extra)
    return data


def project_data(unique, org, **extra):
    data = {
        "type": "project", "name": f"projekt-{unique}", "title": f"Projekt {unique}",
        "notes": "Ein Projekt im Quartier.", "owner_org": org["id"],
        "project_kind": "project", "status": "running", "topics": ["energy"],
    }
    data.update(extra)
    return data


@pytest.fixture
def world(unique):
    """Two offices (A owns the entities, B is another office) and one user per role."""
    users = {role: factories.User() for role in ("member", "editor", "admin", "other_editor")}
    sysadmin = factories.Sysadmin()
    org_a = factories.Organization(users=[
        {"name": users["member"]["name"], "capacity": "member"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["admin"]["name"], "capacity": "admin"},
    ])
    org_b = factories.Organization(users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    users["sysadmin"] = sysadmin
    users["anonymous"] = None
    return {"org_a": org_a, "org_b": org_b, "users": users, "unique": unique}
