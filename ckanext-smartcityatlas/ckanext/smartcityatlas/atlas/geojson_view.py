# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/geojson``: the map's FeatureCollection, gzipped, cached
(``response_cache``: per filters, permission labels and index state) and
with the cache key as ETag, so browsers revalidate cheaply.
"""
from __future__ import annotations

import gzip
import json

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import Blueprint, Response, request

from ckanext.smartcityatlas.atlas import geojson, response_cache, schema
from ckanext.smartcityatlas.input_schema import validate

blueprint = Blueprint("sca_geojson", __name__)
# part of every cache key: bump when the features change shape
FORMAT_VERSION = 1


def caller_context() -> dict:
    """The logged-in user's action context, or the anonymous one."""
    user = current_user if current_user and current_user.is_authenticated else None
    return {"user": user.name if user else "", "auth_user_obj": user}


def _params() -> dict:
    params = {}
    for key in request.args:
        values = request.args.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    return params


def _build(context: dict, params: dict, labels: list[str] | None) -> bytes:
    collection = geojson.feature_collection(context, params, labels)
    return gzip.compress(json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                         compresslevel=6, mtime=0)


@blueprint.route("/atlas/geojson")
def atlas_geojson():
    context = caller_context()
    params = _params()
    try:
        tk.check_access("sca_geojson", context, params)
    except tk.NotAuthorized:
        return _error(403, tk._("Not authorised to see the map data."))
    labels = geojson.permission_labels(context)
    try:
        params = validate(schema.sca_geojson(), params, context)
        key = response_cache.key("geojson", params, labels, geojson.max_features(), FORMAT_VERSION)
        etag = f'"{key}"'
        # CKAN's own cache headers apply (public for anonymous callers, must
        # revalidate): browsers revalidate with the ETag and get a cheap 304.
        headers = {"ETag": etag, "Vary": "Accept-Encoding, Cookie, Authorization"}
        if context["auth_user_obj"] is not None:
            request.environ["__no_cache__"] = True
        if request.if_none_match and key in request.if_none_match:
            return Response(status=304, headers=headers)
        body = response_cache.get_or_build(
            key, lambda: _build(context, params, labels),
            tk.config.get("ckanext.smartcityatlas.geojson.cache_seconds"))
    except tk.ValidationError as e:
        return _error(400, e.error_dict)
    if "gzip" in (request.headers.get("Accept-Encoding") or ""):
        headers["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    return Response(body, mimetype="application/geo+json", headers=headers)


def _error(status: int, message) -> Response:
    return Response(json.dumps({"error": message}, ensure_ascii=False), status=status,
                    mimetype="application/json")
