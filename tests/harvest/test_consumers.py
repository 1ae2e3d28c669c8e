# SPDX-License-Identifier: AGPL-3.0-or-later
"""The harvest consumers keep waiting on an idle queue (redis-py 8)."""
import json
import threading
import time

import pytest
import redis

import ckan.plugins.toolkit as tk
from ckanext.harvest import queue as harvest_queue

from ckanext.smartcityatlas.harvesters.consumers import IdleSafeRedisConsumer
from ckanext.smartcityatlas.platform import heartbeats


def _connection(socket_timeout):
    return redis.Redis.from_url(tk.config["ckan.redis.url"], socket_timeout=socket_timeout,
                                decode_responses=True, encoding="utf-8")


@pytest.fixture
def routing_key(unique):
    key = f"sca-test-{unique}:harvest_job_id"
    yield key
    _connection(5).delete(key, f"{key}:job-{unique}")


def test_stock_consumer_dies_when_idle_longer_than_the_socket_timeout(routing_key):
    # The reason for IdleSafeRedisConsumer: this is ckanext-harvest 1.6.3 as is.
    consumer = harvest_queue.RedisConsumer(_connection(0.5), routing_key)
    with pytest.raises(redis.exceptions.TimeoutError):
        next(consumer.consume(queue="ignored"))


def test_idle_safe_consumer_gets_a_message_after_a_long_idle_time(routing_key, unique):
    consumer = IdleSafeRedisConsumer(_connection(0.5), routing_key, heartbeat=f"test-{unique}")
    body = json.dumps({"harvest_job_id": f"job-{unique}"})

    def publish_later():
        time.sleep(1.6)  # over three socket timeouts of silence
        _connection(5).rpush(routing_key, body)

    threading.Thread(target=publish_later, daemon=True).start()
    method, header, received = next(consumer.consume(queue="ignored"))
    assert received == body
    # Same bookkeeping as upstream: persisted until acknowledged.
    assert _connection(5).exists(f"{routing_key}:job-{unique}")
    consumer.basic_ack(received)
    assert not _connection(5).exists(f"{routing_key}:job-{unique}")
    # It told sca_status_show it is alive while it waited.
    assert heartbeats.age(f"test-{unique}") < 5
