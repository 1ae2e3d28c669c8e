# SPDX-License-Identifier: AGPL-3.0-or-later
"""The job report as a page for data contacts (/harvest/<source>/job/<id>/report):
built on sca_harvest_job_report's data, for whoever may see the source's
jobs, in English and German, escaped, with accessible tables, linked from
ckanext-harvest's job page and source dashboard."""
import json
import re

import pytest

from ckan import model
from ckan.tests import factories

from tests.helpers.harvest import PREFIXES, create_source, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

HOSTILE = "<script>alert(1)</script>"
LICENCE_IRI = "dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>"


def _catalog() -> str:
    clean = record("sauber", identifier="urn:x:sauber")
    repaired = record("lizenz", identifier="urn:x:lizenz").replace(
        LICENCE_IRI, 'dct:license "Datenlizenz Deutschland – Namensnennung – Version 2.0"')
    degraded = record("datum", identifier="urn:x:datum").replace(
        'dct:title "Datensatz datum"@de ;', f'dct:title "Datensatz datum"@de ; dct:modified "{HOSTILE}" ;')
    untitled = record("ohne-titel", identifier="urn:x:ohne-titel").replace('dct:title "Datensatz ohne-titel"@de ;', "")
    return PREFIXES + clean + repaired + degraded + untitled


def _headers(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}


def _number(body: str, label: str) -> int:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td>(\d+)', body)
    assert found, label
    return int(found.group(1))


@pytest.fixture
def job(server, world):
    server.add("/c.ttl", body=_catalog())
    source = create_source(server.url("/c.ttl"), world["org_a"], name="stadtkatalog")
    report = run_job(source)
    return {"source": source, "report": report, "url": f"/harvest/stadtkatalog/job/{report['job_id']}/report"}


def test_counts_groups_and_fixes_from_the_report(app, job, world):
    report = job["report"]
    body = app.get("/en" + job["url"], headers=_headers(world["users"]["editor"]), status=200).body
    statuses = [r["status"] for r in report["records"]]
    refused = statuses.count("errored")
    assert _number(body, "Read from the source") == 4
    assert _number(body, "Imported") == 4 - refused >= 3
    assert _number(body, "Imported: new") == 4 - refused
    assert _number(body, "Imported and repaired") >= 1
    assert _number(body, "Imported with a value dropped (degraded)") >= 1
    assert _number(body, "Not imported (refused)") == refused
    # grouped by kind with an example, and the fix for the publisher
    assert re.search(r'<th scope="row">Repaired: <code>distribution license</code></th>', body)
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in body
    assert re.search(r'<th scope="row">Value dropped: <code>modified</code></th>', body)
    assert "Publish distribution license in the form the portal repaired it to" in body
    assert "Publish modified as a value of its controlled vocabulary or in a valid form" in body
    # the example links the dataset that has the problem
    dataset = next(r["package_id"] for r in report["records"] if r["guid"] == "urn:x:lizenz")
    assert f'href="/en/dataset/{dataset}"' in body or f'href="/dataset/{dataset}"' in body
    # accessible tables: captions, header cells with scope, one h1, h2 sections
    assert body.count("<caption>") == 2
    assert '<th scope="col">Kind of problem</th>' in body
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert {"Summary", "Problems by kind", "What the publisher should fix upstream"} <= \
        set(re.findall(r"<h2>([^<]+)</h2>", body))


def test_upstream_text_is_escaped(app, job, world):
    body = app.get("/en" + job["url"], headers=_headers(world["users"]["sysadmin"]), status=200).body
    assert HOSTILE not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_german_page(app, job, world):
    body = app.get("/de" + job["url"], headers=_headers(world["users"]["admin"]), status=200).body
    assert "Harvest-Bericht für Datenverantwortliche" in body
    assert "Status des Jobs: Beendet." in body
    assert _number(body, "Aus der Quelle gelesen") == 4
    assert re.search(r'<th scope="row">Repariert: <code>distribution license</code></th>', body)
    assert "distribution license in der Form veröffentlichen, in die das Portal den Wert repariert hat" in body
    assert "Was der Herausgeber an der Quelle korrigieren sollte" in body


@pytest.mark.parametrize("role, status", [("sysadmin", 200), ("admin", 200), ("editor", 200), ("member", 403),
                                          ("other_editor", 403), ("anonymous", 403)])
def test_only_who_may_see_the_sources_jobs(app, job, world, role, status):
    app.get(job["url"], headers=_headers(world["users"][role]), status=status)
    # the same rule as the API report and ckanext-harvest's job page
    app.get(f"/harvest/stadtkatalog/job/{job['report']['job_id']}", headers=_headers(world["users"][role]),
            status=status if status == 200 else 403)


def test_wrong_source_unknown_job_and_bad_ids(app, job, world, server):
    headers = _headers(world["users"]["sysadmin"])
    other = create_source(server.url("/andere.ttl"), world["org_a"], name="andere")
    job_id = job["report"]["job_id"]
    app.get(f"/harvest/andere/job/{job_id}/report", headers=headers, status=404)
    app.get(f"/harvest/{other['id']}/job/{job_id}/report", headers=headers, status=404)
    app.get(f"/harvest/{job['source']['id']}/job/{job_id}/report", headers=headers, status=200)
    app.get("/harvest/stadtkatalog/job/00000000-0000-4000-8000-000000000000/report", headers=headers, status=404)
    app.get(f"/harvest/stadtkatalog/job/{'x' * 500}/report", headers=headers, status=400)
    app.get(f"/harvest/{'x' * 500}/job/{job_id}/report", headers=headers, status=400)


def test_linked_from_the_job_page_and_the_source_dashboard(app, job, world):
    headers = _headers(world["users"]["editor"])
    job_id = job["report"]["job_id"]
    link = f'href="/en/harvest/stadtkatalog/job/{job_id}/report"'
    assert link in app.get(f"/en/harvest/stadtkatalog/job/{job_id}", headers=headers, status=200).body
    assert link in app.get("/en/harvest/admin/stadtkatalog", headers=headers, status=200).body


def test_shows_the_categories_the_report_holds(app, job, world):
    """Kinds of note the page's tables do not know (or know only by their
    newer names) are shown as the report holds them, grouped by their code."""
    from ckanext.harvest.model import HarvestObject

    obj = model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == job["report"]["job_id"], HarvestObject.guid == "urn:x:sauber").one()
    extra = next(e for e in obj.extras if e.key == "sca_report")
    extra.value = json.dumps([
        {"kind": "degraded", "code": "contact-email", "message": "contactPoint: 'info(at)stadt.example' dropped"},
        {"kind": "degraded", "code": "contact-email", "message": "contactPoint: 'x(at)y' dropped"},
        {"kind": "licence-unknown", "message": "license: 'Eigene Nutzungsbedingungen' kept as text"},
    ])
    model.Session.commit()
    body = app.get("/en" + job["url"], headers=_headers(world["users"]["sysadmin"]), status=200).body
    row = re.search(r'<th scope="row">Value dropped: <code>contact-email</code></th>\s*<td>1</td>\s*<td>2</td>',
                    body)
    assert row, body
    assert '<th scope="row">licence-unknown: <code>license</code></th>' in body
    assert "info(at)stadt.example" in body  # the first one is the example


def test_the_report_reads_the_notes_in_one_query(server, harvest_org):
    """Not one query per record: a job of 2,000 records took a second."""
    import sqlalchemy as sa

    from ckan.tests import helpers

    from tests.helpers.harvest import page

    server.add("/c.ttl", body=page(*(record(f"r{i}", identifier=f"urn:x:r{i}") for i in range(30))))
    report = run_job(create_source(server.url("/c.ttl"), harvest_org))
    statements = []
    model.Session.remove()  # as a new request: nothing loaded yet

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        again = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=report["job_id"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(again["records"]) == 30 and again["records"] == report["records"]
    assert len(statements) < 20, len(statements)
