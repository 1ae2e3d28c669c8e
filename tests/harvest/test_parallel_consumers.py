# SPDX-License-Identifier: AGPL-3.0-or-later
"""Several fetch consumers on one job (SCA_FETCH_CONSUMERS): every record is
imported exactly once, the job report is the one a single consumer gives,
and the job's end is recognised once.

The consumers are real processes (``ckan sca harvest-consumer fetch``, as
`deploy/sca up` starts them) on the test configuration's Redis queue; the
gather stage runs here and queues the objects as the gather consumer does.
"""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import ckan.plugins as p
import pytest
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
from ckanext.smartcityatlas.harvesters import job_end

from tests.helpers import harvest
from tests.helpers.local_server import ALLOW_LOCAL

RECORDS = 36
pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _catalog(prefix: str) -> str:
    # some records with notes (no contact e-mail), so the reports have something to compare
    return harvest.page(*[harvest.record(f"{prefix}-{i:03d}", title="Parkplätze",
                                         contact_email=i % 6 != 0) for i in range(RECORDS)])


def _start_consumers(count: int, folder: Path) -> list:
    ckan = str(Path(sys.executable).with_name("ckan"))
    procs = []
    for n in range(count):
        log = folder / f"fetch-{n}.log"
        out = log.open("wb")
        procs.append((subprocess.Popen([ckan, "-c", tk.config["__file__"], "sca", "harvest-consumer", "fetch"],
                                       stdout=out, stderr=subprocess.STDOUT, start_new_session=True), log, out))
    deadline = time.monotonic() + 120
    for proc, log, _ in procs:  # each is listening before work is queued
        while "consumer listening on" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "a fetch consumer did not start within 120 s"
            time.sleep(0.3)
    return procs


def _stop(procs) -> None:
    for proc, _, out in procs:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        out.close()


def _unfinished(job_id: str) -> int:
    model.Session.remove()  # see what the consumers committed
    return model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObject.state.in_(job_end.UNFINISHED)).count()


def _harvest_with_consumers(source: dict, consumers: int, folder: Path):
    """Gather here, import with ``consumers`` processes; the job's report and
    the messages each consumer took."""
    routing_key = queue.get_fetch_routing_key()
    queue.get_connection().delete(routing_key)  # leftovers of other tests' jobs are not ours to import
    procs = _start_consumers(consumers, folder)
    try:
        job = HarvestJob(source=HarvestSource.get(source["id"]))
        job.status = "Running"
        job.save()
        ids = queue.gather_stage(p.get_plugin("sca_dcat_rdf"), job)
        assert len(ids) == RECORDS
        publisher = queue.get_fetch_publisher()
        for object_id in ids:
            publisher.send({"harvest_object_id": object_id})
        publisher.close()
        deadline = time.monotonic() + 300
        while _unfinished(job.id):
            assert all(proc.poll() is None for proc, _, _ in procs), "a consumer died"
            assert time.monotonic() < deadline, "the consumers did not import the job within 300 s"
            time.sleep(0.5)
        # the job's end (the claim is set once the last record is in)
        deadline = time.monotonic() + 30
        while not queue.get_connection().get(job_end.claim_key(job.id)):
            assert time.monotonic() < deadline, "nobody recognised the end of the job"
            time.sleep(0.2)
    finally:
        _stop(procs)
    helpers.call_action("harvest_jobs_run", {"ignore_auth": True})
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    taken = [len(re.findall(r"Received harvest object id", log.read_text(errors="replace"))) for _, log, _ in procs]
    return report, taken


def _comparable(report: dict, prefix: str) -> dict:
    def plain(text):
        return re.sub(rf"\b{prefix}-", "X-", str(text))

    return {
        "status": report["status"],
        "stats": report["stats"],
        "counts": report["counts"],
        "records": sorted((plain(r["guid"]), r["status"], plain(sorted((n["kind"], n["message"]) for n in r["notes"])))
                          for r in report["records"]),
    }


def test_two_fetch_consumers_import_every_record_once_with_the_report_of_one(server, unique, tmp_path):
    org = factories.Organization(name=f"parallel-{unique}")
    server.add(f"/{unique}/a.ttl", body=_catalog(f"a{unique}"))
    server.add(f"/{unique}/b.ttl", body=_catalog(f"b{unique}"))
    one = harvest.create_source(server.url(f"/{unique}/a.ttl"), org, name=f"eins-{unique}")
    two = harvest.create_source(server.url(f"/{unique}/b.ttl"), org, name=f"zwei-{unique}")

    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
    single, _ = _harvest_with_consumers(one, 1, tmp_path / "one")
    double, taken = _harvest_with_consumers(two, 2, tmp_path / "two")

    assert all(n > 0 for n in taken) and sum(taken) == RECORDS, f"messages per consumer: {taken}"
    assert single["stats"].get("added") == RECORDS, single["stats"]
    assert _comparable(double, f"b{unique}") == _comparable(single, f"a{unique}")
    # exactly once: one harvest object per record, one dataset per record
    guids = [r["guid"] for r in double["records"]]
    assert len(guids) == len(set(guids)) == RECORDS
    found = helpers.call_action("package_search", {"ignore_auth": True},
                                fq=f'+harvest_source_id:"{two["id"]}"', rows=0, include_private=True)
    assert found["count"] == RECORDS
    assert len({r["package_id"] for r in double["records"]}) == RECORDS
