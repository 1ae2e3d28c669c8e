# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end: a paged 30-record catalog (Turtle, RDF/XML, JSON-LD pages)
harvested from a local HTTP server through the real stack."""
import json

import pytest

from ckan.tests import helpers

from tests.helpers.harvest import create_source, harvested, reexport_violations, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _by_slug(datasets):
    return {d["sca_original_uri"].rsplit("/", 1)[-1]: d for d in datasets}


def test_paged_catalog_harvests_repairs_and_validates(app, cli, server, harvest_org):
    from ckan.cli.cli import ckan

    server.serve_catalog()
    source = create_source(server.url("/catalog-p1.ttl"), harvest_org)
    report = run_job(source)
    printed = cli.invoke(ckan, ["sca", "harvest-report", report["job_id"]])
    assert printed.exit_code == 0, printed.output
    assert "added: 30" in printed.output and "Alle Rechte vorbehalten" in printed.output
    stats = report["stats"]
    assert stats.get("added") == 30, report["messages"]
    # only what needs a person counts as an error in ckanext-harvest's report
    needs_attention = {r["guid"] for r in report["records"]
                       if any(n["kind"] in ("error", "violation", "degraded", "flagged") for n in r["notes"])}
    assert stats.get("errored") == len(needs_attention)
    messages = report["messages"]
    # the two records that cannot be repaired are imported and reported, not lost (issue 25)
    assert any(m.startswith("[degraded] license: 'Alle Rechte vorbehalten'")
               and "recorded as 'other-closed'" in m for m in messages), messages
    assert any(m.startswith("[flagged] description: the source gives none") for m in messages)
    # repairs are listed per record: field, from → to
    assert any(m.startswith("[repair] license: 'CC BY 4.0' → 'cc-by/4.0'") or
               "'CC BY 4.0' → 'cc-by/4.0'" in m for m in messages), messages
    assert any("'http://publications.europa.eu/resource/authority/file-type/WMS' → 'WMS_SRVC'" in m
               for m in messages)
    assert any("frequency: 'http://publications.europa.eu/resource/authority/frequency/IRREGULAR' → 'IRREG'"
               in m for m in messages)
    assert any("language: 'http://publications.europa.eu/resource/authority/language/GER' → 'DEU'"
               in m for m in messages)
    assert any("'Datenlizenz Deutschland – Namensnennung – Version 2.0' → 'dl-by-de/2.0'" in m
               for m in messages)
    assert any("'01.03.2021' → '2021-03-01'" in m for m in messages)
    assert any(m.startswith("[degraded] modified: '2024-13-45T25:00:00'") for m in messages)

    datasets = _by_slug(harvested(source["id"]))
    assert len(datasets) == 30
    assert datasets["fotoarchiv"]["license_id"] == "other-closed"
    assert datasets["sitzungskalender"]["notes"] == ""
    baum = helpers.call_action("package_show", id=datasets["baumkataster"]["id"])
    assert baum["title"] == "Baumkataster"
    assert baum["sca_original_identifier"] == "urn:de:musterstadt:opendata:baumkataster"
    assert baum["sca_harvest_source"] == source["id"]
    assert baum["sca_harvested_at"]
    assert {r["format"] for r in baum["resources"]} == {"CSV", "GeoJSON", "WMS"}
    assert baum["frequency"] == "IRREG" and baum["language"] == ["DEU"]
    assert baum["tags"] and {t["name"] for t in baum["tags"]} == {"Bäume", "Stadtgrün"}

    failures = reexport_violations(app, datasets)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def _without(turtle: bytes, slug: str) -> bytes:
    """Page 1 with one dataset (and its distributions) removed."""
    import rdflib

    g = rdflib.Graph().parse(data=turtle, format="turtle")
    ref = rdflib.URIRef(f"https://daten.musterstadt.example/dataset/{slug}")
    for dist in list(g.objects(ref, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution"))):
        g.remove((dist, None, None))
    g.remove((ref, None, None))
    g.remove((None, None, ref))
    return g.serialize(format="turtle").encode("utf-8")


def _activities(pkg_id):
    return len(helpers.call_action("package_activity_list", id=pkg_id, limit=100))


def test_reharvest_curation_removal_and_a_failing_source(app, server, harvest_org, sysadmin_context):
    server.serve_catalog()
    page1 = server.routes["/catalog-p1.ttl"].body
    source = create_source(server.url("/catalog-p1.ttl"), harvest_org)
    run_job(source)
    before = {d["id"]: d for d in harvested(source["id"])}
    activities = {pkg_id: _activities(pkg_id) for pkg_id in before}

    # unchanged upstream: no package_update at all
    report = run_job(source)
    assert report["stats"]["not modified"] == 30 and report["stats"]["added"] == 0
    assert report["stats"]["updated"] == 0
    after = {d["id"]: d for d in harvested(source["id"])}
    assert {k: v["metadata_modified"] for k, v in after.items()} == \
        {k: v["metadata_modified"] for k, v in before.items()}
    assert {pkg_id: _activities(pkg_id) for pkg_id in after} == activities

    # a curator edits a title; upstream changes that record's description and another title
    baum = _by_slug(after.values())["baumkataster"]
    helpers.call_action("package_patch", context=dict(sysadmin_context), id=baum["id"],
                        title="Baumkataster (kuratiert)")
    changed = page1.replace("Standorte, Arten und Pflanzjahre der Straßenbäume.".encode(),
                            "Standorte, Arten, Pflanzjahre und Kronendurchmesser der Straßenbäume.".encode())
    changed = changed.replace('"Baumkataster"@de'.encode(), '"Baumkataster der Stadt"@de'.encode())
    changed = changed.replace('"Luftmessstationen"@de'.encode(), '"Luftmessstationen der Stadt"@de'.encode())
    assert changed != page1
    server.add("/catalog-p1.ttl", body=changed, content_type="text/turtle")
    report = run_job(source)
    assert report["stats"]["updated"] == 2, report["messages"]
    baum = helpers.call_action("package_show", id=baum["id"])
    assert baum["title"] == "Baumkataster (kuratiert)"  # the curator's
    assert "Kronendurchmesser" in baum["notes"]  # the source's
    assert any(m.startswith("[curated] title") for m in report["messages"])
    luft = helpers.call_action("package_show", id=_by_slug(after.values())["luftmessstationen"]["id"])
    assert luft["title"] == "Luftmessstationen der Stadt"

    # removed upstream: withdrawn (private, marked), not deleted
    server.add("/catalog-p1.ttl", body=_without(changed, "luftmessstationen"), content_type="text/turtle")
    report = run_job(source)
    assert report["stats"]["deleted"] == 1, report["messages"]
    luft = helpers.call_action("package_show", id=luft["id"])
    assert luft["private"] is True and luft["state"] == "active"
    assert luft["sca_withdrawn"] and luft["sca_withdrawn_reason"] == "removed upstream"
    public = helpers.call_action("package_search", {"ignore_auth": True}, q="*:*",
                                 fq=f"+harvest_source_id:{source['id']}", rows=100)
    assert luft["id"] not in {d["id"] for d in public["results"]}
    # a second harvest does not withdraw it again
    report = run_job(source)
    assert report["stats"]["deleted"] == 0 and report["stats"]["not modified"] == 29

    # a hostile/broken second page: refused clearly, page 1 is read (unchanged), nothing is withdrawn
    snapshot = {d["id"]: (d["metadata_modified"], d["private"]) for d in harvested(source["id"])}
    server.add("/catalog-p2.rdf", body=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>',
               content_type="application/rdf+xml")
    report = run_job(source)
    assert any(m.startswith("[incomplete] page 2") and "entity declarations" in m for m in report["gather"]), \
        report["gather"]
    assert report["stats"]["deleted"] == 0 and report["stats"]["added"] == report["stats"]["updated"] == 0
    assert {d["id"]: (d["metadata_modified"], d["private"]) for d in harvested(source["id"])} == snapshot
    server.add("/catalog-p2.rdf", status=500, body="Interner Serverfehler", content_type="text/plain")
    report = run_job(source)
    assert any("HTTP 500" in m for m in report["gather"])
    assert {d["id"]: (d["metadata_modified"], d["private"]) for d in harvested(source["id"])} == snapshot

    # the record reappears upstream: published again
    server.serve_catalog()
    report = run_job(source)
    luft = helpers.call_action("package_show", id=luft["id"])
    assert luft["private"] is False and not luft["sca_withdrawn"]
    assert luft["title"] == "Luftmessstationen"
