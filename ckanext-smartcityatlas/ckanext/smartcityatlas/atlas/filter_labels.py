# SPDX-License-Identifier: AGPL-3.0-or-later
"""Labels of the atlas' filter values and publishers in the page language
(pages, the network table and the CSV export)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.entities.choices import choice_labels

# filter parameters whose values are codes with labels in the schemas
CHOICE_FIELDS = {"helix_sector": "helix_sector", "actor_kind": "actor_kind", "project_kind": "project_kind",
                 "topic": "topics", "theme": "themes", "status": "status", "sdg": "sdgs"}


def labels_for(param: str) -> dict[str, str]:
    if param in CHOICE_FIELDS:
        return choice_labels(CHOICE_FIELDS[param])
    if param == "budget":
        from ckanext.smartcityatlas.atlas.funding import budget_labels

        return budget_labels()
    if param == "entity_type":
        return {"actor": tk._("Actor"), "project": tk._("Project"), "dataset": tk._("Dataset")}
    return {}


def organization_titles(names) -> dict[str, str]:
    if not names:
        return {}
    from ckan import model

    rows = model.Session.query(model.Group.name, model.Group.title).filter(model.Group.name.in_(list(names))).all()
    return {name: title for name, title in rows}
