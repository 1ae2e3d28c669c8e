# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas as open data: queued after entity changes (debounced), public
records only, spreadsheet-safe CSV, GeoJSON, RDF, valid DCAT-AP.de datasets."""
import csv
import io
import json

import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import opendata
from ckanext.smartcityatlas.dcat import shacl
from ckanext.smartcityatlas.common.spreadsheet import csv_cell
from tests.helpers.datasets import catalog_graph, create
from tests.helpers.entities import actor_data, project_data

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+49 351", "'+49 351"),
    ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Klinikum", "Klinikum"),
    (-13.5, "-13.5"), (51.05, "51.05"), (["a", "=b"], "a; =b"), (None, ""),
])
def test_csv_cells_cannot_become_formulas(value, expected):
    assert csv_cell(value) == expected


def test_list_cell_starting_with_formula_is_escaped():
    assert csv_cell(["=b", "a"]) == "'=b; a"


@pytest.fixture
def queue():
    keys = (opendata.PENDING_KEY, opendata.CHANGED_KEY, opendata.DONE_KEY, opendata.RUNNING_KEY)
    connect_to_redis().delete(*keys)
    jobs.get_queue().empty()
    yield jobs.get_queue()
    connect_to_redis().delete(*keys)
    jobs.get_queue().empty()


def _regen_jobs(q):
    return [j for j in q.jobs if j.func_name.endswith("opendata.regenerate_job")]


def test_entity_changes_queue_one_job_after_commit(queue, unique):
    org = factories.Organization()
    assert _regen_jobs(queue) == []
    create(actor_data(unique, org))
    assert len(_regen_jobs(queue)) == 1
    create(project_data(unique, org))  # a job is waiting: no second one
    assert len(_regen_jobs(queue)) == 1
    create({"type": "dataset", "name": f"ds-{unique}", "title": "D", "notes": "n",
            "owner_org": org["id"], "license_id": "dl-by-de/2.0"})
    assert len(_regen_jobs(queue)) == 1
    # the job clears the debounce key first: the next change queues again
    job = _regen_jobs(queue)[0]
    job.perform()
    create(actor_data(f"{unique}b", org))
    assert len(_regen_jobs(queue)) == 2



def test_a_regeneration_whose_worker_died_is_queued_again(queue, unique):
    """The jobs worker killed during the regeneration: the debounce key was
    cleared when the job began and its lease ran out, but no regeneration
    covers the change. The scheduler's task queues it again, once."""
    org = factories.Organization()
    actor = create(actor_data(unique, org))
    assert opendata.catch_up() is False  # a job is waiting
    queue.empty()  # the dead worker had taken it ...
    connect_to_redis().delete(opendata.PENDING_KEY)  # ... and begun
    connect_to_redis().set(opendata.RUNNING_KEY, "1")
    assert opendata.catch_up() is False  # its lease holds: it may still be running
    connect_to_redis().delete(opendata.RUNNING_KEY)  # the lease runs out
    assert opendata.catch_up() is True
    assert opendata.catch_up() is False  # queued once
    _regen_jobs(queue)[0].perform()
    csv_text = (opendata.folder() / opendata.file_name(opendata.ACTORS, "csv")).read_text(encoding="utf-8")
    assert actor["title"] in csv_text
    assert opendata.catch_up() is False  # done

def test_files_hold_public_records_only_and_are_safe(app, queue, unique):
    org = factories.Organization()
    public = create(actor_data(unique, org, title=f"=HYPERLINK(\"http://evil\") {unique}"))
    private = create(actor_data(f"{unique}p", org, private=True, title=f"Geheim {unique}"))
    project = create(project_data(unique, org, partners=[
        {"actor": public["id"], "role": "lead"}, {"actor": private["id"], "role": "partner"},
        {"name": "Externer Partner e. V.", "role": "funder"}]))
    opendata.regenerate()

    def fetch(kind, ext):
        response = app.get(f"/opendata/atlas/{opendata.file_name(kind, ext)}", status=200)
        assert response.headers["Content-Type"].startswith(
            {"csv": "text/csv", "geojson": "application/geo+json", "ttl": "text/turtle"}[ext])
        return response.body

    for kind in opendata.KINDS:
        for ext in ("csv", "geojson", "ttl"):
            body = fetch(kind, ext)
            assert private["id"] not in body and "Geheim" not in body, (kind.slug, ext)
    rows = list(csv.DictReader(io.StringIO(fetch(opendata.ACTORS, "csv").lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [public["id"]]
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert rows[0]["iri"].endswith(f"/actor/{public['id']}")
    # the IRI resolves to the actor's page
    assert f"HYPERLINK(&#34;http://evil&#34;) {unique}" in app.get(f"/actor/{public['id']}", status=200).body
    projects = list(csv.DictReader(io.StringIO(fetch(opendata.PROJECTS, "csv").lstrip("\ufeff"))))
    assert projects[0]["id"] == project["id"]
    assert projects[0]["partners"] == f"{rows[0]['iri']}; Externer Partner e. V."
    geo = json.loads(fetch(opendata.ACTORS, "geojson"))
    assert [f["properties"]["id"] for f in geo["features"]] == [public["id"]]
    assert geo["features"][0]["geometry"]["type"] == "Point"
    graph = rdflib.Graph().parse(data=fetch(opendata.PROJECTS, "ttl"), format="turtle")
    assert len(set(graph.subjects(RDF.type, rdflib.URIRef("http://xmlns.com/foaf/0.1/Project")))) == 1
    app.get("/opendata/atlas/..%2Fsecret.csv", status=404)
    app.get("/opendata/atlas/other.csv", status=404)


def test_atlas_datasets_are_valid_and_stable(app, queue, unique):
    org = factories.Organization()
    create(actor_data(unique, org))
    first = opendata.regenerate()
    second = opendata.regenerate()
    assert first == second  # same datasets updated, not new ones
    pkg = helpers.call_action("package_show", id=opendata.dataset_name(opendata.ACTORS))
    assert {r["format"] for r in pkg["resources"]} == {"CSV", "GeoJSON", "Turtle", "JSON-LD"}
    files = [r for r in pkg["resources"] if r["format"] != "JSON-LD"]
    assert all(r["size"] > 0 and len(r["hash"]) == 64 for r in files)
    # the exchange format (docs/exchange-format.md): a live listing, no file size
    feed = next(r for r in pkg["resources"] if r["format"] == "JSON-LD")
    assert feed["url"].endswith("/opendata/atlas/exchange/v1/records.jsonld?type=actor")
    graph = catalog_graph(app)
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2
    for profile in ("v2.0-spec", "v2.0-spec-konventionen"):
        report = shacl.validate(graph, profile)
        assert report.conforms, report.summary()
    report = shacl.validate(catalog_graph(app, profiles="sca_dcatap_de_3"), "v3.0-spec")
    assert report.conforms, report.summary()
