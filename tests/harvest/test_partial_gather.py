# SPDX-License-Identifier: AGPL-3.0-or-later
"""A page that fails after others were read (issue 25, item 2): the records
read are imported, the job says it is incomplete, nothing is withdrawn, and
the next run reads the catalog again. A first harvest never ends with zero
records because page 2 timed out or answered 500."""
import pytest

from ckan.tests import factories

from tests.helpers.fake_ckan import FakeCKAN, portal_datasets
from tests.helpers.fake_csw import FakeCSW, city_record, csw_source
from tests.helpers.harvest import create_source, harvested, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _incomplete(report) -> list[str]:
    return [m for m in report["gather"] if m.startswith("[incomplete]")]


def _active(source_id: str) -> set[str]:
    return {d["title"] for d in harvested(source_id) if not d.get("sca_withdrawn")}


@pytest.mark.parametrize("broken", [
    {"status": 500, "body": b"Internal Server Error"},
    {"body": b"@prefix : <x> . this is not Turtle"},
])
def test_dcat_catalog_whose_second_page_fails(app, server, harvest_org, broken):
    server.add("/p1.ttl", body=page(record("a"), record("b"), next_page="p2.ttl"))
    server.add("/p2.ttl", **broken)
    source = create_source(server.url("/p1.ttl"), harvest_org)

    first = run_job(source)
    assert first["stats"]["added"] == 2
    assert first["counts"]["incomplete"] == 1
    assert "page 2" in _incomplete(first)[0] and "no record was withdrawn" in _incomplete(first)[0]
    assert _active(source["id"]) == {"Datensatz a", "Datensatz b"}
    token = factories.APIToken(user=factories.Sysadmin()["name"])["token"]
    shown = app.get(f"/en/harvest/{source['name']}/job/{first['job_id']}/report",
                    headers={"Authorization": token}, status=200).body
    assert "could not be read completely" in shown and "Catalogue not read completely" in shown

    server.add("/p2.ttl", body=page(record("c")))
    assert run_job(source)["stats"]["added"] == 1  # the next run reads page 2 again

    server.add("/p2.ttl", **broken)
    again = run_job(source)
    assert _incomplete(again) and again["stats"]["deleted"] == 0
    assert _active(source["id"]) == {"Datensatz a", "Datensatz b", "Datensatz c"}  # c not withdrawn


def test_dcat_catalog_whose_first_page_fails_changes_nothing(server, harvest_org):
    server.add("/p1.ttl", body=page(record("a")))
    source = create_source(server.url("/p1.ttl"), harvest_org)
    assert run_job(source)["stats"]["added"] == 1
    server.add("/p1.ttl", status=503, body=b"")
    report = run_job(source)
    assert not _incomplete(report)
    assert any("previously harvested records are unchanged" in m for m in report["gather"])
    assert _active(source["id"]) == {"Datensatz a"}


def test_ckan_portal_whose_later_pages_fail(server, harvest_org):
    portal = FakeCKAN(portal_datasets(12))

    def failing_after_the_first_page(req, route):
        if "start=" in req.path and "start=0" not in req.path:  # the listing's later pages
            req.send_response(502)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return None
        return portal.handler(req, route)

    server.add_prefix("/portal/api/3/action/", failing_after_the_first_page)
    source = create_source(server.url("/portal"), harvest_org, config={"rows": 5}, source_type="sca_ckan",
                           name="portal")
    report = run_job(source)
    assert report["stats"]["added"] == 5
    assert "page 2" in _incomplete(report)[0]
    assert len(_active(source["id"])) == 5


def test_ckan_portal_whose_full_records_fail_after_the_listing(server, harvest_org):
    """The listing is read, fetching the full records of a batch fails: the
    other records are imported, the job is incomplete."""
    portal = FakeCKAN(portal_datasets(6))
    portal.route(server)
    source = create_source(server.url("/portal"), harvest_org, source_type="sca_ckan", name="portal")
    listing = portal.handler

    def full_records_fail(req, route):
        if "fq=id" in req.path:
            req.send_response(500)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return None
        return listing(req, route)

    server.prefixes["/portal/api/3/action/"].handler = full_records_fail
    report = run_job(source)
    assert _incomplete(report) and report["stats"]["deleted"] == 0


def test_csw_whose_second_page_fails(server, harvest_org):
    csw = FakeCSW([city_record(i) for i in range(1, 8)])

    def failing_after_the_first_page(req, route):
        if "startPosition=1&" not in req.path and "GetRecords&" in req.path:
            req.send_response(500)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return None
        return csw.handler(req, route)

    source = csw_source(server, harvest_org, csw, config={"page_size": 5})
    server.prefixes["/csw"].handler = failing_after_the_first_page
    report = run_job(source)
    assert report["stats"]["added"] == 5
    assert "page 2" in _incomplete(report)[0]
