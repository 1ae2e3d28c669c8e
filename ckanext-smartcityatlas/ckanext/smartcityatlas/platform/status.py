# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks behind ``sca_status_show``: is each service up?

Every check opens its own short-timeout connection from the current
configuration (not CKAN's cached clients), so a dead service shows as down
within seconds instead of hanging the status page, and a test can point one
check at a closed port without touching the shared services. A check
returns ``(up, version, error)``; version and error are for sysadmins only.
"""
from __future__ import annotations

import time
from typing import Callable, NamedTuple

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import redis
import requests
import sqlalchemy

from ckanext.smartcityatlas.platform import heartbeats

TIMEOUT = 3  # seconds per check


class Check(NamedTuple):
    up: bool
    version: str | None = None
    error: str | None = None


def _failed(exc: Exception) -> Check:
    return Check(False, None, f"{type(exc).__name__}: {exc}"[:300])


def solr() -> Check:
    base = tk.config["solr_url"].rstrip("/")
    try:
        ping = requests.get(f"{base}/admin/ping", params={"wt": "json"}, timeout=TIMEOUT)
        ping.raise_for_status()
        if ping.json().get("status") != "OK":
            return Check(False, None, "ping status not OK")
        info = requests.get(f"{base.rsplit('/', 1)[0]}/admin/info/system", params={"wt": "json"}, timeout=TIMEOUT)
        version = info.json().get("lucene", {}).get("solr-spec-version") if info.ok else None
        return Check(True, version)
    except (requests.RequestException, ValueError) as exc:
        return _failed(exc)


def postgresql() -> Check:
    engine = sqlalchemy.create_engine(
        tk.config["sqlalchemy.url"], poolclass=sqlalchemy.pool.NullPool,
        connect_args={"connect_timeout": TIMEOUT},
    )
    try:
        with engine.connect() as conn:
            version = conn.execute(sqlalchemy.text("SHOW server_version")).scalar()
        return Check(True, str(version))
    except sqlalchemy.exc.SQLAlchemyError as exc:
        return _failed(exc.orig if getattr(exc, "orig", None) else exc)
    finally:
        engine.dispose()


def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        tk.config["ckan.redis.url"], socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
        decode_responses=True,
    )


def redis_server() -> Check:
    try:
        client = _redis_client()
        client.ping()
        return Check(True, client.info("server").get("redis_version"))
    except redis.RedisError as exc:
        return _failed(exc)


def jobs_worker() -> Check:
    import rq
    from ckan.lib.jobs import add_queue_name_prefix

    prefix = add_queue_name_prefix("")
    try:
        workers = rq.Worker.all(connection=redis.Redis.from_url(
            tk.config["ckan.redis.url"], socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT))
    except redis.RedisError as exc:
        return _failed(exc)
    mine = [w for w in workers if any(q.startswith(prefix) for q in w.queue_names())]
    if not mine:
        return Check(False, None, "no rq worker listens on this site's queues")
    return Check(True, f"rq {rq.__version__}, {len(mine)} worker(s)")


def heartbeat(name: str, max_age: int) -> Callable[[], Check]:
    def check() -> Check:
        try:
            seen = heartbeats.age(name, client=_redis_client())
        except redis.RedisError as exc:
            return _failed(exc)
        if seen is None:
            return Check(False, None, "no heartbeat")
        if seen > max_age:
            return Check(False, None, f"last heartbeat {seen:.0f}s ago")
        return Check(True, None)
    return check


def checks() -> dict[str, Callable[[], Check]]:
    scheduler_age = tk.config.get("ckanext.smartcityatlas.scheduler.max_heartbeat_age")
    found = {
        "solr": solr,
        "postgresql": postgresql,
        "redis": redis_server,
        "jobs_worker": jobs_worker,
        "scheduler": heartbeat("scheduler", scheduler_age),
    }
    if p.plugin_loaded("harvest"):
        found["harvest_gather"] = heartbeat("harvest-gather", 60)
        found["harvest_fetch"] = heartbeat("harvest-fetch", 60)
    return found


def run_all() -> dict[str, tuple[Check, float]]:
    results = {}
    for name, check in checks().items():
        started = time.monotonic()
        results[name] = (check(), time.monotonic() - started)
    return results
