# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoJSON of the atlas entities for the map.

Every actor and project with a location is indexed with one display point
(``sca_point``: the point itself, or a point inside an area; the district
point for actors shown at district level). The map reads the points
straight from Solr with the filters of ``sca_search`` and the caller's
permission labels, so a private record can never reach a map it may not be
shown on. Feature properties are what a popup needs — never contact data.

Fast, also when nothing is cached: each feature's JSON is written into the
index when its entity is saved (``sca_map_feature``, a docValues-only field,
so Solr answers without decompressing the stored documents), and the map
joins the features of a query without decoding them. Documents indexed
before the field existed are built from their stored fields.
"""
from __future__ import annotations

import gzip
import json
import logging

import pysolr
import requests
from ckan.lib.search import query_for
from ckan.lib.search.common import SearchError, make_connection
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.lists import values
from ckanext.smartcityatlas.common.caller import permission_labels
from ckanext.smartcityatlas.atlas import schema, search
from ckanext.smartcityatlas.entities import coverage, locations
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()
log = logging.getLogger(__name__)

POINT_FIELD = "sca_point"
ENTITY_TYPES = ("actor", "project")
# Solr fields → feature properties
PROPERTY_FIELDS = {
    "id": "id", "name": "name", "title": "title", "dataset_type": "type",
    "extras_actor_kind": "actor_kind", "extras_helix_sector": "helix_sector",
    "extras_project_kind": "project_kind", "extras_status": "status", "sca_district_names": "districts", "sca_topics": "topics",
    "sca_location_coarsened": "location_coarsened",
    # harvested from another atlas (sca_atlas): the popup says from which city
    "extras_sca_source_city": "source_city",
}
# gzip level of the cached body: 6 takes twice as long as 3 for 13 % less
GZIP_LEVEL = 3
FIELD_LIST = " ".join([POINT_FIELD, *PROPERTY_FIELDS])
# the feature as JSON (deploy/solr schema.xml: docValues only, at most 32766 bytes)
FEATURE_FIELD = "sca_map_feature"
MAX_FEATURE_BYTES = 32000
# the page of an entity as stored in the feature; the site's own prefix is put in when served
STORED_URL_PREFIX = {t: f"/{t}/" for t in ENTITY_TYPES}


def index_point(pkg_dict: dict) -> dict:
    """before_dataset_index (after the privacy hook): the entity's display
    point, and its feature as the map serves it."""
    if (pkg_dict.get("dataset_type") or pkg_dict.get("type")) not in ENTITY_TYPES:
        return pkg_dict
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    point = locations.display_point(data.get("spatial"))
    if point is not None:
        pkg_dict[POINT_FIELD] = [f"{point[0]:.6f},{point[1]:.6f}"]
    if data.get("location_coarsened"):
        pkg_dict["sca_location_coarsened"] = ["true"]
    if point is not None:
        feature = _dumps(_feature(_as_stored(pkg_dict), STORED_URL_PREFIX))
        if len(feature.encode("utf-8")) <= MAX_FEATURE_BYTES:  # else built from the stored fields
            pkg_dict[FEATURE_FIELD] = feature
    return pkg_dict


def _as_stored(pkg_dict: dict) -> dict:
    """The fields of the feature as a query returns them from Solr: single
    values as strings, multi-valued (sca_*) ones as lists, extras_* under extras."""
    doc: dict = {"extras": {}}
    for field in (POINT_FIELD, *PROPERTY_FIELDS):
        value = pkg_dict.get(field)
        if value in (None, [], ""):
            continue
        if field.startswith("sca_"):
            value = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
        elif not isinstance(value, str):
            value = str(value)
        if field.startswith("extras_"):
            doc["extras"][field[len("extras_"):]] = value
        else:
            doc[field] = value
    return doc


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
    # city-wide entries are no points (entities/coverage.py): listed beside the map
    points = f"+{POINT_FIELD}:[* TO *] -{coverage.INDEX_FIELD}:true"
    solr = {"q": query["q"], "fq": " ".join(f for f in (query.get("fq"), points) if f),
            "fq_list": list(query.get("fq_list", []))}
    if query.get("qf"):
        solr["qf"] = query["qf"]
    return solr


def max_features() -> int:
    return tk.config.get("ckanext.smartcityatlas.geojson.max_features")


def feature_collection(context: dict, data_dict: dict, labels: list[str] | None) -> dict:
    """All matching georeferenced entities the labels (of the caller of
    ``context``) may see, up to the cap."""
    return json.loads(collection_json(context, data_dict, labels))


def collection_json(context: dict, data_dict: dict, labels: list[str] | None) -> bytes:
    """The FeatureCollection as UTF-8 JSON: the features stored in the index,
    joined as they are (no decoding and encoding of 12,000 features)."""
    query = solr_query(context, data_dict)
    params = {**query, "rows": max_features(), "facet": "false",
              "sort": "score desc, id asc" if query["q"] != "*:*" else "id asc"}
    result = _stored_features(params, labels)
    stored = [_single(doc.get(FEATURE_FIELD)) for doc in result["results"]]
    if all(stored):
        body = ",".join(stored).encode("utf-8")
        # the site's own prefix (root path, language) instead of the stored one
        for entity_type, prefix in url_prefixes().items():
            if prefix != STORED_URL_PREFIX[entity_type]:
                body = body.replace(f',"url":{_dumps(STORED_URL_PREFIX[entity_type])[:-1]}'.encode("utf-8"),
                                    f',"url":{_dumps(prefix)[:-1]}'.encode("utf-8"))
    else:  # documents indexed before the field existed (until the next search-index rebuild)
        log.info("atlas map: %d features built from stored fields; reindex to store them",
                 stored.count(None))
        result = _run({**params, "fl": FIELD_LIST}, labels)
        url_prefix = url_prefixes()
        body = ",".join(_dumps(_feature(doc, url_prefix)) for doc in result["results"]).encode("utf-8")
    tail = b"]"
    if result["count"] > len(stored):
        # foreign members (RFC 7946 §6.1): the map says "showing N of M"
        tail += f',"total":{result["count"]},"truncated":true'.encode("utf-8")
    return b'{"type":"FeatureCollection","features":[' + body + tail + b"}"


def _stored_features(params: dict, labels: list[str] | None) -> dict:
    """The stored features of the query (``results``, ``count``), fetched
    without HTTP compression.

    CKAN's own query (rows=0) checks the parameters and completes them in
    place (permission labels, site, state); the documents are then fetched
    with exactly those parameters over a connection that does not ask Solr
    to gzip: compressing 6 MB of features on Solr's side and unpacking them
    here cost more than fetching them (Solr runs next to CKAN)."""
    query = {**params, "fl": FEATURE_FIELD, "rows": 0}
    counted = _run(query, labels)
    labelled = labels is None or any(str(f).startswith("+permission_labels:") for f in query.get("fq", []))
    if not counted["count"] or not labelled:  # nothing to fetch; or a CKAN that no longer completes the query
        return _run({**params, "fl": FEATURE_FIELD}, labels) if counted["count"] else counted
    query["rows"] = params["rows"]
    connection = make_connection(decode_dates=False)
    connection.session = requests.Session()
    connection.session.headers["Accept-Encoding"] = "identity"
    try:
        response = connection.search(**query)
    except pysolr.SolrError as e:
        raise tk.ValidationError({"search": [str(e)]}) from None
    finally:
        connection.session.close()
    return {"results": response.docs, "count": response.hits}


def _single(value):
    # a core whose schema predates the field keeps it as a multi-valued sca_* string
    return value[0] if isinstance(value, list) and value else value


def _run(query: dict, labels: list[str] | None) -> dict:
    """CKAN's package query, which completes ``query`` in place."""
    try:
        return query_for("package").run(query, permission_labels=labels)
    except SearchError as e:
        raise tk.ValidationError({"search": [str(e)]}) from None


def url_prefixes() -> dict[str, str]:
    # url_for per feature would cost more than the whole Solr query
    return {t: tk.url_for(f"{t}.read", id="__name__").replace("__name__", "") for t in ENTITY_TYPES}


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
    ``bbox``, ``lat``/``lon``/``radius_km``), without the city-wide
    entries (``sca_search`` with ``scope=citywide`` lists them: they are no
    points). Without filters: every georeferenced entity the caller may see, up to
    ``ckanext.smartcityatlas.geojson.max_features`` (then ``truncated`` is
    true and ``total`` the full count). Properties: id, name, title,
    type, kinds, sector, status, districts, topics, url.
    """
    tk.check_access("sca_geojson", context, data_dict)
    return feature_collection(context, dict(data_dict), permission_labels(context))


def gzipped_collection(context: dict, params: dict, labels: list[str] | None) -> bytes:
    """The FeatureCollection as gzipped JSON (what the response cache keeps)."""
    return gzip.compress(collection_json(context, params, labels), compresslevel=GZIP_LEVEL, mtime=0)
