# SPDX-License-Identifier: AGPL-3.0-or-later
"""The import path of the harvester base on the real stack: one Solr commit
per job (not per dataset) with every record searchable when the last one is
imported, and an unchanged record recognised whatever the order of its
triples."""
import re

import pytest
import rdflib

import ckan.plugins as p
from ckan.tests import factories, helpers

from tests.helpers.harvest import PREFIXES, create_source, harvested, page, record, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

RICH = """
<https://stadt.example/dataset/rich> a dcat:Dataset ;
  dct:title "Radverkehr"@de ; dct:description "Zählstellen und Zählwerte."@de ;
  dct:identifier "urn:stadt:rich" ;
  dcat:keyword "Verkehr"@de, "Radverkehr"@de, "Zählstellen"@de, "Mobilität"@de ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN>,
             <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dct:publisher [ a foaf:Organization ; foaf:name "Stadtverwaltung" ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" ;
                      vcard:hasEmail <mailto:opendata@stadt.example> ] ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/rad.csv> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ],
    [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/rad.json> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/JSON> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ],
    [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/rad.pdf> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/PDF> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] .
"""


def _shuffled(turtle: str) -> str:
    """The same graph as N-Triples, lines reversed, blank nodes relabelled."""
    lines = rdflib.Graph().parse(data=turtle, format="turtle").serialize(format="nt").splitlines()
    labels = {}
    relabel = lambda m: labels.setdefault(m.group(0), f"_:x{len(labels)}")  # noqa: E731
    return "\n".join(re.sub(r"_:\w+", relabel, line) for line in reversed(lines) if line) + "\n"


def test_the_same_record_in_another_triple_order_is_unchanged(server, harvest_org):
    server.add("/c.ttl", body=PREFIXES + RICH)
    source = create_source(server.url("/c.ttl"), harvest_org)
    first = run_job(source)
    assert first["stats"]["added"] == 1, first["messages"]
    server.add("/c.ttl", body=_shuffled(PREFIXES + RICH))
    again = run_job(source)
    assert again["stats"].get("not modified") == 1 and not again["stats"].get("updated"), again["stats"]
    [dataset] = helpers.call_action("package_search", fq=f"+harvest_source_id:{source['id']}")["results"]
    assert [t["name"] for t in dataset["tags"]] == ["Mobilität", "Radverkehr", "Verkehr", "Zählstellen"]
    assert dataset["theme"] == ["ENVI", "TRAN"]
    assert [r["url"].rsplit(".", 1)[-1] for r in dataset["resources"]] == ["csv", "json", "pdf"]


def test_one_solr_commit_per_job_and_every_record_searchable_after_the_last(server, harvest_org):
    """Run the job's stages by hand (no harvest_jobs_run, which would commit
    too): right after the last import every record is found."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
    import pysolr

    server.add("/c.ttl", body=page(*(record(f"r{i}", identifier=f"urn:stadt:r{i}") for i in range(6))))
    source = create_source(server.url("/c.ttl"), harvest_org)
    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.status = "Running"
    job.save()
    harvester = p.get_plugin("sca_dcat_rdf")
    ids = queue.gather_stage(harvester, job)
    assert len(ids) == 6

    adds, commits = [], []
    real_add, real_commit = pysolr.Solr.add, pysolr.Solr.commit

    def add(self, docs, *args, **kwargs):
        adds.append(kwargs.get("commit"))
        return real_add(self, docs, *args, **kwargs)

    def commit(self, *args, **kwargs):
        commits.append(True)
        return real_commit(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:  # spies: Solr is called for real
        mp.setattr(pysolr.Solr, "add", add)
        mp.setattr(pysolr.Solr, "commit", commit)
        for obj_id in ids:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
        found = helpers.call_action("package_search", fq=f"+harvest_source_id:{source['id']}", rows=0)
    assert found["count"] == 6
    assert adds == [False] * 6 and commits == [True]


def test_an_updated_record_stays_searchable_by_its_source(server, harvest_org):
    server.add("/c.ttl", body=page(record("a", identifier="urn:stadt:a")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    assert run_job(source)["stats"]["added"] == 1
    server.add("/c.ttl", body=page(record("a", title="Neuer Titel", identifier="urn:stadt:a")))
    assert run_job(source)["stats"]["updated"] == 1
    found = helpers.call_action("package_search", fq=f"+harvest_source_id:{source['id']}")["results"]
    assert [d["title"] for d in found] == ["Neuer Titel a"]


def _snapshots(pkg_id: str) -> list[tuple[str, dict]]:
    """(activity type, stored dataset dict) of a dataset, oldest first."""
    from ckan import model
    from ckanext.activity.model import Activity

    rows = model.Session.query(Activity).filter(Activity.object_id == pkg_id) \
        .order_by(Activity.timestamp).all()
    return [(a.activity_type, a.data["package"]) for a in rows]


def test_the_activity_stream_keeps_the_record_as_saved(server, harvest_org):
    """The activity snapshot of a harvested save is the record read once
    after the save (for the index too): the same dict package_show reads from
the database (as the activity stream's own read did); a
    later edit on the portal is read from the database again, not answered
    with a kept dict."""
    server.add("/c.ttl", body=page(record("a", identifier="urn:stadt:a")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    assert run_job(source)["stats"]["added"] == 1
    [found] = harvested(source["id"])
    shown = helpers.call_action("package_show", {"use_cache": False}, id=found["id"])
    [(kind, snapshot)] = _snapshots(found["id"])
    assert kind == "new package"
    assert snapshot == shown

    server.add("/c.ttl", body=page(record("a", title="Neuer Titel", identifier="urn:stadt:a")))
    assert run_job(source)["stats"]["updated"] == 1
    shown = helpers.call_action("package_show", {"use_cache": False}, id=found["id"])
    kinds = [k for k, _ in _snapshots(found["id"])]
    assert kinds == ["new package", "changed package"]
    snapshot = _snapshots(found["id"])[-1][1]
    assert snapshot["title"] == "Neuer Titel a"
    assert snapshot == shown

    helpers.call_action("package_patch", {"user": factories.Sysadmin()["name"]},
                        id=found["id"], notes="Von Hand ergänzt.")
    edited = _snapshots(found["id"])[-1][1]
    assert edited["notes"] == "Von Hand ergänzt." and edited["title"] == "Neuer Titel a"


def test_clashing_titles_get_the_lowest_free_number(server, harvest_org):
    """As ckanext-harvest names them (the title, else the lowest free
    number appended), with exact name lookups: a name taken by a dataset of
    the portal is skipped."""
    factories.Dataset(name="baustellen1", owner_org=harvest_org["id"], license_id="dl-by-de/2.0")
    same_title = [record(s, identifier=f"urn:stadt:{s}").replace(f'"Datensatz {s}"@de', '"Baustellen"@de')
                  for s in ("a", "b", "c")]
    server.add("/c.ttl", body=page(*same_title))
    source = create_source(server.url("/c.ttl"), harvest_org)
    assert run_job(source)["stats"]["added"] == 3
    names = sorted(d["name"] for d in harvested(source["id"]))
    assert names == ["baustellen", "baustellen2", "baustellen3"]


def test_two_jobs_imported_in_turn_commit_once_each(server, harvest_org):
    """A consumer taking the objects of two running jobs in turn: the index
    is committed once per job, when that job's last record is imported."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
    import pysolr

    harvester = p.get_plugin("sca_dcat_rdf")
    jobs = []
    for name, count in (("nord", 3), ("sued", 5)):
        server.add(f"/{name}.ttl", body=page(*(record(f"{name}{i}", identifier=f"urn:{name}:{i}")
                                               for i in range(count))))
        source = create_source(server.url(f"/{name}.ttl"), harvest_org, name=name)
        job = HarvestJob(source=HarvestSource.get(source["id"]))
        job.status = "Running"
        job.save()
        jobs.append((source, queue.gather_stage(harvester, job)))
    (nord, nord_ids), (sued, sued_ids) = jobs
    order = [i for pair in zip(nord_ids, sued_ids) for i in pair] + sued_ids[len(nord_ids):]

    commits = []
    real_commit = pysolr.Solr.commit

    def commit(self, *args, **kwargs):
        commits.append(len(done))
        return real_commit(self, *args, **kwargs)

    done = []
    with pytest.MonkeyPatch.context() as mp:  # a spy: Solr is called for real
        mp.setattr(pysolr.Solr, "commit", commit)
        for obj_id in order:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
            done.append(obj_id)
    # during the import of nord's last record (the 5th) and of sued's (the 8th)
    assert commits == [4, 7]
    for source, count in ((nord, 3), (sued, 5)):
        found = helpers.call_action("package_search", fq=f"+harvest_source_id:{source['id']}", rows=0)
        assert found["count"] == count


def test_a_record_that_fails_after_it_was_indexed_leaves_no_index_entry(server, harvest_org, monkeypatch):
    """The record is in Solr before its transaction commits (a failed index
    rolls the record back); when what follows the index fails, the index
    entry goes back to what the database has: none for a new record, the
    previous version for an update."""
    from ckanext.smartcityatlas.harvesters import checks

    server.add("/c.ttl", body=page(record("a", identifier="urn:stadt:a"), record("b", identifier="urn:stadt:b")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    real = checks.check_saved

    def failing_for(identifier):
        def check_saved(pkg, pending=None):
            if pkg["sca_original_identifier"] == identifier:
                if pending is not None:
                    pending.result()
                raise RuntimeError("Speicher voll")
            return real(pkg, pending)
        return check_saved

    monkeypatch.setattr(checks, "check_saved", failing_for("urn:stadt:b"))
    report = run_job(source)
    assert report["stats"]["added"] == 1 and report["stats"]["errored"] == 1, report["messages"]
    assert any("Speicher voll" in m for m in report["messages"])
    assert [d["title"] for d in harvested(source["id"])] == ["Datensatz a"]

    server.add("/c.ttl", body=page(record("a", title="Neu", identifier="urn:stadt:a"),
                                   record("b", identifier="urn:stadt:b")))
    monkeypatch.setattr(checks, "check_saved", failing_for("urn:stadt:a"))
    report = run_job(source)
    assert report["stats"]["errored"] == 1, report["messages"]
    assert sorted(d["title"] for d in harvested(source["id"])) == ["Datensatz a", "Datensatz b"]
