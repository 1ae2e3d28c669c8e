# SPDX-License-Identifier: AGPL-3.0-or-later
"""Serves the atlas open-data files (``/opendata/atlas/<file>``) and the
exchange format (``/opendata/atlas/exchange/v1/…``, dcat/exchange.py)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request, send_from_directory

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.responses import json_error
from ckanext.smartcityatlas.dcat import exchange, opendata
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_opendata", __name__))
MEDIA_TYPES = {ext: media for ext, _label, media in opendata.FILES}


@blueprint.route("/opendata/atlas/<filename>")
def atlas_file(filename: str):
    # only the files the job writes: no path tricks, no other files of the folder
    allowed = {opendata.file_name(kind, ext) for kind in opendata.KINDS for ext in MEDIA_TYPES}
    if filename not in allowed or not (opendata.folder() / filename).is_file():
        abort(404)
    media = MEDIA_TYPES[filename.rsplit(".", 1)[1]]
    response = send_from_directory(opendata.folder(), filename, mimetype=media + "; charset=utf-8",
                                   max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _jsonld(data: dict, max_age: int = 60) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@blueprint.route(f"{exchange.PATH}/context.jsonld")
def exchange_context():
    return _jsonld({"@context": exchange.CONTEXT}, max_age=86400)


@blueprint.route(f"{exchange.PATH}/outline.geojson")
def exchange_outline():
    response = Response(json.dumps(exchange.outline(), separators=(",", ":")), mimetype="application/geo+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@blueprint.route(f"{exchange.PATH}/records.jsonld")
def exchange_records():
    entity_type = request.args.get("type") or None
    if entity_type is not None and entity_type not in exchange.ENTITY_TYPES:
        return json_error(400, tk._('"type" must be "actor" or "project".'))
    try:
        after = exchange.check_key(request.args.get("cursor"))
    except ValueError:
        return json_error(400, tk._('"cursor" must be the identifier of the last record of the previous page.'))
    return _jsonld(exchange.page(entity_type, after))


@blueprint.route(f"{exchange.PATH}/deleted.jsonld")
def exchange_deleted():
    try:
        since = exchange.parse_since(request.args.get("since"))
    except ValueError:
        return json_error(400, tk._('"since" must be an ISO 8601 date or date and time.'))
    return _jsonld(exchange.deleted(since))
