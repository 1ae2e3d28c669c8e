# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map data (``/atlas/geojson``) in the response cache: its key, and
the atlas page's map built ahead of its first visitor.

Any change of the index makes a new key (``common/response_cache.py``), so
the first visitor after an edit or a harvest would build the map. The
scheduler builds the map of the plain atlas page for anonymous visitors
instead, whenever its current entry is missing (after an index change, or
when the entry expired): one cheap check per tick.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.atlas import geojson, schema
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import response_cache
from ckanext.smartcityatlas.common.caller import permission_labels
from ckanext.smartcityatlas.common.input_schema import validate

register = Registry()

# part of every cache key: bump when the features change shape
FORMAT_VERSION = 2  # 2: without city-wide entries


def cache_seconds() -> int:
    return tk.config.get("ckanext.smartcityatlas.geojson.cache_seconds")


def cache_key(params: dict, labels: list[str] | None) -> str:
    # the entity links depend on the request's language (/en/…)
    return response_cache.key("geojson", params, labels, geojson.max_features(), FORMAT_VERSION,
                              geojson.url_prefixes())


def gzipped_map(context: dict, params: dict, labels: list[str] | None, key: str) -> bytes:
    return response_cache.get_or_build(key, lambda: geojson.gzipped_collection(context, params, labels),
                                       cache_seconds())


@register.periodic_task("warm_map_cache")
def warm_map_cache() -> bool:
    """Build the plain atlas page's map for anonymous visitors unless it is
    cached for the current index; True when it was built."""
    if cache_seconds() <= 0:
        return False
    context = {"user": "", "auth_user_obj": None}
    labels = permission_labels(context)
    params = validate(schema.sca_geojson(), {}, context)
    key = cache_key(params, labels)
    if response_cache.cached(key):
        return False
    gzipped_map(context, params, labels, key)
    return True
