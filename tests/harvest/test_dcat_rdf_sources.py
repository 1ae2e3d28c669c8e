# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_dcat_rdf on the real stack: registration, source configuration,
hostile and broken sources, paging, strictness, duplicates across sources."""

import pytest

from ckan.tests import factories, helpers

from tests.helpers.harvest import (FIXTURES, PREFIXES, create_source, harvested, messages, page, record, refused_config,
                                   run_job)
from tests.helpers.local_server import ALLOW_LOCAL, huge_body, slow_body

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

def test_registered_and_listed():
    names = [h["name"] for h in helpers.call_action("harvesters_info_show")]
    assert "sca_dcat_rdf" in names


@pytest.mark.parametrize("config,message", [
    ("{", "not valid JSON"),
    ('{"strictness": "lenient"}', "strictness must be one of"),
    ('{"removal": "purge"}', "removal must be one of"),
    ('{"max_size_mb": "viel"}', "max_size_mb must be a number"),
    ('{"timeouts": {"connect": 0}}', "connect must be between"),
    ('{"organization": "gibt-es-nicht"}', "does not exist"),
    ('{"mappings": {"farben": {}}}', "unknown mapping table"),
    ('{"overwrite_curated": "ja"}', "overwrite_curated must be"),
    ('{"typo_key": 1}', "unknown configuration keys: typo_key"),
])
def test_bad_configuration_is_refused_clearly(harvest_org, config, message):
    assert message in refused_config("sca_dcat_rdf", harvest_org, config)


def test_local_address_needs_a_sysadmin_setting(server, harvest_org):
    server.add("/c.ttl", body=page(record("a")))
    source = create_source(server.url("/c.ttl"), harvest_org)
    report = run_job(source)
    assert any("non-public address" in m and "allowed_networks" in m for m in report["gather"])
    assert server.routes["/c.ttl"].hits == 0 and harvested(source["id"]) == []


@ALLOW_LOCAL
@pytest.mark.parametrize("route,config,message", [
    (dict(body="<html><body>Wartung</body></html>", content_type="text/html"), {}, "got content type text/html"),
    (dict(body="Not found", status=404, content_type="text/plain"), {}, "HTTP 404"),
    (dict(body="Fehler", status=503, content_type="text/plain"), {}, "HTTP 503"),
    (dict(handler=huge_body(200 * 1024 * 1024)), {"max_size_mb": 5}, "more than the limit of 5 MB"),
    (dict(handler=slow_body(100, 0.2)), {"timeouts": {"read": 0.5, "total": 1}}, "longer than 1 s"),
    (dict(status=429, headers={"Retry-After": "86400"}), {}, "HTTP 429 Too Many Requests"),
    (dict(body=PREFIXES + "<https://stadt.example/d> a dcat:Dataset ; dct:title \"kaputt"), {}, "invalid Turtle"),
    (dict(body='{"@context": "https://w3id.org/dcat-ap/context.jsonld", "@graph": []}',
          content_type="application/ld+json"), {}, "cannot be resolved offline"),
])
def test_hostile_or_broken_source_fails_the_job_cleanly(server, harvest_org, route, config, message):
    server.add("/c.ttl", body=page(record("alt")))
    source = create_source(server.url("/c.ttl"), harvest_org, config=config)
    assert run_job(source)["stats"]["added"] == 1
    before = harvested(source["id"])
    server.add("/c.ttl", **route)
    report = run_job(source)
    assert any(message in m and "unchanged" in m for m in report["gather"]), report["gather"]
    assert report["records"] == [] and report["status"] == "Finished"
    assert harvested(source["id"]) == before  # untouched, not withdrawn


@ALLOW_LOCAL
def test_429_with_short_retry_after_is_retried(server, harvest_org):
    body = page(record("a")).encode()

    def limited(req, route):
        status, payload = (429, b"") if route.hits == 1 else (200, body)
        req.send_response(status)
        if status == 429:
            req.send_header("Retry-After", "1")
        req.send_header("Content-Type", "text/turtle")
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        req.wfile.write(payload)

    server.add("/c.ttl", handler=limited)
    report = run_job(create_source(server.url("/c.ttl"), harvest_org))
    assert report["stats"]["added"] == 1 and server.routes["/c.ttl"].hits == 2


@ALLOW_LOCAL
def test_paging_loop_and_page_limit_stop_paging_and_withdraw_nothing(server, harvest_org):
    server.add("/p1.ttl", body=page(record("a"), record("b"), next_page="p2.ttl"))
    server.add("/p2.ttl", body=page(record("c")))
    source = create_source(server.url("/p1.ttl"), harvest_org)
    assert run_job(source)["stats"]["added"] == 3
    # p2 now points back to p1 and "c" is gone: a broken catalog must not withdraw "c"
    server.add("/p2.ttl", body=page(record("d"), next_page="p1.ttl"))
    report = run_job(source)
    assert any("paging loop" in m for m in report["gather"])
    assert any("no record was withdrawn" in m for m in report["gather"])
    assert report["stats"]["added"] == 1 and report["stats"]["deleted"] == 0
    assert all(not d["private"] for d in harvested(source["id"]))

    limited = create_source(server.url("/p1.ttl"), harvest_org, config={"max_pages": 1}, name="limit")
    report = run_job(limited)
    assert any("more than 1 pages" in m for m in report["gather"])
    assert report["stats"]["added"] == 2  # what was read is imported


def test_file_sources_only_from_sysadmins(harvest_org):
    url = (FIXTURES / "govdata-rewritten-example-simple.ttl").as_uri()
    source = create_source(url, harvest_org, name="govdata-beispiel")
    report = run_job(source)
    assert report["stats"]["added"] == 1, report
    [dataset] = harvested(source["id"])
    assert dataset["title"] == "Badegewässer (Daten) Hamburg"
    assert dataset["license_id"] == "dl-by-de/2.0"

    editor = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True}, id=harvest_org["id"],
                        username=editor["name"], role="admin")
    # an organisation admin can neither create a file:// source …
    import ckan.plugins.toolkit as tk

    with pytest.raises(tk.ValidationError, match="Only sysadmins can harvest local files"):
        create_source(url, harvest_org, name="von-redaktion", user=editor, config={"priority": 1})
    # … nor point an existing source at a file
    web = create_source("https://stadt.example/katalog.ttl", harvest_org, name="web", user=editor)
    with pytest.raises(tk.ValidationError, match="Only sysadmins can harvest local files"):
        helpers.call_action("harvest_source_patch", context={"user": editor["name"]}, id=web["id"], url=url)
    # and a source an admin created is refused file:// at harvest time even if a sysadmin changed it later
    helpers.call_action("harvest_source_patch", context={"user": factories.Sysadmin()["name"]},
                        id=web["id"], url=url, config='{"priority": 2}')
    report = run_job(web)
    assert any("file:// addresses are read only for a harvest source whose own address is a local file" in m
               for m in report["gather"])


@ALLOW_LOCAL
def test_a_web_source_never_pages_into_local_files(server, harvest_org):
    """A sysadmin created the source, an editor of its office pointed it at a
    web page (allowed) whose next page is file:///… : the portal must not read
    its own files for it."""
    local = (FIXTURES / "govdata-rewritten-example-simple.ttl").as_uri()
    server.add("/c.ttl", body=page(record("web"), next_page=local))
    source = create_source(server.url("/c.ttl"), harvest_org, name="web-then-file")
    report = run_job(source)
    assert any(f"{local}: file:// addresses are read only for a harvest source whose own address" in m
               for m in report["gather"]), report["gather"]
    titles = [d["title"] for d in harvested(source["id"])]
    assert "Badegewässer (Daten) Hamburg" not in titles


@ALLOW_LOCAL
def test_strictness(server, harvest_org):
    # K01: a contact point needs an e-mail address or a web page
    server.add("/c.ttl", body=page(record("ohne-kontakt", contact_email=False), record("gut")))
    strict = create_source(server.url("/c.ttl"), harvest_org, config={"strictness": "reject_violations"},
                           name="streng")
    report = run_job(strict)
    assert report["stats"]["added"] == 1
    bad = next(r for r in report["records"] if r["guid"].endswith("ohne-kontakt"))
    kinds = [n["kind"] for n in bad["notes"]]
    assert "violation" in kinds and "error" in kinds and bad["package_id"] is None
    assert any("K01" in n["message"] for n in bad["notes"])

    lenient = create_source(server.url("/c.ttl"), harvest_org, name="nachsichtig",
                            config={"organization": factories.Organization()["name"]})
    report = run_job(lenient)
    assert report["stats"]["added"] == 2
    bad = next(r for r in report["records"] if r["guid"].endswith("ohne-kontakt"))
    assert any(n["kind"] == "violation" and "K01" in n["message"] for n in bad["notes"])


@ALLOW_LOCAL
def test_duplicates_across_sources_by_identifier(server, harvest_org):
    server.add("/a.ttl", body=page(record("a1", identifier="urn:x:1"), record("a2", identifier="urn:x:2")))
    server.add("/b.ttl", body=page(record("b1", identifier="urn:x:1", title="Andere Quelle")))
    server.add("/c.ttl", body=page(record("c2", identifier="urn:x:2", title="Vorrang")))
    first = create_source(server.url("/a.ttl"), harvest_org, name="erste")
    run_job(first)
    # same priority: the record harvested first keeps the identifier, the loser is reported
    second = create_source(server.url("/b.ttl"), harvest_org, name="zweite")
    report = run_job(second)
    assert report["stats"]["added"] == 0
    [loser] = report["records"]
    assert any(n["kind"] == "duplicate" and "same priority, harvested first" in n["message"]
               for n in loser["notes"])
    # a source with a higher priority takes the identifier over; the other dataset is withdrawn
    third = create_source(server.url("/c.ttl"), harvest_org, name="dritte", config={"priority": 10})
    report = run_job(third)
    assert report["stats"]["added"] == 1
    assert any("wins over" in n["message"] for n in report["records"][0]["notes"])
    old = {d["sca_original_uri"].rsplit("/", 1)[-1]: d for d in harvested(first["id"])}
    assert old["a2"]["private"] is True and "urn:x:2" in old["a2"]["sca_withdrawn_reason"]
    assert old["a1"]["private"] is False


BROKEN_LITERALS = """
<https://stadt.example/dataset/kaputt> a dcat:Dataset ;
  dct:title "Haushaltsdaten mit kaputten Literalen"@de ; dct:description "Werte, wie sie vorkommen."@de ;
  dct:issued "gestern"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
  dct:modified "2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date> ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "1.1.2020"^^<http://www.w3.org/2001/XMLSchema#date> ;
                 dcat:endDate "2020-12-31T24:61:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> ] ;
  dct:accrualPeriodicity "jeden zweiten Dienstag" ;
  dct:spatial [ a dct:Location ; <http://www.w3.org/ns/locn#geometry>
      "{\\"type\\": \\"Polygon\\", \\"coordinates\\": [[[13.7, 51.0], [13.8]]]}"^^<https://www.iana.org/assignments/media-types/application/vnd.geo+json> ] ;
  dcat:theme "Klimaschutz" ;
  dct:publisher [ a foaf:Organization ; foaf:name "Stadtkämmerei" ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" ; vcard:hasEmail <mailto:opendata@stadt.example> ] ;
  dcat:distribution <https://stadt.example/dataset/kaputt/csv> .
<https://stadt.example/dataset/kaputt/csv> a dcat:Distribution ;
  dcat:accessURL <https://stadt.example/files/kaputt.csv> ;
  dct:format "Tabellenkalkulation (bunt)" ;
  dcat:byteSize "ca. 2 MB"^^<http://www.w3.org/2001/XMLSchema#decimal> ;
  dcat:mediaType "kein Medientyp" ;
  dct:license "Alle Rechte vorbehalten" .
"""


@ALLOW_LOCAL
@pytest.mark.ckan_config("ckanext.smartcityatlas.harvest.mappings", str(FIXTURES / "city-mappings.yaml"))
def test_invalid_literals_are_repaired_or_dropped_per_field(server, harvest_org):
    server.add("/c.ttl", body=PREFIXES + BROKEN_LITERALS)
    report = run_job(create_source(server.url("/c.ttl"), harvest_org))
    assert report["stats"]["added"] == 1, report["records"]
    notes = {f"[{n['kind']}] {n['message']}" for n in report["records"][0]["notes"]}
    for expected in ("[degraded] issued: 'gestern' is not in the mapping tables; left out",
                     "[degraded] modified: '2024-02-30' is not in the mapping tables; left out",
                     "[repair] temporal startDate: '1.1.2020' → '2020-01-01'",
                     "[degraded] spatial: ",
                     "[degraded] frequency: 'jeden zweiten Dienstag' is not in the mapping tables; left out",
                     "[repair] theme: 'Klimaschutz' → 'ENVI'",  # the city's table
                     "[repair] distribution 1 license: 'Alle Rechte vorbehalten' → 'other-closed'",
                     "[degraded] distribution 1 format: 'Tabellenkalkulation (bunt)'",
                     "[degraded] distribution 1 mediaType: 'kein Medientyp'"):
        assert any(n.startswith(expected) for n in notes), (expected, notes)
    [dataset] = harvested(report["source_id"])
    assert dataset["license_id"] == "other-closed" and dataset["theme"] == ["ENVI"]
    assert dataset["temporal_start"].startswith("2020-01-01") and not dataset.get("issued")


@ALLOW_LOCAL
def test_source_mappings_removal_delete_and_overwrite_curated(server, harvest_org, sysadmin_context):
    server.add("/c.ttl", body=page(record("a", licence="x-unbekannt"), record("b")))
    cfg = {"removal": "delete", "overwrite_curated": ["title"],
           "mappings": {"licenses": {"http://dcat-ap.de/def/licenses/x-unbekannt": "other-open"}}}
    source = create_source(server.url("/c.ttl"), harvest_org, config=cfg)
    assert run_job(source)["stats"]["added"] == 2
    datasets = {d["sca_original_uri"].rsplit("/", 1)[-1]: d for d in harvested(source["id"])}
    assert datasets["a"]["license_id"] == "other-open"
    helpers.call_action("package_patch", context=dict(sysadmin_context), id=datasets["b"]["id"],
                        title="Von Hand", notes="Von Hand beschrieben")
    server.add("/c.ttl", body=page(record("b", title="Neu")))
    report = run_job(source)
    assert report["stats"]["deleted"] == 1 and report["stats"]["updated"] == 1
    b = helpers.call_action("package_show", id=datasets["b"]["id"])
    assert b["title"] == "Neu b"  # overwrite_curated: title
    assert b["notes"] == "Von Hand beschrieben"  # still the curator's
    a = helpers.call_action("package_show", {"ignore_auth": True}, id=datasets["a"]["id"])
    assert a["state"] == "deleted"


@ALLOW_LOCAL
def test_deleted_upstream_comes_back_but_a_curators_deletion_is_respected(server, harvest_org,
                                                                           sysadmin_context):
    server.add("/c.ttl", body=page(record("a"), record("b")))
    source = create_source(server.url("/c.ttl"), harvest_org, config={"removal": "delete"})
    run_job(source)
    ids = {d["sca_original_uri"].rsplit("/", 1)[-1]: d["id"] for d in harvested(source["id"])}
    server.add("/c.ttl", body=page(record("b")))
    assert run_job(source)["stats"]["deleted"] == 1
    helpers.call_action("package_delete", context=dict(sysadmin_context), id=ids["b"])
    server.add("/c.ttl", body=page(record("a"), record("b")))
    report = run_job(source)
    a = helpers.call_action("package_show", {"ignore_auth": True}, id=ids["a"])
    b = helpers.call_action("package_show", {"ignore_auth": True}, id=ids["b"])
    assert a["state"] == "active"  # back upstream, back here (same id)
    assert b["state"] == "deleted"  # a person deleted it: not restored
    assert any("deleted on this portal" in m for m in report["messages"])


ADDRESSES_TO_REPAIR = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
         xmlns:dct="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/"
         xmlns:vcard="http://www.w3.org/2006/vcard/ns#">
  <dcat:Dataset rdf:about="https://stadt.example/dataset/leerzeichen">
    <dct:title xml:lang="de">Baustellen mit Leerzeichen in Adressen</dct:title>
    <dct:description xml:lang="de">Adressen, wie Portale sie wirklich schreiben.</dct:description>
    <dcat:landingPage rdf:resource="https://stadt.example/seite mit leerzeichen"/>
    <dct:conformsTo rdf:resource="https://stadt.example/norm&quot;1&quot;"/>
    <dct:publisher><foaf:Organization><foaf:name>Stadtverwaltung</foaf:name></foaf:Organization></dct:publisher>
    <dcat:contactPoint><vcard:Organization><vcard:fn>Open-Data-Team</vcard:fn>
      <vcard:hasEmail rdf:resource="mailto:opendata@stadt.example"/></vcard:Organization></dcat:contactPoint>
    <dcat:distribution><dcat:Distribution rdf:about="https://stadt.example/dataset/leerzeichen/csv">
      <dcat:accessURL rdf:resource="https://stadt.example/files/baustellen 2024.csv"/>
      <dcat:downloadURL rdf:resource="https://stadt.example/files/baustellen 2024.csv"/>
      <dct:format rdf:resource="http://publications.europa.eu/resource/authority/file-type/CSV"/>
      <dct:license rdf:resource="http://dcat-ap.de/def/licenses/dl-by-de/2.0"/>
    </dcat:Distribution></dcat:distribution>
  </dcat:Dataset>
</rdf:RDF>
"""


@ALLOW_LOCAL
def test_web_addresses_are_repaired_or_dropped_not_the_record(server, harvest_org):
    """The schemas take only valid IRIs; a harvested address with a space or a
    quote is percent-encoded (a repair), one that stays invalid is dropped."""
    server.add("/c.rdf", body=ADDRESSES_TO_REPAIR.encode(), content_type="application/rdf+xml")
    report = run_job(create_source(server.url("/c.rdf"), harvest_org))
    assert report["stats"]["added"] == 1, report["records"]
    [dataset] = harvested(report["source_id"])
    assert dataset["url"] == "https://stadt.example/seite%20mit%20leerzeichen"
    assert dataset["conforms_to"] == ["https://stadt.example/norm%221%22"]
    assert dataset["resources"][0]["download_url"] == "https://stadt.example/files/baustellen%202024.csv"
    notes = messages(report)
    assert ("[repair] address 'https://stadt.example/seite mit leerzeichen' → "
            "'https://stadt.example/seite%20mit%20leerzeichen' (encoded)") in notes, notes


@pytest.mark.usefixtures("with_plugins")
def test_an_address_that_stays_invalid_is_dropped_with_a_note():
    from ckanext.smartcityatlas.harvesters import addresses, mapping

    mapper = mapping.Mapper()
    pkg = addresses.repair({
        "type": "dataset", "url": " https://stadt.example/a b ", "contact_url": "ftp://stadt.example/",
        "documentation": ["https://stadt.example/ok", "mailto:info@stadt.example", "https://stadt.example/100%"],
        "roles": [{"role": "originator", "name": "Amt", "url": "https://stadt.example/amt\\"}],
        "resources": [{"url": "https://stadt.example/x", "download_url": "//stadt.example/x.csv"}]}, mapper, "r1")
    assert pkg["url"] == "https://stadt.example/a%20b" and "contact_url" not in pkg
    assert pkg["documentation"] == ["https://stadt.example/ok", "https://stadt.example/100%25"]
    assert pkg["roles"][0]["url"] == "https://stadt.example/amt%5C"
    assert "download_url" not in pkg["resources"][0]
    assert {(r.field, r.new) for r in mapper.repairs} == {
        ("url", "https://stadt.example/a%20b"), ("documentation", "https://stadt.example/100%25"),
        ("roles[0].url", "https://stadt.example/amt%5C")}
    assert {(r.field, r.old) for r in mapper.unmapped} == {
        ("contact_url", "ftp://stadt.example/"), ("documentation", "mailto:info@stadt.example"),
        ("resources[0].download_url", "//stadt.example/x.csv")}
