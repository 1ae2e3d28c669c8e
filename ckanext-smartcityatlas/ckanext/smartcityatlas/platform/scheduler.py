# SPDX-License-Identifier: AGPL-3.0-or-later
"""The scheduler loop behind ``ckan sca scheduler``.

ckanext-harvest needs ``harvest_jobs_run`` called periodically to start
scheduled jobs and to finish running ones; later periodic work (link checks,
digests) come from the plugins implementing ``IPeriodicTasks``. Each tick writes a heartbeat
into Redis so sca_status_show can tell whether the scheduler is alive. A
failing task is logged and does not stop the loop: one broken source must not
stop every other periodic job.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.common.caller import site_context
from ckanext.smartcityatlas.platform import heartbeats
from ckanext.smartcityatlas.platform.interfaces import IPeriodicTasks

log = logging.getLogger(__name__)


def run_harvest_jobs() -> None:
    tk.get_action("harvest_jobs_run")(site_context(), {})


def periodic_tasks() -> list[tuple[str, Callable[[], None]]]:
    tasks: list[tuple[str, Callable[[], None]]] = []
    if p.plugin_loaded("harvest"):
        tasks.append(("harvest_jobs_run", run_harvest_jobs))
    for plugin in p.PluginImplementations(IPeriodicTasks):
        tasks.extend(plugin.periodic_tasks())
    return tasks


def tick() -> dict[str, str]:
    """Run every periodic task once; return each task's outcome."""
    outcome: dict[str, str] = {}
    for name, task in periodic_tasks():
        try:
            task()
            outcome[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - keep the loop alive
            log.exception("periodic task %s failed", name)
            outcome[name] = f"failed: {exc}"
        finally:
            # Tasks use the ORM; never carry a failed transaction into the next.
            from ckan import model

            model.Session.remove()
    heartbeats.beat("scheduler")
    return outcome


def run_forever(interval: int) -> None:
    while True:
        started = time.monotonic()
        outcome = tick()
        log.info("scheduler tick: %s", outcome)
        time.sleep(max(1.0, interval - (time.monotonic() - started)))
