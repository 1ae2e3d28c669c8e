# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest queue consumers that survive an idle queue.

ckanext-harvest 1.6.3 waits for work with ``BLPOP`` without a timeout. CKAN
2.12 pins redis-py 8, whose connections default to a 5 s socket timeout, so
the stock ``ckan harvester gather-consumer`` dies with ``TimeoutError`` after
five idle seconds. These consumers block in short server-side slices below
the socket timeout instead, and otherwise behave exactly like the stock ones
(same queues, same persistence keys, same callbacks).

They also note which process took a message, so that a consumer starting on
the same machine puts the messages of a killed consumer back on the queue at
once (``reclaim_from_dead_consumers``) instead of three minutes later.
"""
from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import time

from ckanext.harvest import queue as harvest_queue

from ckanext.smartcityatlas.harvesters import job_end
from ckanext.smartcityatlas.platform import heartbeats

log = logging.getLogger(__name__)


class IdleSafeRedisConsumer(harvest_queue.RedisConsumer):
    # Written at most this often (seconds), read by sca_status_show.
    HEARTBEAT_EVERY = 10

    def __init__(self, redis, routing_key, heartbeat: str | None = None):
        super().__init__(redis, routing_key)
        self.heartbeat = heartbeat
        self._last_beat = 0.0

    def _beat(self) -> None:
        if self.heartbeat and time.monotonic() - self._last_beat >= self.HEARTBEAT_EVERY:
            heartbeats.beat(self.heartbeat, ttl=3 * self.HEARTBEAT_EVERY)
            self._last_beat = time.monotonic()

    def blpop_timeout(self) -> float:
        kwargs = self.redis.connection_pool.connection_kwargs
        socket_timeout = kwargs.get("socket_timeout")
        if not socket_timeout:
            return 1.0
        return max(0.1, min(1.0, socket_timeout / 2))

    def consume(self, queue):
        timeout = self.blpop_timeout()
        while True:
            self._beat()
            item = self.redis.blpop(self.routing_key, timeout=timeout)
            if item is None:
                continue
            _key, body = item
            try:
                key = self.persistance_key(body)
                self.redis.set(key, str(datetime.datetime.now()))
                self.redis.set(owner_key(key), OWNER, ex=OWNER_TTL)
            except Exception as exc:  # noqa: BLE001 - same as upstream
                log.error("Redis Exception: %s", exc)
                continue
            yield (harvest_queue.FakeMethod(body), self, body)

    def basic_ack(self, message):
        super().basic_ack(message)
        self.redis.delete(owner_key(self.persistance_key(message)))

    def reclaim_from_dead_consumers(self) -> int:
        """Put back on the queue the messages that a consumer of this machine
        had taken when it died (``kill -9``, a crash): ckanext-harvest would
        resend them only three minutes later, from ``harvest_jobs_run``. The
        record being imported was rolled back with its transaction; it is
        imported again (ckanext-harvest counts the retry)."""
        reclaimed = 0
        prefix = f"{self.routing_key}:"
        for key in self.redis.scan_iter(match=f"{prefix}*", count=1000):
            key = key.decode() if isinstance(key, bytes) else key
            owner = self.redis.get(owner_key(key))
            owner = owner.decode() if isinstance(owner, bytes) else owner
            if not owner or not _dead_here(owner):
                continue  # taken by a living consumer, one on another machine, or before owners were kept
            message = json.dumps({self.message_key: key[len(prefix):]})
            pipe = self.redis.pipeline()
            pipe.rpush(self.routing_key, message)
            pipe.delete(key, owner_key(key))
            pipe.execute()
            reclaimed += 1
        if reclaimed:
            log.warning("put %d message(s) of dead consumers back on %s", reclaimed, self.routing_key)
        return reclaimed


# who took a message: this machine and process (to tell a dead consumer's
# messages from those a living one is working on)
OWNER = f"{socket.gethostname()}:{os.getpid()}"
OWNER_TTL = 7 * 24 * 3600


def owner_key(persistence_key: str) -> str:
    # not below the routing key: ckanext-harvest reads every key there as a date
    return f"sca:harvest-owner:{persistence_key}"


def _dead_here(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def _consumer(routing_key: str, kind: str):
    connection = harvest_queue.get_connection()
    if not hasattr(connection, "blpop"):  # AMQP backend: the stock consumer is fine
        return None
    return IdleSafeRedisConsumer(connection, routing_key, heartbeat=f"harvest-{kind}")


def run(kind: str) -> None:
    """Consume the gather or fetch queue forever."""
    if kind == "gather":
        routing_key = harvest_queue.get_gather_routing_key()
        queue_name = harvest_queue.get_gather_queue_name()
        callback = harvest_queue.gather_callback
        stock = harvest_queue.get_gather_consumer
    else:
        routing_key = harvest_queue.get_fetch_routing_key()
        queue_name = harvest_queue.get_fetch_queue_name()
        callback = harvest_queue.fetch_callback
        stock = harvest_queue.get_fetch_consumer
    consumer = _consumer(routing_key, kind) or stock()
    if isinstance(consumer, IdleSafeRedisConsumer):
        consumer.reclaim_from_dead_consumers()
    log.info("%s consumer listening on %s", kind, routing_key)
    for method, header, body in consumer.consume(queue=queue_name):
        callback(consumer, method, header, body)
        if kind == "fetch":
            # several fetch consumers: the record's state is committed now
            job_end.after_object(body)
