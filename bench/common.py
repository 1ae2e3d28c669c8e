# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared bench helpers: load CKAN from an ini, time calls, print figures.

Benchmarks print figures; they never assert on time (that is what the issue
notes are for). Run them with ``deploy/sca bench NAME`` so they get their own
database and Solr core (``bench.ini``), never the portal's or the tests'.
"""
from __future__ import annotations

import contextlib
import statistics
import time
from typing import Callable, Iterator


@contextlib.contextmanager
def ckan_app(ini: str) -> Iterator[None]:
    """Load CKAN (plugins, config) and run inside a request context."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    with flask_app.test_request_context():
        yield


def site_context() -> dict:
    import ckan.plugins.toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50, p95


def timed(fn: Callable[[], object], runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    p50, p95 = percentiles(samples)
    print(f"{name:<38} n={len(samples):<5} p50={p50:8.2f} ms  p95={p95:8.2f} ms")
