# SPDX-License-Identifier: AGPL-3.0-or-later
"""A fetch consumer killed with -9 in the middle of a job (DCAT and radar),
then started again as `deploy/sca up` does: the job finishes, no record is
half-written or imported twice, and the search index agrees with the
database (harvesters/consumers.py puts the dead consumer's message back)."""
import signal
import time

import pytest
from ckan.tests import factories, helpers

from tests.helpers import consumers, harvest, radar
from tests.helpers.local_server import ALLOW_LOCAL

RECORDS = 60
pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _kill_mid_job_and_recover(source: dict, tmp_path, expected: int):
    consumers.clear_queue()
    first = consumers.start(1, tmp_path, "first")[0]
    job, ids = consumers.queue_job(source)
    assert len(ids) == expected
    deadline = time.monotonic() + 120
    while first.taken() < expected // 4:
        assert time.monotonic() < deadline and first.proc.poll() is None, first.text()[-2000:]
        time.sleep(0.05)
    first.stop(signal.SIGKILL)  # in the middle of importing a record, most likely
    assert consumers.unfinished(job.id) > 0
    again = consumers.start(1, tmp_path, "again")
    try:
        consumers.wait_imported(job.id, again)
    finally:
        again[0].stop()
    helpers.call_action("harvest_jobs_run", {"ignore_auth": True})
    return job


def test_a_dcat_job_finishes_after_its_consumer_was_killed(server, unique, tmp_path):
    org = factories.Organization(name=f"recovery-{unique}")
    server.add(f"/{unique}/catalog.ttl", body=harvest.page(
        *[harvest.record(f"r{unique}-{i:03d}", title="Spielplätze") for i in range(RECORDS)]))
    source = harvest.create_source(server.url(f"/{unique}/catalog.ttl"), org, name=f"recovery-{unique}")
    job = _kill_mid_job_and_recover(source, tmp_path, RECORDS)
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    assert report["status"] == "Finished"
    assert report["stats"].get("added") == RECORDS and not report["stats"].get("errored"), report["stats"]
    consumers.database_and_index_agree(source, RECORDS)


def test_a_radar_import_finishes_after_its_consumer_was_killed(server, unique, tmp_path):
    org = factories.Organization(name=f"radar-recovery-{unique}")
    rows = [{"Radar-ID": f"RC-{i}", "Titel": f"Projekt Wiederanlauf {i}", "Typ": "Projekt", "Status": "Laufend",
             "Stand": "31.01.2025", "Kurzbeschreibung": "Ein Projekt im Quartier."} for i in range(40)]
    server.add(f"/{unique}/radar.csv", body=radar.csv_bytes(rows), content_type="text/csv")
    source = radar.create_source(server.url(f"/{unique}/radar.csv"), org, name=f"radar-recovery-{unique}")
    job = _kill_mid_job_and_recover(source, tmp_path, 40)
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    assert report["status"] == "Finished" and not report["stats"].get("errored"), report["stats"]
    consumers.database_and_index_agree(source, 40)
