# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city's boundary and district outlines as GeoJSON for the maps.

This is the self-hosted base layer: maps work without any tile server. The
district file is simplified (about 10 m) to keep it small; both responses
are public, cacheable and carry an ETag.
"""
from __future__ import annotations

import functools
import hashlib
import json

import shapely.geometry
from flask import Response, request

from ckanext.smartcityatlas.common import city_config

SIMPLIFY_DEGREES = 0.0001  # ~10 m


@functools.lru_cache(maxsize=8)
def _payload(city_key: str, what: str) -> tuple[bytes, str]:
    city = city_config.current()
    if what == "boundary":
        # a region: every member city's outline, each with its name
        features = [{"type": "Feature", "properties": {"name": member.settings.get("title")},
                     "geometry": shapely.geometry.mapping(member.boundary.simplify(SIMPLIFY_DEGREES))}
                    for member in city.members or (city,)]
    else:
        features = [{"type": "Feature",
                     "properties": {"id": d.id, "name": d.name, "group_type": d.group_type, "group": d.group,
                                    **({"city": d.city} if d.city else {})},
                     "geometry": shapely.geometry.mapping(d.geometry.simplify(SIMPLIFY_DEGREES))}
                    for d in city.districts]
    body = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


def respond(what: str) -> Response:
    city = city_config.current()
    body, etag = _payload(f"{city.folder}|{city.region.get('title', '')}|{len(city.members)}", what)
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    return Response(body, mimetype="application/geo+json",
                    headers={"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"})
