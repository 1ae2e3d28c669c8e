# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_shared_actor_merge``: a curator declares an actor harvested from
another atlas the same as an actor this atlas already has, when the
automatic rules (shared_actors.py) missed it. The counterpart of
``sca_shared_actor_split`` (entities/shared.py).

The copy becomes what an automatic match makes of it: private, naming the
actor (``sca_same_as``), with the rule ``curator`` and who decided when.
The source's harvested projects name the actor at once; their field
ownership record learns the new partners, so the next harvest does not take
them for a curator's edit of the project and keeps taking the source's
changes. Every re-harvest keeps the decision (shared_actors.curator_decision).
"""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import allowed, site_context
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.entities.shared import MERGED, curator_mark
from ckanext.smartcityatlas.harvesters import ownership, schema

register = Registry()

# the harvest object extra with the hashes of the harvested fields (base.EXTRA_FIELDS)
FIELD_HASHES = "sca_field_hashes"


@register.auth
def sca_shared_actor_merge(context, data_dict):
    """Whoever may edit the harvested copy: the harvesting office's editors and sysadmins."""
    answer = allowed("package_update", context, {"id": (data_dict or {}).get("id")})
    if not answer["success"]:
        answer["msg"] = tk._("Only editors of the office that harvests the actor may merge it.")
    return answer


@register.helper
def sca_merge_candidates(pkg: dict) -> list[dict]:
    """The actors a harvested actor may be declared the same as, for the
    curator's select on its page: what the merge accepts (public, active,
    no copy itself, not from the same source), by title, with the city of a
    harvested one. ``[{"id", "title", "city"}]``."""
    rows = model.Session.execute(sa.text(
        "SELECT id, title, extras->>'sca_source_city' FROM package "
        "WHERE type = 'actor' AND state = 'active' AND NOT private AND id <> :id "
        "AND COALESCE(extras->>'sca_same_as', '') = '' "
        "AND COALESCE(extras->>'sca_harvest_source', '') <> :source "
        "ORDER BY lower(title), id"), {"id": pkg.get("id") or "", "source": pkg.get("sca_harvest_source") or ""})
    return [{"id": actor_id, "title": title or actor_id, "city": city or ""} for actor_id, title, city in rows]


def _refused(field: str, message: str):
    raise tk.ValidationError({field: [message]})


def _check(copy: model.Package, target: model.Package | None) -> None:
    """The refusals, each a ValidationError (409) naming the field."""
    extras = copy.extras or {}
    if copy.type != "actor":
        _refused("id", tk._("Only an actor can be merged; this is a {kind}.").format(kind=copy.type))
    if not extras.get("sca_source_atlas") or not extras.get("sca_harvest_source"):
        _refused("id", tk._("Only an actor harvested from another atlas can be merged with an actor of this atlas."))
    if extras.get("sca_same_as"):
        _refused("id", tk._("This actor is already marked as the same as another actor; split it first."))
    if target is None or target.state != "active":
        _refused("same_as", tk._("There is no actor with this id or name."))
    if target.id == copy.id:
        _refused("same_as", tk._("An actor cannot be merged with itself."))
    if target.type != "actor":
        _refused("same_as", tk._("An actor can only be merged with an actor; this is a {kind}.").format(
            kind=target.type))
    target_extras = target.extras or {}
    if target_extras.get("sca_same_as"):
        _refused("same_as", tk._("This actor is itself a copy of another actor; name that actor."))
    if target_extras.get("sca_harvest_source") == extras.get("sca_harvest_source"):
        _refused("same_as", tk._("Both actors come from the same source; an atlas lists an actor once."))
    if target.private:
        _refused("same_as", tk._("Only a public actor can stand for a harvested one."))


def _projects_naming(copy: model.Package) -> list[str]:
    """The active projects of the copy's harvest source with the copy as a partner."""
    rows = model.Session.execute(sa.text(
        "SELECT id FROM package WHERE type = 'project' AND state = 'active' "
        "AND extras->>'sca_harvest_source' = :source AND extras->>'partners' LIKE :pattern ORDER BY id"),
        {"source": (copy.extras or {}).get("sca_harvest_source"), "pattern": f"%{copy.id}%"})
    return [r[0] for r in rows]


def _record_harvested_partners(project: dict) -> None:
    """The current harvest object of the project learns its new partners as harvested."""
    from ckanext.harvest.model import HarvestObject

    obj = model.Session.query(HarvestObject).filter(HarvestObject.package_id == project["id"]) \
        .filter(HarvestObject.current == True).first()  # noqa: E712
    extra = None if obj is None else next((e for e in obj.extras if e.key == FIELD_HASHES), None)
    if extra is None:
        return
    hashes = json.loads(extra.value or "{}")
    if "partners" in hashes:
        hashes["partners"] = ownership.field_hash("partners", project.get("partners"))
        extra.value = json.dumps(hashes, sort_keys=True)
        model.Session.add(extra)


def _rename_partner(copy_id: str, target_id: str) -> None:
    copy = model.Package.get(copy_id)
    for project_id in _projects_naming(copy):
        project = tk.get_action("package_show")({"ignore_auth": True, "use_cache": False}, {"id": project_id})
        partners = [dict(p, actor=target_id) if isinstance(p, dict) and p.get("actor") == copy_id else p
                    for p in project.get("partners") or []]
        if partners == project.get("partners"):
            continue
        saved = tk.get_action("package_patch")(site_context(), {"id": project_id, "partners": partners})
        _record_harvested_partners(saved)
    model.Session.commit()


@register.action
@validated(schema.sca_shared_actor_merge)
def sca_shared_actor_merge(context, data_dict):
    """Declare a harvested actor the same as an actor this atlas already has
    (a match the automatic rules missed): the copy becomes private and names
    the actor, the source's projects name the actor, and re-harvests keep it.

    :param id: id or name of the harvested actor (from another atlas)
    :param same_as: id or name of the public actor it is the same as
    :returns: the harvested copy as package_show returns it
    """
    ref = data_dict["id"]
    copy = model.Package.get(ref)
    if copy is None or copy.state != "active":
        raise tk.ObjectNotFound(tk._("No actor with id or name '{ref}'.").format(ref=ref))
    tk.check_access("sca_shared_actor_merge", context, {"id": copy.id})
    target = model.Package.get(data_dict["same_as"])
    _check(copy, target)
    try:
        tk.check_access("package_show", dict(context), {"id": target.id})
    except tk.NotAuthorized:
        _refused("same_as", tk._("There is no actor with this id or name."))
    # the harvest's own fields: written as the site, as the harvester writes them
    merged = tk.get_action("package_patch")(site_context(), {
        "id": copy.id, "sca_same_as": target.id, "sca_same_as_rule": MERGED, "private": True,
        **curator_mark(context)})
    _rename_partner(copy.id, target.id)
    return merged
