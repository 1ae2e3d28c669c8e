# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/openapi.json``: an OpenAPI 3.1 description of the atlas API.

Built from the same parameter tables the actions use (search.FILTERS,
matching's PARAMS), so the description cannot drift from what the endpoints
accept; tests call every documented parameter.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify

from ckanext.smartcityatlas.atlas import search
from ckanext.smartcityatlas.matching import actions as matching

blueprint = Blueprint("sca_openapi", __name__)

FILTER_HELP = {
    "entity_type": "actor, project (sca_search also: dataset)",
    "actor_kind": "e.g. company, university, research_institute, civil_society, public_administration",
    "helix_sector": "business, science, administration, civil_society",
    "theme": "theme of the city's strategy", "topic": "topic, e.g. energy, mobility",
    "field_of_action": "field of action of the strategy", "sdg": "Sustainable Development Goal, 1–17",
    "district": "district (Stadtteil) name", "district_group": "Stadtbezirk or Ortschaft name",
    "status": "project status: idea, planned, running, completed, …", "project_kind": "measure, project, activity, topic",
    "partner": "actor id: projects with this partner", "measure": "measure id: entities in this measure",
    "organization": "name of the publishing office",
}
SPATIAL = {
    "q": ("string", "free text, German analysis; operators are searched as plain words"),
    "bbox": ("string", "minx,miny,maxx,maxy in WGS 84"),
    "lat": ("number", "latitude of the radius search"), "lon": ("number", "longitude of the radius search"),
    "radius_km": ("number", "radius in km"),
}
MATCH_HELP = {
    "actor_id": ("string", "partners that complement this actor"),
    "project_id": ("string", "actors for this project (its partners are left out)"),
    "q": ("string", "free-text description of what is needed"),
    "lat": ("number", "point to measure distance from (default: the entity's location)"),
    "lon": ("number", "see lat"), "radius_km": ("number", "only candidates within this radius"),
    "sectors": ("string", "helix sectors, comma separated"), "types": ("string", "actor kinds, comma separated"),
    "limit": ("integer", "results, default 10, at most 50"),
}


def _param(name: str, kind: str, text: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": kind}}


def _filters() -> list[dict]:
    params = [_param(k, *SPATIAL[k]) for k in SPATIAL]
    params += [_param(k, "string", FILTER_HELP[k] + " (several: comma separated)") for k in search.FILTERS]
    return params


def _envelope(result_ref: str) -> dict:
    return {"200": {"description": "CKAN action envelope", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"success": {"type": "boolean"}, "help": {"type": "string"},
                                         "result": {"$ref": result_ref}}}}}},
            "400": {"description": "invalid parameters (CKAN: 409 with a validation error)"},
            "429": {"description": "rate limit for anonymous callers exceeded", "headers": {
                "Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}}}


def _export_responses(mimetype: str) -> dict:
    headers = {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment with a file name"},
               "X-Total-Count": {"schema": {"type": "integer"}, "description": "entities in the selection"},
               "X-Truncated": {"schema": {"type": "boolean"},
                               "description": "true beyond ckanext.smartcityatlas.export.max_rows"}}
    return {"200": {"description": "the file", "headers": headers, "content": {mimetype: {}}},
            "400": {"description": "invalid filter"},
            "429": {"description": "rate limit for anonymous callers exceeded (Retry-After)"}}


def _sensor_params() -> list[dict]:
    return [_param("phenomenon", "string", "a phenomenon id of sensors/phenomena.yaml, e.g. pm10"),
            _param("sensor_id", "string", "only this sensor"),
            _param("hours", "integer", "length of each feature's series of hourly means, 0 to 48 (default 24)")]


def document() -> dict:
    site = tk.config.get("ckan.site_url").rstrip("/")
    feature_collection = {"$ref": "#/components/schemas/FeatureCollection"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Smart City Atlas API", "version": "1",
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
                 "description": "Search, map data and explained matching of the smart-city atlas. All actions "
                                "are CKAN actions (GET or POST); private records are visible only to callers "
                                "allowed to see them (CKAN API token in the Authorization header). Prefix paths "
                                "with /en for English texts."},
        "servers": [{"url": site}],
        "paths": {
            "/api/3/action/sca_search": {"get": {
                "summary": "Search actors and projects with facets", "operationId": "sca_search",
                "parameters": _filters() + [_param("rows", "integer", "default 20, at most 100"),
                                            _param("start", "integer", "offset")],
                "responses": _envelope("#/components/schemas/SearchResult")}},
            "/api/3/action/sca_geojson": {"get": {
                "summary": "Georeferenced actors and projects as GeoJSON", "operationId": "sca_geojson",
                "parameters": _filters(), "responses": _envelope("#/components/schemas/FeatureCollection")}},
            "/atlas/geojson": {"get": {
                "summary": "The map data: the FeatureCollection of sca_geojson, gzipped, with ETag",
                "operationId": "atlas_geojson", "parameters": _filters(),
                "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {
                    "schema": feature_collection}}},
                    "304": {"description": "unchanged (If-None-Match)"}, "400": {"description": "invalid filter"},
                    "429": {"description": "rate limit exceeded (Retry-After)"}}}},
            "/api/3/action/sca_network": {"get": {
                "summary": "The network of a selection: entities, their direct partners, partnerships and "
                           "measure membership", "operationId": "sca_network",
                "description": "Nodes are the selected actors and projects plus their direct partners (projects "
                               "of a selected actor, actors and measure of a selected project, projects of a "
                               "selected measure); at most ckanext.smartcityatlas.network.max_nodes, then "
                               "truncated is true. Only records the caller may see.",
                "parameters": _filters(), "responses": _envelope("#/components/schemas/Network")}},
            "/api/3/action/sca_sensor_layer": {"get": {
                "summary": "The sensor layer: per sensor location the latest hourly mean and the last hours",
                "operationId": "sca_sensor_layer",
                "description": "Sensor datasets of every sensor harvester the caller may read; at most "
                               "ckanext.smartcityatlas.sensors.layer_max_features features, then truncated is "
                               "true. phenomena lists the phenomena found with their colour classes (legend).",
                "parameters": _sensor_params(), "responses": _envelope("#/components/schemas/FeatureCollection")}},
            "/atlas/sensoren.geojson": {"get": {
                "summary": "The sensor layer's map data: the FeatureCollection of sca_sensor_layer, cached",
                "operationId": "atlas_sensor_layer", "parameters": _sensor_params(),
                "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {
                    "schema": feature_collection}}}, "400": {"description": "invalid parameter"},
                    "429": {"description": "rate limit exceeded (Retry-After)"}}}},
            "/atlas/export.csv": {"get": {
                "summary": "The selection as CSV for German spreadsheets (UTF-8 with BOM, ';', decimal commas)",
                "operationId": "atlas_export_csv", "parameters": _filters(),
                "responses": _export_responses("text/csv")}},
            "/atlas/export.geojson": {"get": {
                "summary": "The selection as GeoJSON (entities without a location have a null geometry)",
                "operationId": "atlas_export_geojson", "parameters": _filters(),
                "responses": _export_responses("application/geo+json")}},
            "/api/3/action/sca_match": {"get": {
                "summary": "Explained partner suggestions", "operationId": "sca_match",
                "description": "Exactly one of actor_id, project_id, q. The weights of an explanation add up "
                               "to its score. Kinds: " + ", ".join(matching.KINDS) + ".",
                "parameters": [_param(k, *MATCH_HELP[k]) for k in sorted(matching.PARAMS)],
                "responses": _envelope("#/components/schemas/MatchResult")}},
            "/atlas/city/boundary.geojson": {"get": {
                "summary": "The city boundary (self-hosted base map)", "operationId": "city_boundary",
                "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {
                    "schema": feature_collection}}}}}},
            "/atlas/city/districts.geojson": {"get": {
                "summary": "District outlines with their Stadtbezirk/Ortschaft", "operationId": "city_districts",
                "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {
                    "schema": feature_collection}}}}}},
        },
        "components": {"schemas": {
            "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"type": "object", "properties": {
                    "type": {"const": "Feature"}, "id": {"type": "string"},
                    "geometry": {"type": "object"},
                    "properties": {"type": "object", "description": "id, name, title, type, actor_kind, "
                                   "helix_sector, project_kind, status, districts, topics, "
                                   "location_coarsened, url"}}}},
                "truncated": {"type": "boolean"}, "total": {"type": "integer"}}},
            "SearchResult": {"type": "object", "properties": {
                "count": {"type": "integer"}, "results": {"type": "array", "items": {"type": "object"}},
                "facets": {"type": "object"}, "search_facets": {"type": "object"}}},
            "Network": {"type": "object", "properties": {
                "nodes": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "title": {"type": "string"},
                    "type": {"enum": ["actor", "project"]}, "kind": {"type": ["string", "null"]},
                    "helix_sector": {"type": "string"}, "selected": {"type": "boolean"}}}},
                "edges": {"type": "array", "items": {"type": "object", "properties": {
                    "source": {"type": "string"}, "target": {"type": "string"},
                    "kind": {"enum": ["partner", "member"]},
                    "roles": {"type": "array", "items": {"type": "string"}}}}},
                "truncated": {"type": "boolean"}, "max_nodes": {"type": "integer"},
                "count": {"type": "object", "properties": {"selected": {"type": "integer"},
                                                           "nodes": {"type": "integer"},
                                                           "edges": {"type": "integer"}}}}},
            "MatchResult": {"type": "object", "properties": {"results": {"type": "array", "items": {
                "type": "object", "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "title": {"type": "string"},
                    "type": {"type": "string"}, "actor_kind": {"type": "string"},
                    "helix_sector": {"type": "string"}, "score": {"type": "number"},
                    "explanation": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": {"enum": list(matching.KINDS)}, "detail": {"type": "string"},
                        "weight": {"type": "number"}}}}}}}}},
        }},
    }


@blueprint.route("/atlas/openapi.json")
def openapi_json():
    return jsonify(document())
