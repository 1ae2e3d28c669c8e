# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read actions on entity relations (``GET /api/3/action/...`` works)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.entities import relations, schema
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def _entity(context, data_dict, expected_type: str) -> dict:
    ref = tk.get_or_bust(data_dict, "id")
    tk.check_access("package_show", dict(context), {"id": ref})
    entity = tk.get_action("package_show")(dict(context), {"id": ref})
    if entity.get("type") != expected_type:
        raise tk.ObjectNotFound(tk._("No {kind} with id or name '{ref}'.").format(kind=expected_type, ref=ref))
    return entity


@register.action
@tk.side_effect_free
@validated(schema.sca_actor_projects)
def sca_actor_projects(context, data_dict):
    """The projects an actor is a partner of, with its roles.

    :param id: the actor's id or name
    :returns: ``{"count", "results": [{"id", "name", "title", "project_kind",
        "status", "roles"}]}``; only projects the caller may see.
    """
    tk.check_access("sca_actor_projects", context, data_dict)
    actor = _entity(context, data_dict, "actor")
    found = tk.get_action("package_search")(
        {**context, "ignore_auth": False},
        {"fq": f'+dataset_type:project +sca_partner_ids:"{actor["id"]}"', "include_private": True,
         "rows": 1000, "sort": "title_string asc"},
    )["results"]
    results = []
    for project in found:
        roles = sorted({p.get("role") for p in relations.partners_of(project) if p.get("actor") == actor["id"]})
        results.append({
            "id": project["id"], "name": project["name"], "title": project["title"],
            "project_kind": project.get("project_kind"), "status": project.get("status"), "roles": roles,
        })
    return {"count": len(results), "results": results}


@register.action
@tk.side_effect_free
@validated(schema.sca_project_actors)
def sca_project_actors(context, data_dict):
    """A project's partners with their roles, and the measure it belongs to.

    :param id: the project's id or name
    :returns: ``{"count", "results": [{"id", "name", "title", "role", "in_atlas"}],
        "part_of": {"id", "name", "title"} or None, "related_datasets": [{"id", "name", "title"}]}``. Partners that are not in
        the atlas come with ``in_atlas: false`` and their free-text name; actors
        the caller may not see (private, deleted) are left out entirely.
    """
    tk.check_access("sca_project_actors", context, data_dict)
    project = _entity(context, data_dict, "project")
    partners = relations.partners_of(project)
    referenced = [p["actor"] for p in partners if p.get("actor")]
    if project.get("part_of"):
        referenced.append(project["part_of"])
    visible = relations.visible_ids(context, referenced)
    results = []
    for partner in partners:
        actor_id = partner.get("actor")
        if actor_id:
            actor = visible.get(actor_id)
            if actor is None or actor.get("dataset_type") != "actor":
                continue
            results.append({"id": actor["id"], "name": actor["name"], "title": actor["title"],
                            "role": partner.get("role"), "in_atlas": True})
        elif partner.get("name"):
            results.append({"id": None, "name": None, "title": partner["name"],
                            "role": partner.get("role"), "in_atlas": False})
    measure = visible.get(project.get("part_of") or "")
    part_of = {k: measure[k] for k in ("id", "name", "title")} if measure else None
    datasets = [{"id": d["id"], "name": d["name"], "title": d["title"]}
                for d in relations.visible_datasets(context, as_list(project.get("related_datasets")))]
    return {"count": len(results), "results": results, "part_of": part_of, "related_datasets": datasets}
