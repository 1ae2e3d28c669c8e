# SPDX-License-Identifier: AGPL-3.0-or-later
"""Records from another atlas (harvester ``sca_atlas``, docs/exchange-format.md):
their provenance on the page, and the same actor in several atlases.

A harvested actor this atlas already has is kept as a private copy that
names the existing actor (``sca_same_as``) and the rule that matched
(``sca_same_as_rule``); the existing actor's page lists the atlases it is
also in. ``sca_shared_actor_split`` undoes a wrong match: the copy becomes a
public actor of its own and is never matched again; the next harvest of its
source names it, not the existing actor, in the source's projects. Its
counterpart ``sca_shared_actor_merge`` (harvesters/actor_merge.py) declares
a match the rules missed.
"""
from __future__ import annotations

import datetime
import json

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.caller import site_context
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.entities import schema

register = Registry()

# the rules of a curator's decision, kept by every re-harvest (harvesters/shared_actors.py reads them):
# a copy split off, and a copy merged with an actor the automatic rules missed (sca_shared_actor_merge)
SPLIT = "split by a curator"
MERGED = "curator"


def curator_mark(context: dict) -> dict:
    """Who decided and when: the user's id (no name on a record that may
    become public; the activity stream names them) and the time in UTC."""
    user = model.User.get(context.get("user") or "")
    return {"sca_same_as_by": user.id if user else "",
            "sca_same_as_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()}


def index_city(pkg_dict: dict) -> dict:
    """before_dataset_index: the entry's city (``sca_city``, the atlas's city
    facet): the source city of a harvested entry, else this atlas's city."""
    if (pkg_dict.get("dataset_type") or pkg_dict.get("type")) not in ("actor", "project"):
        return pkg_dict
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    settings = city_config.current().settings
    pkg_dict["sca_city"] = [data.get("sca_source_city") or settings.get("title") or settings["name"]]
    return pkg_dict


@register.helper
def sca_entity_provenance(pkg: dict) -> dict | None:
    """``{"atlas", "city", "page"}`` of a record harvested from another atlas, else None."""
    city = pkg.get("sca_source_city")
    if not city:
        return None
    return {"atlas": pkg.get("sca_source_atlas") or "", "city": city, "page": pkg.get("sca_source_page") or ""}


@register.helper
def sca_shared_actor_copies(pkg: dict) -> list[dict]:
    """The atlases an actor is also in: ``[{"id", "city", "page", "rule"}]`` of its harvested copies
    (the id for a curator's "Split off"; the page shows it only to those allowed to split)."""
    if pkg.get("type") != "actor" or not pkg.get("id"):
        return []
    rows = model.Session.execute(sa.text(
        "SELECT id, extras->>'sca_source_city', extras->>'sca_source_page', extras->>'sca_same_as_rule' "
        "FROM package WHERE type = 'actor' AND state = 'active' AND extras->>'sca_same_as' = :id "
        "ORDER BY extras->>'sca_source_city', id"), {"id": pkg["id"]})
    return [{"id": copy_id, "city": city or "", "page": page or "", "rule": rule or ""}
            for copy_id, city, page, rule in rows]


def _rule_labels() -> dict[str, str]:
    # the labels harvesters/shared_actors.py writes before ": value" (stored in English, shown translated)
    return {"registry id": tk._("registry id"), "website domain": tk._("website domain"),
            "e-mail domain": tk._("e-mail domain"), "name and postal code": tk._("name and postal code")}


@register.helper
def sca_shared_actor_rule(rule: str) -> str:
    """The rule that recognised a shared actor, in the page's language."""
    if rule == MERGED:
        return tk._("a curator's decision")
    label, sep, value = (rule or "").partition(": ")
    translated = _rule_labels().get(label)
    return f"{translated}: {value}" if sep and translated else rule or ""


@register.auth
def sca_shared_actor_split(context, data_dict):
    """Whoever may edit the harvested copy (its office's editors, sysadmins),
    and whoever may edit the actor it is shown under: an office can undo a
    match that another office's harvest or curator put on its actor."""
    ref = data_dict.get("id")
    copy = model.Package.get(ref) if isinstance(ref, str) and ref else None
    shown_under = ((copy.extras or {}).get("sca_same_as") if copy is not None else None) or None
    for ref in (ref, shown_under):
        if not ref:
            continue
        try:
            tk.check_access("package_update", dict(context), {"id": ref})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
        return {"success": True}
    return {"success": False, "msg": tk._("Only editors of the office that harvests the actor, or of the office "
                                          "whose actor it is shown under, may split it.")}


@register.action
@validated(schema.sca_shared_actor_split)
def sca_shared_actor_split(context, data_dict):
    """Undo the match of a harvested actor with an actor this atlas already
    has: the copy becomes a public actor of its own, never matched again.

    :param id: id or name of the harvested copy (the actor with ``sca_same_as``)
    :returns: the copy as package_show returns it
    """
    ref = data_dict["id"]
    copy = model.Package.get(ref)
    if copy is None or copy.type != "actor" or copy.state != "active":
        raise tk.ObjectNotFound(tk._("No actor with id or name '{ref}'.").format(ref=ref))
    tk.check_access("sca_shared_actor_split", context, {"id": copy.id})
    if not (copy.extras or {}).get("sca_same_as"):
        raise tk.ValidationError({"id": [tk._("This actor is not marked as the same as another actor.")]})
    # the harvest's own fields: written as the site, as the harvester writes them
    return tk.get_action("package_patch")(site_context(), {
        "id": copy.id, "sca_same_as": "", "sca_same_as_rule": SPLIT, "private": False, **curator_mark(context)})
