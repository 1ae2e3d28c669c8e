# SPDX-License-Identifier: AGPL-3.0-or-later
"""A second process for a harvest job: builds the next records and validates
the saved ones while the harvesting process writes.

A harvest imports thousands of records one after another in one process;
two parts of a record's import are pure computation and need neither the
record's transaction nor the search index: reading and mapping the upstream
record (``build_package``) and validating the saved record against DCAT-AP.de
(its graph built with the portal's RDF profile, then SHACL). The worker,
forked from the harvesting process for each job, does both on the second
core:

* **ahead**: it reads the job's waiting harvest objects in the order they
  were gathered (the order ckanext-harvest queues them) and builds each
  with the harvester, keeping up to ``AHEAD`` results; the import of an
  object takes its result (``built``) instead of building it, if the worker
  built the same content with the same source configuration. Only
  harvesters whose ``build_package`` depends on nothing but the record and
  the source configuration (``BUILD_AHEAD``) are built ahead;
* **validation**: the harvester hands the record it just saved to the worker
  (``submit``), indexes it meanwhile and then takes the findings back
  (``Pending.result``), to store them in the record's transaction as before.

Being forked, the worker runs the same code with the same configuration
and plugins; a new one is forked for each job and whenever the
configuration changed, and stopped when the job's last record is imported.
It never touches the parent's database connections (ending them would end
the parent's transaction): it opens its own, for what it reads (the waiting
objects, a record's organisation), and ends its read transaction after each
record.

Whatever goes wrong with the worker (it died, answered with an error, took
longer than ``TIMEOUT``) makes ``built`` and ``Pending.result`` return
None, and the harvester builds or validates in its own process, as without
the worker. ``ckanext.smartcityatlas.harvest.worker = false`` turns it off
(e.g. where ``os.fork`` is not available).
"""
from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import time

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.quality import conformance

log = logging.getLogger(__name__)

# seconds an answer may take (the slowest records take a fraction of a second)
TIMEOUT = 120.0
# records built ahead and not yet taken, at most; records built after each
# import took its record (one more than it takes, to get ahead)
AHEAD = 16
BURST = 2

_current: "_Worker | None" = None
# workers forked, records taken as built ahead, and the CPU seconds each
# worker used as its last answer said (for tests and bench/)
forks = 0
taken_ahead = 0
cpu_seconds: dict[int, float] = {}


def enabled() -> bool:
    return hasattr(os, "fork") and tk.asbool(tk.config.get("ckanext.smartcityatlas.harvest.worker"))


class Pending:
    """A saved record being validated in the worker."""

    def __init__(self, worker: "_Worker", package_id: str):
        self._worker = worker
        self._package_id = package_id

    def result(self) -> conformance.Findings | None:
        """The findings, or None when the worker could not give them."""
        return self._worker.answer(self._package_id)


def built(harvester, harvest_object, source_config: str | None):
    """What the worker built ahead for this harvest object: ``("ok", dict,
    notes)`` or ``("record_error", message, notes)`` (notes: the mapper's
    ``repairs``, ``unmapped`` and ``notes``); None when it has nothing for
    it (the caller builds the record itself). Forks the job's worker."""
    global taken_ahead
    if not getattr(harvester, "BUILD_AHEAD", False):
        return None
    worker = _worker(harvest_object.harvest_job_id, harvester, check_config=True)
    if worker is None or not worker.send(("built", (harvest_object.id, source_config or ""))):
        return None
    found = worker.answer(harvest_object.id)
    taken_ahead += found is not None
    return found


def submit(pkg: dict, job_id: str | None, harvester=None) -> Pending | None:
    """Start validating a saved record (package_show's dict) in the job's
    worker; None when the worker is off or cannot be started. Take the
    result before handing over the next record."""
    # the configuration was compared when the record was built (once per record)
    worker = _worker(job_id, harvester, check_config=not getattr(harvester, "BUILD_AHEAD", False))
    if worker is None or not worker.send(("validate", pkg)):
        return None
    return Pending(worker, pkg.get("id"))


def stop() -> None:
    """Stop the worker (it is forked again when needed)."""
    global _current
    worker, _current = _current, None
    if worker is not None:
        worker.close()


def _worker(job_id: str | None, harvester, check_config: bool) -> "_Worker | None":
    """The job's worker, forked if there is none or it belongs to another
    job or configuration (``check_config``: compare the configuration)."""
    global _current
    if not enabled():
        return None
    if _current is not None and (_current.key[0] != job_id or not _current.alive()
                                 or (check_config and _current.key[1] != _config_key())):
        stop()
    if _current is None:
        key = (job_id, _config_key())
        ahead = _Ahead(harvester, job_id) if getattr(harvester, "BUILD_AHEAD", False) and job_id else None
        try:
            _current = _Worker(key, ahead)
        except OSError:
            log.exception("harvest worker: could not be started; working in this process")
            return None
    return _current


def _config_key() -> int:
    return hash(tuple(sorted((key, repr(value)) for key, value in tk.config.items())))


class _Worker:
    def __init__(self, key, ahead: "_Ahead | None"):
        global forks
        context = multiprocessing.get_context("fork")
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, self.conn, ahead), daemon=True,
                                       name="sca-harvest-worker")
        self.process.start()
        child_end.close()
        forks += 1
        self.key = key
        self.waiting = False

    def alive(self) -> bool:
        return self.process.is_alive()

    def send(self, message) -> bool:
        if self.waiting:  # the answer for a record whose save failed after submit
            self.answer(None)
            if _current is not self:
                return False
        try:
            self.conn.send(message)
        except (OSError, ValueError, TypeError):  # gone, or the dict cannot be pickled
            log.exception("harvest worker: %s not handed over", message[0])
            self._give_up()
            return False
        self.waiting = True
        return True

    def answer(self, about):
        if not self.waiting:
            return None
        self.waiting = False
        try:
            if not self.conn.poll(TIMEOUT):
                raise TimeoutError(f"no answer within {TIMEOUT:.0f} s")
            status, value, cpu = self.conn.recv()
        except (OSError, EOFError, TimeoutError) as exc:
            log.error("harvest worker: no answer about %s (%s); working in this process", about, exc)
            self._give_up()
            return None
        cpu_seconds[self.process.pid] = cpu
        if status != "ok":
            log.error("harvest worker: %s failed in the worker (%s); working in this process", about, value)
            return None
        return value

    def _give_up(self) -> None:
        global _current
        if _current is self:
            _current = None
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()  # the worker ends at the end of its pipe
        except OSError:
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)


# ---- the worker process ------------------------------------------------------------------

class _Ahead:
    """The job's next records, built in the worker before they are imported."""

    def __init__(self, harvester, job_id: str):
        self.harvester = harvester
        self.job_id = job_id
        self.todo: collections.deque = collections.deque()
        self.done: collections.OrderedDict = collections.OrderedDict()
        self.seen: set[str] = set()
        self.exhausted = False

    def has_work(self) -> bool:
        if len(self.done) >= AHEAD:
            return False
        if not self.todo and not self.exhausted:
            self._refill()
        return bool(self.todo)

    def _refill(self) -> None:
        # the objects built ahead and not taken yet are still waiting: read past them
        rows = model.Session.execute(sa.text(
            "SELECT o.id, o.guid, o.content, o.harvest_source_id, s.config FROM harvest_object o "
            "JOIN harvest_source s ON s.id = o.harvest_source_id "
            "WHERE o.harvest_job_id = :job AND o.state = 'WAITING' AND o.content IS NOT NULL "
            "ORDER BY o.gathered, o.id LIMIT :limit"),
            {"job": self.job_id, "limit": len(self.done) + 2 * AHEAD}).fetchall()
        model.Session.remove()
        fresh = [row for row in rows if row[0] not in self.seen]
        self.todo.extend(fresh)
        self.exhausted = not fresh

    def step(self) -> None:
        object_id, guid, content, source_id, config = self.todo.popleft()
        self.seen.add(object_id)
        try:
            self.done[object_id] = (config or "", self.harvester.build_ahead(content, guid, source_id, config))
        except Exception:  # noqa: BLE001 - the import builds it again and reports
            log.debug("harvest worker: %s not built ahead", guid, exc_info=True)
        finally:
            model.Session.remove()

    def take(self, object_id: str, config: str):
        if object_id in self.done:
            # records built before this one were not asked for: another
            # consumer imported them
            while True:
                key, (used_config, result) = self.done.popitem(last=False)
                if key == object_id:
                    return result if used_config == config else None
        if len(self.done) >= AHEAD:
            # full of records nobody asks for (the import goes another way
            # than the gathered order): start again from those still waiting
            self.seen.difference_update(self.done)
            self.done.clear()
            self.todo.clear()
            self.exhausted = False
        return None


def _serve(conn, parent_end, ahead: _Ahead | None) -> None:
    parent_end.close()
    _own_database_connections()
    burst = 0
    while True:
        # Records are built right after the import of one took its record:
        # the importer then saves for a while and asks for nothing. A
        # question that comes while a record is being built waits for it.
        if burst and ahead is not None and not conn.poll(0) and ahead.has_work():
            ahead.step()
            burst -= 1
            continue
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return  # the parent stopped us, or ended
        burst = BURST if kind == "built" else burst
        try:
            if kind == "validate":
                reply = ("ok", conformance.validate_dataset_dict(payload))
            elif kind == "built":
                reply = ("ok", ahead.take(*payload) if ahead is not None else None)
            else:
                reply = ("error", f"unknown request {kind!r}")
        except Exception as exc:  # noqa: BLE001 - the parent does it itself then
            log.exception("harvest worker: %s", kind)
            reply = ("error", f"{type(exc).__name__}: {exc}")
        finally:
            model.Session.remove()  # no read transaction left open between records
        try:
            conn.send(reply + (time.process_time(),))
        except (OSError, ValueError):
            return


# The parent's session and connection pool, kept referenced in the worker:
# were they closed or garbage-collected here, their connections would send
# PostgreSQL a rollback or a goodbye on the parent's behalf.
_INHERITED: list = []


def _own_database_connections() -> None:
    registry = model.Session.registry
    if registry.has():
        _INHERITED.append(registry())
        registry.clear()
    engine = model.meta.engine
    _INHERITED.append(engine.pool)
    engine.dispose(close=False)
