# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cached responses of the atlas API, safe with permissions and edits.

A response depends on its parameters, the caller's permission labels and
the index. Entries live in Redis (shared by all web workers) under a key
made of exactly these, so callers with the same labels share an entry,
nobody is served what their labels do not allow, and any indexed change
(including a deletion or a permission change) leads to a new key: a stale
response is never served. Old entries simply expire.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable

from ckan.lib.redis import connect_to_redis
from ckan.lib.search import query_for

PREFIX = "sca:cache:"


def index_version() -> str:
    """Changes whenever a document of this site is indexed or removed:
    the document count and the latest index time (all states)."""
    result = query_for("package").run(
        {"q": "*:*", "fl": "indexed_ts", "sort": "indexed_ts desc", "rows": 1, "facet": "false",
         "fq": "+state:*"}, permission_labels=None)
    latest = result["results"][0]["indexed_ts"] if result["results"] else ""
    return f"{result['count']}:{latest}"


def key(namespace: str, params: dict, labels: list[str] | None, *extra) -> str:
    material = json.dumps([namespace, sorted((k, str(v)) for k, v in params.items()),
                           sorted(labels) if labels is not None else "*", index_version(), *map(str, extra)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


def cached(cache_key: str) -> bool:
    return bool(connect_to_redis().exists(PREFIX + cache_key))


def get_or_build(cache_key: str, build: Callable[[], bytes], ttl: int) -> bytes:
    if ttl <= 0:
        return build()
    redis = connect_to_redis()
    cached = redis.get(PREFIX + cache_key)
    if cached is not None:
        return cached
    body = build()
    redis.setex(PREFIX + cache_key, ttl, body)
    return body
