# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs of the platform (run by ``ckan jobs worker`` via Redis)."""
from __future__ import annotations

import time

from ckan.lib.redis import connect_to_redis

PING_KEY = "smartcityatlas:worker:ping:{token}"


def ping(token: str) -> None:
    """Prove a worker picks up jobs: record when token was processed."""
    connect_to_redis().set(PING_KEY.format(token=token), str(time.time()), ex=3600)


def ping_seen(token: str) -> float | None:
    value = connect_to_redis().get(PING_KEY.format(token=token))
    return float(value) if value else None
