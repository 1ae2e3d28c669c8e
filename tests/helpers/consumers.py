# SPDX-License-Identifier: AGPL-3.0-or-later
"""Real harvest consumers (``ckan sca harvest-consumer fetch|gather``, as
`deploy/sca up` runs them) on the test configuration's Redis queues, and a
job whose gather stage runs here and whose objects go onto the fetch queue."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
from ckanext.smartcityatlas.harvesters import job_end


def _ini_with(folder: Path, settings: dict[str, str]) -> str:
    """The test configuration with ``settings`` in [app:main] (a gather
    consumer needs what the test's ``ckan_config`` marks set in-process)."""
    if not settings:
        return tk.config["__file__"]
    lines = Path(tk.config["__file__"]).read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if line.split("=")[0].strip() not in settings]
    at = lines.index("[app:main]") + 1
    lines[at:at] = [f"{key} = {value}" for key, value in settings.items()]
    path = folder / "consumer.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


class Consumer:
    def __init__(self, folder: Path, name: str, kind: str = "fetch", settings: dict[str, str] | None = None):
        self.log = folder / f"{name}.log"
        self._out = self.log.open("wb")
        ckan = str(Path(sys.executable).with_name("ckan"))
        ini = _ini_with(folder, settings or {})
        self.proc = subprocess.Popen([ckan, "-c", ini, "sca", "harvest-consumer", kind],
                                     stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def taken(self) -> int:
        return len(re.findall(r"Received harvest object id", self.text()))

    def wait_listening(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while "consumer listening on" not in self.text():
            assert self.proc.poll() is None, self.text()[-3000:]
            assert time.monotonic() < deadline, f"a consumer did not start within {timeout} s"
            time.sleep(0.3)

    def stop(self, sig=signal.SIGTERM) -> None:
        """Stop it and its job's worker (same process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        self.proc.wait(timeout=60)
        self._out.close()


def start(count: int, folder: Path, prefix: str = "fetch") -> list[Consumer]:
    consumers = [Consumer(folder, f"{prefix}-{n}") for n in range(count)]
    for consumer in consumers:  # each is listening before work is queued
        consumer.wait_listening()
    return consumers


def clear_queue() -> None:
    """Leftovers of other tests' jobs are not ours to gather or import."""
    queue.get_connection().delete(queue.get_fetch_routing_key(), queue.get_gather_routing_key())


def queue_job(source: dict) -> tuple[HarvestJob, list[str]]:
    """A job of ``source``: gathered here, its objects on the fetch queue."""
    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(p.get_plugin(source.get("source_type") or "sca_dcat_rdf"), job)
    publisher = queue.get_fetch_publisher()
    for object_id in ids:
        publisher.send({"harvest_object_id": object_id})
    publisher.close()
    return job, ids


def unfinished(job_id: str) -> int:
    model.Session.remove()  # see what the consumers committed
    return model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObject.state.in_(job_end.UNFINISHED)).count()


def wait_imported(job_id: str, consumers: list[Consumer], timeout: float = 300) -> None:
    """Until every object of the job is imported and its end recognised."""
    deadline = time.monotonic() + timeout
    while unfinished(job_id):
        assert all(c.proc.poll() is None for c in consumers), "a consumer died"
        assert time.monotonic() < deadline, f"the consumers did not import the job within {timeout} s"
        time.sleep(0.5)
    deadline = time.monotonic() + 30
    while not queue.get_connection().get(job_end.claim_key(job_id)):
        assert time.monotonic() < deadline, "nobody recognised the end of the job"
        time.sleep(0.2)


def database_and_index_agree(source: dict, expected: int) -> None:
    """Each record of the source once in the database, active, and indexed as such."""
    from ckan.tests import helpers

    model.Session.remove()
    current = {r[0] for r in model.Session.query(HarvestObject.package_id).filter(
        HarvestObject.harvest_source_id == source["id"], HarvestObject.current == True)}  # noqa: E712
    active = {r[0] for r in model.Session.query(model.Package.id).filter(
        model.Package.id.in_(current), model.Package.state == "active")}
    assert len(active) == expected, "a record is missing or imported twice"
    indexed = helpers.call_action("package_search", {"ignore_auth": True}, fq=f'+harvest_source_id:"{source["id"]}"',
                                  rows=1000, fl="id", include_private=True)["results"]
    assert {d["id"] for d in indexed} == active
