# SPDX-License-Identifier: AGPL-3.0-or-later
"""Liveness of the background processes, recorded in Redis.

Long-running processes (scheduler, harvest consumers) write a timestamp
under their key; ``sca_status_show`` reads the age. The rq jobs worker
registers itself with rq, so it needs no key of ours.
"""
from __future__ import annotations

import time

from ckan.lib.redis import connect_to_redis

PREFIX = "smartcityatlas:heartbeat:"


def beat(name: str, ttl: int = 3600) -> None:
    connect_to_redis().set(PREFIX + name, str(int(time.time())), ex=ttl)


def age(name: str, client=None) -> float | None:
    """Seconds since NAME last beat, None if never (or expired)."""
    value = (client or connect_to_redis()).get(PREFIX + name)
    return time.time() - int(value) if value else None
