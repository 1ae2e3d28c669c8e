# SPDX-License-Identifier: AGPL-3.0-or-later
"""Names of the entity types in the CKAN UI ("Akteur anlegen", not
"Create Actor"): CKAN builds them from the type name in English."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def _labels() -> dict[tuple[str, str], str]:
    return {
        ("actor", "singular"): _("Actor"), ("actor", "plural"): _("Actors"),
        ("actor", "create"): _("Create actor"), ("actor", "edit"): _("Edit actor"),
        ("actor", "update"): _("Update actor"), ("actor", "search"): _("Search actors..."),
        ("actor", "none"): _("There are no actors yet."),
        ("project", "singular"): _("Project"), ("project", "plural"): _("Projects"),
        ("project", "create"): _("Create project"), ("project", "edit"): _("Edit project"),
        ("project", "update"): _("Update project"), ("project", "search"): _("Search projects..."),
        ("project", "none"): _("There are no projects yet."),
    }


PURPOSES = {
    "breadcrumb": "plural", "content tab": "plural", "facet label": "plural", "main nav": "plural",
    "page title": "plural", "create label": "create", "create title": "create", "add link": "create",
    "edit label": "edit", "update label": "update", "save label": "update",
    "search placeholder": "search", "no any objects": "none", "form label": "singular",
    "view label": "singular", "name placeholder": "singular",
}


@register.helper
@tk.chained_helper
def humanize_entity_type(next_func, entity_type: str, object_type: str, purpose: str):
    form = PURPOSES.get(purpose)
    if entity_type == "package" and object_type in ("actor", "project") and form:
        return _labels()[(object_type, form)]
    return next_func(entity_type, object_type, purpose)
