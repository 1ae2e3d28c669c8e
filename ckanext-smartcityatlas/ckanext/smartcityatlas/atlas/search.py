# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_search``: entity search with the atlas's facets and filters.

A thin layer over ``package_search``, so permissions are exactly those of
``package_search`` (private records absent from results, counts and
facets). Callers never pass Solr syntax: filters come from named parameters
whose values are quoted and escaped here, and the free text is reduced to
plain words, so field queries, local parameters and operators cannot reach
Solr.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckan.lib.search.common import SearchError

from ckanext.smartcityatlas.atlas import schema
from ckanext.smartcityatlas.entities.coverage import INDEX_FIELD, covers_a_city
from ckanext.smartcityatlas.common.lists import values
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()

# parameter → index field (multi-valued where the entity has lists)
FILTERS = {
    "entity_type": "dataset_type",
    "actor_kind": "actor_kind",
    "helix_sector": "helix_sector",
    "theme": "sca_themes",
    "topic": "sca_topics",
    "field_of_action": "sca_fields_of_action",
    "sdg": "sca_sdgs",
    "district": "sca_district_names",
    "district_group": "sca_district_groups",
    "status": "status",
    "project_kind": "project_kind",
    "partner": "sca_partner_ids",
    "measure": "sca_measure_ids",
    "organization": "organization",
    "funding": "sca_funding_programmes",
    "budget": "sca_budget_class",
    # the entry's city: a regional atlas holds several (entities/shared.py)
    "city": "sca_city",
}
FACETS = ["dataset_type", "sca_city", "organization", "actor_kind", "helix_sector", "sca_themes", "sca_topics", "sca_sdgs",
          "sca_district_names", "sca_district_groups", "status", "project_kind", "sca_funding_programmes",
          "sca_budget_class"]
ENTITY_TYPES = ("actor", "project", "dataset")
RESULT_FIELDS = ("id", "name", "title", "type", "actor_kind", "helix_sector", "project_kind", "status",
                 "topics", "themes", "sca_districts", "spatial", "location_coarsened")
# CKAN's fields (German analysis; "text" also holds the English translations)
# and the English translations with English analysis, so an English query
# finds English texts in its word forms too ("cities" and "city")
QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text title_en^4 summary_en^2 description_en"
_SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/=\']')


def plain_words(text: str) -> str:
    """Free text as plain words: operator characters become spaces, so no
    field query, local parameter, wildcard or boolean syntax survives (and,
    without ':', CKAN searches it with dismax over the text field)."""
    words = _SPECIAL.sub(" ", text).split()
    # Lucene reads upper-case AND/OR/NOT as operators; as words they are harmless
    return " ".join(w.lower() if w in ("AND", "OR", "NOT") else w for w in words)


def _quoted(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


SPATIAL_PARAMS = ("bbox", "lat", "lon", "radius_km")
# local: entries with a place; citywide: entries for the whole city or many
# districts (entities/coverage.py). A map-area or radius search is local.
SCOPES = ("local", "citywide")


# filters naming records; one the caller may not read matches as nothing does
REFERENCE_FILTERS = ("partner", "measure")
NOTHING = "-"  # no record has this id


def _readable(context: dict, key: str, ids: list[str]) -> list[str]:
    """``ids`` with the records the caller may not read replaced by one
    that does not exist: filtering a public project by a private partner's
    id must not tell that the project names it (as "not found" says nothing)."""
    from ckanext.smartcityatlas.entities import reference_privacy

    if key not in REFERENCE_FILTERS:
        return ids
    cut = reference_privacy.hidden(context, ids)
    return [NOTHING if v in cut else v for v in ids]


def build_query(context: dict, data_dict: dict, extra_params: tuple[str, ...] = ()) -> dict:
    """Validated filters of ``data_dict`` as ``package_search`` parameters
    (``q``, ``fq``, ``extras``) for the caller of ``context``; shared by
    sca_search, the GeoJSON, the network and the exports."""
    unknown = set(data_dict) - set(FILTERS) - {"q", "scope", *SPATIAL_PARAMS, *extra_params}
    if unknown:
        raise tk.ValidationError({k: [_("Unknown parameter.")] for k in sorted(unknown)})
    types = values(data_dict, "entity_type") or ["actor", "project"]
    if not set(types) <= set(ENTITY_TYPES):
        raise tk.ValidationError({"entity_type": [_("Unknown entity type.")]})
    fq = []
    for key, field in FILTERS.items():
        chosen = types if key == "entity_type" else _readable(context, key, values(data_dict, key))
        if not chosen:
            continue
        any_of = "(" + " OR ".join(_quoted(v) for v in chosen) + ")"
        if key == "measure":
            # the measure itself, its projects (part of it) and its actors
            # (partners of it or of its projects)
            fq.append(f"+(sca_measure_ids:{any_of} OR sca_measure_id:{any_of} OR id:{any_of})")
        else:
            fq.append(f"+{field}:{any_of}")
    fq += scope_filter(data_dict)
    extras = {}
    if data_dict.get("bbox"):
        extras["ext_bbox"] = str(data_dict["bbox"])
    for key in ("lat", "lon", "radius_km"):
        if data_dict.get(key) not in (None, ""):
            extras[f"ext_{key}"] = data_dict[key]
    text = plain_words(str(data_dict.get("q") or ""))
    query = {"q": text or "*:*", "fq": " ".join(fq), "extras": extras}
    if text:
        query["qf"] = QUERY_FIELDS
    return query


def is_area_search(data_dict: dict) -> bool:
    return bool(data_dict.get("bbox")) or data_dict.get("radius_km") not in (None, "")


def scope_filter(data_dict: dict) -> list[str]:
    """City-wide entries have no place: a search by map area or radius
    leaves them out unless ``scope=citywide`` asks for them."""
    scope = data_dict.get("scope") or ("local" if is_area_search(data_dict) else None)
    if scope not in (None, *SCOPES):
        raise tk.ValidationError({"scope": [_("Unknown scope.")]})
    if scope == "citywide":
        return [f"+{INDEX_FIELD}:true"]
    return [f"-{INDEX_FIELD}:true"] if scope == "local" else []


@register.action
@tk.side_effect_free
@validated(schema.sca_search)
def sca_search(context, data_dict):
    """Search actors and projects (optionally datasets) with facets.

    :param q: free text (German analysis); operators and field syntax are
        searched as plain words
    :param entity_type, actor_kind, helix_sector, theme, topic,
        field_of_action, sdg, district, district_group, status, project_kind,
        partner (actor id), measure (measure id: the measure, its projects
        and their actors): filters; several values
        separated by commas (or a list) mean "any of"; several filters mean "all"
    :param bbox: ``minx,miny,maxx,maxy``; ``lat``, ``lon``, ``radius_km``: radius search
        (both leave out city-wide entries unless ``scope=citywide``)
    :param scope: ``local`` (entries with a place) or ``citywide`` (entries
        covering at least ``ckanext.smartcityatlas.atlas.citywide_share`` of
        the districts); default: both, local only for area searches
    :param rows: default 20, at most 100; ``start``: offset, at most 100,000
    :returns: ``{"count", "results", "facets", "search_facets"}``; each
        result says whether it is ``citywide``
    """
    tk.check_access("sca_search", context, data_dict)
    query = build_query(context, data_dict, extra_params=("rows", "start"))
    try:
        result = tk.get_action("package_search")({**context, "ignore_auth": False}, {
            **query,
            "facet.field": FACETS,
            "facet.limit": 50,
            "rows": data_dict["rows"],
            "start": data_dict["start"],
            "include_private": True,
        })
    except SearchError as e:  # e.g. ckanext-spatial's "Wrong bounding box provided"
        raise tk.ValidationError({"search": [str(e)]}) from None
    results = [{k: r.get(k) for k in RESULT_FIELDS if k in r} for r in result["results"]]
    for r in results:
        r["citywide"] = covers_a_city(r.get("sca_districts") or [])
    return {"count": result["count"], "results": results, "facets": result["facets"],
            "search_facets": result["search_facets"]}
