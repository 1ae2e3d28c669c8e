# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_match``: explained partner suggestions for an actor, a project or
a free-text needs description."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.lists import values
from ckanext.smartcityatlas.common.language import language
from ckanext.smartcityatlas.common.caller import permission_labels
from ckanext.smartcityatlas.common import response_cache
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.matching import profile as profiles
from ckanext.smartcityatlas.matching import schema, scoring
from ckanext.smartcityatlas.capability import Registry

register = Registry()

KINDS = scoring.KINDS
# part of the cache key: bump when results change shape or scoring changes
FORMAT_VERSION = 2


def options_from(data_dict: dict) -> scoring.Options:
    """The ranking options of validated parameters (schema.sca_match)."""
    lat, lon = data_dict.get("lat"), data_dict.get("lon")
    if (lat is None) != (lon is None):
        raise tk.ValidationError({"lat": [tk._("Give both lat and lon.")]})
    return scoring.Options(point=(lon, lat) if lat is not None else None, radius_km=data_dict.get("radius_km"),
                           sectors=values(data_dict, "sectors"), kinds=values(data_dict, "types"),
                           limit=data_dict.get("limit") or 10, same_city=bool(data_dict.get("same_city")))


def match(context: dict, data_dict: dict) -> dict:
    """sca_match without the cache: build the profile, rank."""
    given = [k for k in ("actor_id", "project_id", "q") if data_dict.get(k)]
    if len(given) != 1:
        raise tk.ValidationError({"actor_id": [tk._("Give exactly one of actor_id, project_id or q.")]})
    options = options_from(data_dict)
    if options.radius_km and not options.point and given[0] == "q":
        raise tk.ValidationError({"radius_km": [tk._("A radius needs lat and lon.")]})
    labels = permission_labels(context)
    if given[0] == "q":
        profile = profiles.of_needs(data_dict["q"], labels)
    else:
        expected = "actor" if given[0] == "actor_id" else "project"
        # package_show applies the caller's permissions to the source record
        entity = tk.get_action("package_show")({**context, "ignore_auth": False}, {"id": data_dict[given[0]]})
        if entity.get("type") != expected:
            raise tk.ValidationError({given[0]: [tk._("This is not an entity of type {type}.").format(type=expected)]})
        profile = profiles.of_entity(context, entity, labels)
    if options.radius_km and not options.point:
        options.point = profile.point
    return {"results": scoring.rank(profile, options, labels)}


@register.action
@tk.side_effect_free
@validated(schema.sca_match)
def sca_match(context, data_dict):
    """Actors that fit an actor, a project or a needs description, with the
    reasons for each suggestion.

    :param actor_id: find partners complementing this actor, or
    :param project_id: find actors for this project (its partners are left
        out), or
    :param q: a free-text description of what is needed (at most 5,000
        characters)
    :param lat, lon: a point to measure distance from (default: the actor's
        or project's location); ``radius_km``: only candidates within it
    :param sectors: helix sectors to limit to (comma separated):
        business, science, administration, civil_society
    :param types: actor kinds to limit to (comma separated)
    :param same_city: only candidates of the actor's or project's own city
        (its source city when harvested from another atlas; for ``q`` this
        atlas's city); default: candidates anywhere in the region
    :param limit: number of results, default 10, at most 50
    :returns: ``{"results": [{"id", "name", "title", "type", "actor_kind",
        "helix_sector", "city", "distance_km", "where", "score",
        "explanation": [{"kind", "detail", "weight"}]}]}``; the weights of an
        explanation add up to its score. Kinds: shared_topics,
        matching_terms, shared_partners, same_measure, complementary_sector,
        distance. ``city``: the candidate's city; ``distance_km``: from the
        point (or the project's area) to the candidate, null without
        locations; ``where``: both in a sentence, also for candidates too far
        away for the distance part to count.

    Answers come from the response cache when the same question was asked
    under the same permission labels, language and index state.
    """
    tk.check_access("sca_match", context, data_dict)
    key = response_cache.key("match", data_dict, permission_labels(context), language(), FORMAT_VERSION)
    body = response_cache.get_or_build(
        key, lambda: json.dumps(match(context, data_dict)).encode("utf-8"),
        tk.config.get("ckanext.smartcityatlas.match.cache_seconds"))
    return json.loads(body)
