# SPDX-License-Identifier: AGPL-3.0-or-later
"""Several fetch consumers on one job (SCA_FETCH_CONSUMERS): every record is
imported exactly once, the job report is the one a single consumer gives,
and the job's end is recognised once.

The consumers are real processes (``ckan sca harvest-consumer fetch``, as
`deploy/sca up` starts them) on the test configuration's Redis queue; the
gather stage runs here and queues the objects as the gather consumer does.
"""
import re
from pathlib import Path

import pytest
from ckan.tests import factories, helpers

from tests.helpers import consumers, harvest
from tests.helpers.local_server import ALLOW_LOCAL

RECORDS = 36
pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _catalog(prefix: str) -> str:
    # some records with notes (no contact e-mail), so the reports have something to compare
    return harvest.page(*[harvest.record(f"{prefix}-{i:03d}", title="Parkplätze",
                                         contact_email=i % 6 != 0) for i in range(RECORDS)])


def _harvest_with_consumers(source: dict, count: int, folder: Path):
    """Gather here, import with ``count`` consumer processes; the job's report
    and how many messages each consumer took."""
    consumers.clear_queue()
    running = consumers.start(count, folder)
    try:
        job, ids = consumers.queue_job(source)
        assert len(ids) == RECORDS
        consumers.wait_imported(job.id, running)
    finally:
        for consumer in running:
            consumer.stop()
    helpers.call_action("harvest_jobs_run", {"ignore_auth": True})
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    return report, [consumer.taken() for consumer in running]


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
