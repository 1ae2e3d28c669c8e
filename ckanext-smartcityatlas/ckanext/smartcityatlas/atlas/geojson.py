# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoJSON of the atlas entities for the map.

Every actor and project with a location is indexed with one display point
(``sca_point``: the point itself, or a point inside an area; the district
point for actors shown at district level). The map reads the points
straight from Solr with the filters of ``sca_search`` and the caller's
permission labels, so a private record can never reach a map it may not be
shown on. Feature properties are what a popup needs — never contact data.
"""
from __future__ import annotations

import gzip

import json

from ckan.lib.search import query_for
from ckan.lib.search.common import SearchError
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.lists import values
from ckanext.smartcityatlas.common.caller import permission_labels
from ckanext.smartcityatlas.atlas import schema, search
from ckanext.smartcityatlas.entities import locations
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()

POINT_FIELD = "sca_point"
ENTITY_TYPES = ("actor", "project")
# Solr fields → feature properties
PROPERTY_FIELDS = {
    "id": "id", "name": "name", "title": "title", "dataset_type": "type",
    "extras_actor_kind": "actor_kind", "extras_helix_sector": "helix_sector",
    "extras_project_kind": "project_kind", "extras_status": "status", "sca_district_names": "districts", "sca_topics": "topics",
    "sca_location_coarsened": "location_coarsened",
}
FIELD_LIST = " ".join([POINT_FIELD, *PROPERTY_FIELDS])


def index_point(pkg_dict: dict) -> dict:
    """before_dataset_index (after the privacy hook): the entity's display point."""
    if (pkg_dict.get("dataset_type") or pkg_dict.get("type")) not in ENTITY_TYPES:
        return pkg_dict
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    point = locations.display_point(data.get("spatial"))
    if point is not None:
        pkg_dict[POINT_FIELD] = [f"{point[0]:.6f},{point[1]:.6f}"]
    if data.get("location_coarsened"):
        pkg_dict["sca_location_coarsened"] = ["true"]
    return pkg_dict


def solr_query(context: dict, data_dict: dict) -> dict:
    """The Solr query of the map: the filters of sca_search plus the spatial
    filters the search plugins add (ckanext-spatial's bbox, our radius)."""
    query = search.build_query(context, data_dict)
    if set(values(data_dict, "entity_type")) - set(ENTITY_TYPES):
        raise tk.ValidationError({"entity_type": [tk._("The map shows actors and projects only.")]})
    try:
        for plugin in p.PluginImplementations(p.IPackageController):
            query = plugin.before_dataset_search(query)
    except SearchError as e:  # e.g. a malformed bbox or radius
        raise tk.ValidationError({"search": [str(e)]}) from None
    # local-parameter filters (bbox, radius) must stay separate fq parameters
    return {"q": query["q"], "fq": " ".join(f for f in (query.get("fq"), f"+{POINT_FIELD}:[* TO *]") if f),
            "fq_list": list(query.get("fq_list", []))}


def max_features() -> int:
    return tk.config.get("ckanext.smartcityatlas.geojson.max_features")


def feature_collection(context: dict, data_dict: dict, labels: list[str] | None) -> dict:
    """All matching georeferenced entities the labels (of the caller of
    ``context``) may see, up to the cap."""
    query = solr_query(context, data_dict)
    cap = max_features()
    params = {**query, "fl": FIELD_LIST, "rows": cap, "facet": "false",
              "sort": "score desc, id asc" if query["q"] != "*:*" else "id asc"}
    try:
        result = query_for("package").run(params, permission_labels=labels)
    except SearchError as e:
        raise tk.ValidationError({"search": [str(e)]}) from None
    # url_for per feature would cost more than the whole Solr query
    url_prefix = {t: tk.url_for(f"{t}.read", id="__name__").replace("__name__", "") for t in ENTITY_TYPES}
    features = [_feature(doc, url_prefix) for doc in result["results"]]
    collection = {"type": "FeatureCollection", "features": features}
    if result["count"] > len(features):
        # foreign members (RFC 7946 §6.1): the map says "showing N of M"
        collection["total"] = result["count"]
        collection["truncated"] = True
    return collection


def _feature(doc: dict, url_prefix: dict) -> dict:
    lon, lat = (float(v) for v in doc[POINT_FIELD][0].split(","))
    props = {}
    extras = doc.get("extras") or {}  # package_search's query moves extras_* there
    for field, prop in PROPERTY_FIELDS.items():
        value = extras.get(field[len("extras_"):]) if field.startswith("extras_") else doc.get(field)
        if value in (None, [], ""):
            continue
        props[prop] = value == ["true"] if prop == "location_coarsened" else value
    props["url"] = url_prefix[props["type"]] + props["name"]
    return {"type": "Feature", "id": props["id"], "properties": props,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


@register.action
@tk.side_effect_free
@validated(schema.sca_geojson)
def sca_geojson(context, data_dict):
    """Georeferenced actors and projects as a GeoJSON FeatureCollection.

    Same filters as ``sca_search`` (``q``, ``entity_type`` (actor, project),
    ``actor_kind``, ``helix_sector``, ``theme``, ``topic``, ``district``, …,
    ``bbox``, ``lat``/``lon``/``radius_km``). Without filters: every
    georeferenced entity the caller may see, up to
    ``ckanext.smartcityatlas.geojson.max_features`` (then ``truncated`` is
    true and ``total`` the full count). Properties: id, name, title,
    type, kinds, sector, status, districts, topics, url.
    """
    tk.check_access("sca_geojson", context, data_dict)
    return feature_collection(context, dict(data_dict), permission_labels(context))


def gzipped_collection(context: dict, params: dict, labels: list[str] | None) -> bytes:
    """The FeatureCollection as gzipped JSON (what the response cache keeps)."""
    collection = feature_collection(context, params, labels)
    return gzip.compress(json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                         compresslevel=6, mtime=0)
