# SPDX-License-Identifier: AGPL-3.0-or-later
"""A gather consumer killed with -9 while it reads a paged catalog, then
started again as `deploy/sca up` does: the job is gathered again (the dead
consumer's message goes back on the queue, harvesters/consumers.py), every
record is imported exactly once, the job finishes and the index agrees
with the database."""
import signal
import threading
import time

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.harvest.model import HarvestObject
from tests.helpers import consumers, harvest
from tests.helpers.local_server import ALLOW_LOCAL

PER_PAGE = 15
# the gather consumer fetches from the local test server, as ALLOW_LOCAL lets the tests do
LOCAL = {"ckanext.smartcityatlas.harvest.allowed_networks": "127.0.0.1/32"}
pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _objects(job_id: str) -> int:
    model.Session.remove()
    return model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job_id).count()


def test_a_job_whose_gather_consumer_was_killed_is_gathered_again(server, unique, tmp_path):
    org = factories.Organization(name=f"gather-recovery-{unique}")
    records = [harvest.record(f"g{unique}-{i:03d}", title="Spielplätze") for i in range(2 * PER_PAGE)]
    second = server.url(f"/{unique}/p2.ttl")
    server.add(f"/{unique}/p1.ttl", body=harvest.page(*records[:PER_PAGE], next_page=second))
    asked, release = threading.Event(), threading.Event()
    body = harvest.page(*records[PER_PAGE:]).encode("utf-8")

    def second_page(req, route):
        if route.hits == 1:  # the first gather waits here until it is killed
            asked.set()
            release.wait(60)
            return
        req.send_response(200)
        req.send_header("Content-Type", "text/turtle")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    server.add(f"/{unique}/p2.ttl", handler=second_page)
    source = harvest.create_source(server.url(f"/{unique}/p1.ttl"), org, name=f"gather-recovery-{unique}")

    consumers.clear_queue()
    first = consumers.Consumer(tmp_path, "gather-first", kind="gather", settings=LOCAL)
    fetch, again = [], []
    try:
        first.wait_listening()
        fetch = consumers.start(1, tmp_path, "fetch")
        # creating the job sends it to the gather queue, as the scheduler does
        job = helpers.call_action("harvest_job_create", {"ignore_auth": True}, source_id=source["id"])
        assert asked.wait(120), first.text()[-3000:]
        first.stop(signal.SIGKILL)  # in the middle of reading the catalog
        release.set()
        assert _objects(job["id"]) == 0  # nothing of the half-read catalog was kept
        again = [consumers.Consumer(tmp_path, "gather-again", kind="gather", settings=LOCAL)]
        again[0].wait_listening()
        deadline = time.monotonic() + 120
        while _objects(job["id"]) < 2 * PER_PAGE:
            assert time.monotonic() < deadline, again[0].text()[-3000:]
            time.sleep(0.3)
        consumers.wait_imported(job["id"], fetch)
    finally:
        for consumer in [first] + fetch + again:
            consumer.stop()
    helpers.call_action("harvest_jobs_run", {"ignore_auth": True})
    assert _objects(job["id"]) == 2 * PER_PAGE  # gathered once more, not twice
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job["id"])
    assert report["status"] == "Finished"
    assert report["stats"].get("added") == 2 * PER_PAGE and not report["stats"].get("errored"), report["stats"]
    consumers.database_and_index_agree(source, 2 * PER_PAGE)
