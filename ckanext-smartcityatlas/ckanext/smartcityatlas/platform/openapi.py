# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/openapi.json``: an OpenAPI 3.1 description of the atlas API.

Every registered ``sca_*`` action is listed with the parameters of its
input schema (input_schema.py; GET for read actions, a JSON body for the
others), its docstring as summary and description, who may call it (from
its auth function), and the raw routes with the schemas they validate with,
so the description cannot drift from what the endpoints accept; tests call
every documented parameter and fuzz it (tests/fuzz). docs/api.md's action
reference is generated from this document (docs/gen_api.py).
"""
from __future__ import annotations

import functools
import inspect
import re

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.common import input_schema
from ckanext.smartcityatlas.atlas import schema as atlas_schema
from ckanext.smartcityatlas.dcat import exchange_openapi
from ckanext.smartcityatlas.matching import scoring
from ckanext.smartcityatlas.sensors import schema as sensors_schema

ACTION_PATH = "/api/3/action/"
FEATURE_COLLECTION = {"$ref": "#/components/schemas/FeatureCollection"}
# what the generic description (the docstring, an object as result, the
# action's own auth function) would say less well
DETAILS = {
    "sca_search": {"summary": "Search actors and projects with facets",
                   "result": {"$ref": "#/components/schemas/SearchResult"}},
    "sca_geojson": {"summary": "Georeferenced actors and projects as GeoJSON", "result": FEATURE_COLLECTION},
    "sca_network": {
        "summary": "The network of a selection: entities, their direct partners, partnerships and measure "
                   "membership",
        "description": "Nodes are the selected actors and projects plus their direct partners (projects of a "
                       "selected actor, actors and measure of a selected project, projects of a selected "
                       "measure); at most ckanext.smartcityatlas.network.max_nodes, then truncated is true. "
                       "Only records the caller may see.",
        "result": {"$ref": "#/components/schemas/Network"}},
    "sca_sensor_layer": {
        "summary": "The sensor layer: per sensor location the latest hourly mean and the last hours",
        "description": "Sensor datasets of every sensor harvester the caller may read; at most "
                       "ckanext.smartcityatlas.sensors.layer_max_features features, then truncated is true. "
                       "phenomena lists the phenomena found with their colour classes (legend).",
        "result": FEATURE_COLLECTION},
    "sca_sensor_geojson": {"result": FEATURE_COLLECTION},
    "sca_match": {
        "summary": "Explained partner suggestions",
        "description": "Exactly one of actor_id, project_id, q. The weights of an explanation add up to its "
                       "score. Kinds: " + ", ".join(scoring.KINDS) + ".",
        "result": {"$ref": "#/components/schemas/MatchResult"}},
    # no auth function of its own: the action asks ckanext-harvest
    "sca_harvest_job_report": {"auth": "harvest_job_show",
                               "authorization": "Whoever may update the job's harvest source (harvest_job_show)."},
}
# OpenAPI security requirements: a CKAN API token, or none at all
TOKEN = [{"apiToken": []}]
TOKEN_OR_ANONYMOUS = [{}, *TOKEN]
# who may call the raw routes (they read with the caller's permissions)
ANYONE = {"x-authorization": "Anyone.", "security": TOKEN_OR_ANONYMOUS}
ANYONE_SEES_OWN = {"x-authorization": "Anyone; private records only for callers allowed to see them.",
                   "security": TOKEN_OR_ANONYMOUS}


def sca_actions() -> dict:
    """Every registered ``sca_*`` action by name."""
    loaded = [cap for plugin in p.PluginImplementations(capability.ICapabilities) for cap in plugin.capabilities]
    actions = capability.merge(loaded, "actions")
    return {name: actions[name] for name in sorted(actions) if name.startswith("sca_")}


def _query(params: list[dict]) -> list[dict]:
    return [{"name": p["name"], "in": "query", "required": p["required"], "description": p["description"],
             "schema": p["schema"]} for p in params]


def _body(params: list[dict]) -> dict:
    schema = {"type": "object", "properties": {p["name"]: {**p["schema"], "description": p["description"]}
                                               for p in params}}
    required = [p["name"] for p in params if p["required"]]
    if required:
        schema["required"] = required
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def auth_functions() -> dict:
    """Every registered auth function by name, as CKAN collects them from
    the plugins (an action may be checked by another plugin's function)."""
    found: dict = {}
    for plugin in p.PluginImplementations(p.IAuthFunctions):
        for name, func in plugin.get_auth_functions().items():
            found.setdefault(name, func)
    return found


def _doc(func) -> str:
    # a chained function is a functools.partial, whose docstring is partial's
    return inspect.getdoc(func.func if isinstance(func, functools.partial) else func) or ""


def _summary(func) -> str:
    """The docstring's first paragraph as one line, without RST markup."""
    first = _doc(func).split("\n\n")[0]
    return re.sub(r"\s+", " ", first.replace("``", "")).strip()


def _description(func) -> str:
    """The docstring after its first paragraph as CommonMark: prose and
    ``:returns:``, without the ``:param`` fields (the parameters say that)."""
    paragraphs: list[list[str]] = [[]]
    keep, in_field = True, False
    for line in _doc(func).partition("\n\n")[2].splitlines():
        # a field's name may go on over lines (":param a, b,\n    c: ...")
        field = re.match(r":(\w+)", line)
        # a blank line, a field and the end of a field list start a paragraph
        if not line.strip() or field or (in_field and not line.startswith(" ")):
            paragraphs.append([])
            keep, in_field = not field or field.group(1).startswith("return"), bool(field)
            if field and keep:
                line = "Returns: " + line.partition(": ")[2]
        if keep and line.strip():
            paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(lines) for lines in paragraphs if lines).replace("``", "`")


def action_item(name: str, action, auth: dict) -> dict:
    """The path item of an action: GET with query parameters for a read
    action, POST with a JSON body for the others; ``auth``: the auth
    functions by name."""
    # an action without a schema lists no parameters (and fails tests/fuzz)
    params = input_schema.described(getattr(action, "sca_schema", dict)())
    details = DETAILS.get(name, {})
    op = {"summary": details.get("summary") or _summary(action), "operationId": name,
          **_authorization(name, auth.get(details.get("auth", name))),
          "responses": _envelope(details.get("result", {"type": "object"}))}
    description = details.get("description") or _description(action)
    if description:
        op["description"] = description
    if getattr(action, "side_effect_free", False):
        return {"get": {**op, "parameters": _query(params)}}
    return {"post": {**op, "requestBody": _body(params)}}


def _authorization(name: str, auth_function) -> dict:
    """Who may call the action: ``x-authorization`` (the auth function's
    docstring) and whether a token is needed (``security``)."""
    if auth_function is None:
        return {}
    anonymous = getattr(auth_function, "auth_allow_anonymous_access", False)
    note = DETAILS.get(name, {}).get("authorization") or _summary(auth_function) \
        or ("Anyone." if anonymous else "Logged-in users.")
    return {"x-authorization": note, "security": TOKEN_OR_ANONYMOUS if anonymous else TOKEN}


def _envelope(result: dict) -> dict:
    return {"200": {"description": "CKAN action envelope", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"success": {"type": "boolean"}, "help": {"type": "string"},
                                         "result": result}}}}},
            "400": {"description": "a body that is not a JSON object"},
            "403": {"description": "not authorised"},
            "404": {"description": "a record named by a parameter was not found"},
            "409": {"description": "invalid parameters: a validation error naming each field"},
            "429": {"description": "rate limit for anonymous callers exceeded (the limited actions: docs/api.md)",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}}}


def _export_responses(mimetype: str) -> dict:
    headers = {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment with a file name"},
               "X-Total-Count": {"schema": {"type": "integer"}, "description": "entities in the selection"},
               "X-Truncated": {"schema": {"type": "boolean"},
                               "description": "true beyond ckanext.smartcityatlas.export.max_rows"}}
    return {"200": {"description": "the file", "headers": headers, "content": {mimetype: {}}},
            "400": {"description": "invalid filter"},
            "429": {"description": "rate limit for anonymous callers exceeded (Retry-After)"}}


def raw_routes() -> dict:
    """The routes that are no actions, with the schemas they validate with."""
    filters = _query(input_schema.described(atlas_schema.filters()))
    geojson = {"200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": FEATURE_COLLECTION}}}}
    return {
        "/atlas/geojson": {"get": {
            "summary": "The map data: the FeatureCollection of sca_geojson, gzipped, with ETag",
            "operationId": "atlas_geojson", **ANYONE_SEES_OWN,
            "parameters": _query(input_schema.described(atlas_schema.sca_geojson())),
            "responses": {**geojson, "304": {"description": "unchanged (If-None-Match)"},
                          "400": {"description": "invalid filter"},
                          "429": {"description": "rate limit exceeded (Retry-After)"}}}},
        "/atlas/sensoren.geojson": {"get": {
            "summary": "The sensor layer's map data: the FeatureCollection of sca_sensor_layer, cached",
            "operationId": "atlas_sensor_layer", **ANYONE_SEES_OWN,
            "parameters": _query(input_schema.described(sensors_schema.sca_sensor_layer())),
            "responses": {**geojson, "400": {"description": "invalid parameter"},
                          "429": {"description": "rate limit exceeded (Retry-After)"}}}},
        "/atlas/export.csv": {"get": {
            "summary": "The selection as CSV for German spreadsheets (UTF-8 with BOM, ';', decimal commas)",
            "operationId": "atlas_export_csv", **ANYONE_SEES_OWN, "parameters": filters,
            "responses": _export_responses("text/csv")}},
        "/atlas/export.geojson": {"get": {
            "summary": "The selection as GeoJSON (entities without a location have a null geometry)",
            "operationId": "atlas_export_geojson", **ANYONE_SEES_OWN, "parameters": filters,
            "responses": _export_responses("application/geo+json")}},
        "/atlas/city/boundary.geojson": {"get": {
            "summary": "The city boundary (self-hosted base map)", "operationId": "city_boundary", **ANYONE,
            "responses": geojson}},
        "/atlas/city/districts.geojson": {"get": {
            "summary": "District outlines with their group (the city's next level, e.g. Stadtbezirk)", "operationId": "city_districts",
            **ANYONE,
            "responses": geojson}},
        # the exchange format for other atlases (docs/exchange-format.md), where the dcat capability is on
        **(exchange_openapi.paths() if capability.enabled("dcat") else {}),
    }


def document() -> dict:
    site = tk.config.get("ckan.site_url").rstrip("/")
    auth = auth_functions()
    paths = {ACTION_PATH + name: action_item(name, action, auth) for name, action in sca_actions().items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Smart City Atlas API", "version": "1",
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
                 "description": "Search, map data, explained matching and the data contacts' workspace of the "
                                "smart-city atlas, and the exchange format other atlases harvest "
                                "(/opendata/atlas/exchange/v1/…, docs/exchange-format.md). All actions are CKAN actions (read actions: GET or POST, the "
                                "others POST); private records are visible only to callers allowed to see them "
                                "(CKAN API token in the Authorization header). A parameter of the wrong type or "
                                "out of range is a validation error (HTTP 409) naming the field. Prefix paths "
                                "with /en for English texts."},
        "servers": [{"url": site}],
        "paths": {**paths, **raw_routes()},
        "components": {"securitySchemes": {"apiToken": {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "A CKAN API token (user page, API Tokens); without it the caller is anonymous"}},
            "schemas": {
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
                    # the candidate's city and distance (a regional atlas: partners anywhere in the region)
                    "city": {"type": "string"}, "distance_km": {"type": ["number", "null"]},
                    "where": {"type": "string"},
                    "explanation": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": {"enum": list(scoring.KINDS)}, "detail": {"type": "string"},
                        "weight": {"type": "number"}}}}}}}}},
        }},
    }
