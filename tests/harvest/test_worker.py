# SPDX-License-Identifier: AGPL-3.0-or-later
"""A harvest job's worker process (harvesters/worker.py): records built ahead
and saved records validated there give what the harvesting process gives,
the parent's transaction is untouched, and the harvesting process does the
work itself whenever the worker fails."""
import re

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.harvesters import worker as harvest_worker
from ckanext.smartcityatlas.harvesters import checks
from ckanext.smartcityatlas.quality import conformance
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.harvest import create_source, harvested, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")
WORKER = "ckanext.smartcityatlas.harvest.worker"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(autouse=True)
def _no_worker_left():
    harvest_worker.stop()
    yield
    harvest_worker.stop()


def _same(findings):
    return findings.profile, findings.status, findings.results, findings.error


@pytest.fixture
def office():
    # records without a contact of their own take the office's from the
    # database: the worker reads it with a connection of its own
    return factories.Organization(title="Umweltamt", contact_name="Open-Data-Team des Umweltamts",
                                  contact_email="umwelt-daten@example.org")


def test_the_worker_finds_what_this_process_finds(office):
    dataset = create(minimal_dataset(office, "cw1"))
    shown = helpers.call_action("package_show", id=dataset["id"])
    for pkg in (shown, dict(shown, notes="", tags=[])):  # as saved, then with a violation
        forks = harvest_worker.forks
        pending = harvest_worker.submit(pkg, "job-1")
        assert pending is not None
        from_worker = pending.result()
        assert from_worker is not None and from_worker.error is None
        assert _same(from_worker) == _same(conformance.validate_dataset_dict(pkg))
        assert harvest_worker.forks - forks <= 1
    assert from_worker.status == "violations"
    assert any(v["path"] == "dct:description" for v in from_worker.violations)


def test_the_parents_transaction_survives_the_worker(office):
    dataset = create(minimal_dataset(office, "cw2"))
    pkg = helpers.call_action("package_show", id=dataset["id"])
    # an uncommitted write of the parent while the worker reads, validates and ends
    model.Session.execute(sa.text("UPDATE package SET title = 'Neu im Elternprozess' WHERE id = :id"),
                          {"id": dataset["id"]})
    found = harvest_worker.submit(pkg, "job-2").result()
    assert _same(found) == _same(conformance.validate_dataset_dict(pkg))
    harvest_worker.stop()
    model.Session.commit()
    assert model.Session.execute(sa.text("SELECT title FROM package WHERE id = :id"),
                                 {"id": dataset["id"]}).scalar() == "Neu im Elternprozess"
    # and the parent's pooled connections still work after the worker ended
    model.Session.remove()
    assert helpers.call_action("package_show", id=dataset["id"])["id"] == dataset["id"]


def _kill_worker():
    harvest_worker._current.process.kill()
    harvest_worker._current.process.join()


def test_a_dead_worker_leaves_the_validation_to_this_process(office):
    dataset = create(minimal_dataset(office, "cw3"))
    pkg = dict(helpers.call_action("package_show", id=dataset["id"]), notes="")
    pending = checks.start_checks(pkg, "job-3")
    assert pending is not None
    _kill_worker()
    assert pending.result() is None and harvest_worker._current is None
    # the harvester's check validates here instead and stores the findings
    pending = checks.start_checks(pkg, "job-3")
    _kill_worker()
    checked = checks.check_saved(pkg, pending)
    model.Session.commit()
    assert checked.violations and any(v["path"] == "dct:description" for v in checked.violations)
    stored = helpers.call_action("sca_validation_show", id=dataset["id"])
    assert stored["status"] == "violations" and stored["violations"] == checked.violations
    # the next record forks a new worker
    forks = harvest_worker.forks
    assert harvest_worker.submit(pkg, "job-3").result().status == "violations"
    assert harvest_worker.forks == forks + 1


def test_a_new_worker_for_another_job_or_configuration(office, monkeypatch):
    dataset = create(minimal_dataset(office, "cw4"))
    pkg = helpers.call_action("package_show", id=dataset["id"])
    forks = harvest_worker.forks
    for _ in range(3):
        harvest_worker.submit(pkg, "job-4").result()
    assert harvest_worker.forks == forks + 1
    harvest_worker.submit(pkg, "job-5").result()
    assert harvest_worker.forks == forks + 2
    # another profile: the worker forked before would validate with the old one
    monkeypatch.setitem(tk.config, "ckanext.smartcityatlas.validation.profile", "v3.0-spec")
    assert harvest_worker.submit(pkg, "job-5").result().profile == "v3.0-spec"
    assert harvest_worker.forks == forks + 3


@pytest.mark.ckan_config(WORKER, "false")
def test_off_by_configuration(office):
    dataset = create(minimal_dataset(office, "cw5"))
    pkg = helpers.call_action("package_show", id=dataset["id"])
    assert harvest_worker.submit(pkg, "job-6") is None
    assert checks.start_checks(pkg, "job-6") is None


# repairs (a format as text, a German date), a finding (no e-mail for the
# contact), a record refused while built (neither title nor identifier), plain records
REPAIRED = """
<https://stadt.example/dataset/rep> a dcat:Dataset ;
  dct:title "Reparaturen"@de ; dct:description "Werte, die repariert werden."@de ;
  dct:issued "24.12.2025" ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" ;
                      vcard:hasEmail <mailto:opendata@stadt.example> ] ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/rep.csv> ;
      dct:format "csv" ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] .
"""
REFUSED = """
<https://stadt.example/dataset/ohne> a dcat:Dataset ; dct:description "Ohne Titel und Kennung"@de ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/ohne.csv> ] .
"""
CATALOG = page(record("a"), REPAIRED, record("b", contact_email=False), REFUSED,
               *(record(f"r{i}") for i in range(6)))
SOURCE_FIELDS = ("id", "name", "metadata_created", "metadata_modified", "sca_harvest_source",
                 "sca_harvest_source_url", "sca_harvested_at", "organization", "owner_org", "extras",
                 "harvest", "revision_id")


def _by_uri(source_id):
    out = {}
    for dataset in harvested(source_id):
        shown = helpers.call_action("package_show", id=dataset["id"])
        findings = helpers.call_action("sca_validation_show", id=dataset["id"])
        fields = {k: v for k, v in shown.items() if k not in SOURCE_FIELDS}
        fields["resources"] = [{k: v for k, v in r.items() if k not in ("id", "package_id", "created",
                                                                         "metadata_modified")}
                               for r in shown["resources"]]
        # findings name the dataset and its distributions by IRIs with their ids
        found = [[dict(f, focus=UUID.sub("<id>", f["focus"])) for f in findings[kind]]
                 for kind in ("violations", "warnings")]
        out[shown["sca_original_uri"]] = (fields, findings["status"], *found)
    return out


def _notes(report):
    return sorted(report["messages"])


@ALLOW_LOCAL
def test_a_job_with_the_worker_stores_what_one_without_it_stores(server, harvest_org, monkeypatch):
    server.add("/c.ttl", body=CATALOG)
    server.add("/d.ttl", body=CATALOG)
    with_worker = create_source(server.url("/c.ttl"), harvest_org, name="mit-worker")
    forks, taken = harvest_worker.forks, harvest_worker.taken_ahead
    first = run_job(with_worker)
    assert first["stats"]["added"] == 9 and first["stats"]["errored"] >= 1, first["messages"]
    assert harvest_worker.forks == forks + 1  # one worker for the job ...
    assert harvest_worker._current is None  # ... stopped after its last record
    # the first record is imported before the worker has built anything;
    # it built the others ahead, the refused one too
    assert harvest_worker.taken_ahead - taken == 9

    monkeypatch.setitem(tk.config, WORKER, "false")
    without = create_source(server.url("/d.ttl"), harvest_org, name="ohne-worker")
    forks = harvest_worker.forks
    second = run_job(without)
    assert harvest_worker.forks == forks
    assert first["stats"] == second["stats"]
    assert _notes(first) == _notes(second)
    assert any("repair" in note and "csv" in note for note in _notes(first)), _notes(first)
    assert any("not a dataset" in note for note in _notes(first)), _notes(first)
    ours, theirs = _by_uri(with_worker["id"]), _by_uri(without["id"])
    assert len(ours) == 9 and ours == theirs
    assert {status for _, status, _, _ in ours.values()} != {"conforms"}
