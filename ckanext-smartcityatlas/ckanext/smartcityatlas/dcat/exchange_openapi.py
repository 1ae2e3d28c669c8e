# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exchange format's routes (docs/exchange-format.md, served by
``views.py``) as OpenAPI path items for ``/atlas/openapi.json``
(platform/openapi.py): addresses, parameters and answers taken from
``exchange.py``, so the description follows the code."""
from __future__ import annotations

from ckanext.smartcityatlas.dcat import exchange

# every answer is the anonymous visitor's view: a token changes nothing
ANYONE = {"x-authorization": "Anyone; every caller gets the same answer (public records only, as an anonymous "
                            "visitor sees them).",
          "security": [{}]}
JSONLD = "application/ld+json"
DOC = "docs/exchange-format.md"


def _param(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _object(keys, description: str) -> dict:
    return {"type": "object", "description": description, "properties": {key: {} for key in keys}}


def paths() -> dict:
    base = exchange.PATH
    page = _object(exchange.PAGE_KEYS, f"an AtlasPage (format {exchange.VERSION}): items are Actor and Project "
                                       f"objects as {DOC} lists their keys; next only when a page follows")
    return {
        f"{base}/records.jsonld": {"get": {
            "summary": "The exchange format: this atlas's own public actors and projects as JSON-LD pages",
            "description": f"Format {exchange.VERSION} ({DOC}), read by other atlases with the harvester "
                           "sca_atlas. Records sorted by id, paged by key: follow next until it is missing; "
                           "totalItems is the size of the whole listing. Records this atlas harvested from "
                           "another atlas are not listed (each atlas publishes its own). Page size: "
                           "ckanext.smartcityatlas.exchange.page_size.",
            "operationId": "exchange_records", **ANYONE,
            "parameters": [
                _param("type", "one class only", {"type": "string", "enum": list(exchange.ENTITY_TYPES)}),
                _param("cursor", "the identifier of the last record of the previous page (the next page's "
                                 "address carries it)",
                       {"type": "string", "maxLength": 100, "pattern": exchange.KEY_PATTERN})],
            "responses": {"200": {"description": "one page", "content": {JSONLD: {"schema": page}}},
                          "400": {"description": "type or cursor invalid"}}}},
        f"{base}/context.jsonld": {"get": {
            "summary": "The exchange format's JSON-LD context (every key of its pages is a term)",
            "operationId": "exchange_context", **ANYONE,
            "responses": {"200": {"description": "the context", "content": {JSONLD: {
                "schema": _object(["@context"], "the terms of the format")}}}}}},
        f"{base}/outline.geojson": {"get": {
            "summary": "The city's outline, simplified to about 100 m: the place of every city-wide record",
            "description": f"Since format 1.1: a record with citywide true has geometry null; its place is this "
                           f"outline, read once per harvest ({DOC}).",
            "operationId": "exchange_outline", **ANYONE,
            "responses": {"200": {"description": "a GeoJSON Polygon or MultiPolygon", "content": {
                "application/geo+json": {"schema": {"type": "object", "properties": {
                    "type": {"enum": ["Polygon", "MultiPolygon"]}, "coordinates": {"type": "array"}}}}}}}}},
        f"{base}/deleted.jsonld": {"get": {
            "summary": "The IRIs of actors and projects deleted since a time (that were public when deleted)",
            "operationId": "exchange_deleted", **ANYONE,
            "parameters": [_param("since", "ISO 8601 date or date and time (UTC when no zone is given)",
                                  {"type": "string", "maxLength": 40}, required=True)],
            "responses": {"200": {"description": "a DeletedList", "content": {JSONLD: {"schema": _object(
                ("@context", "@type", "formatVersion", "atlas", "since", "deleted"),
                "deleted: @id and deletedAt of each record")}}},
                          "400": {"description": "since missing or no ISO 8601 date"}}}},
    }
