# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actors and projects: their action data, places in Dresden, actions called as a user."""
import json

from ckan.tests import helpers

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
