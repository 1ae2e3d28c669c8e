# SPDX-License-Identifier: AGPL-3.0-or-later
"""Repair, degrade, report (issue 25) on the real stack: one catalogue with
a record for every kind of problem German portals publish, harvested with
``sca_dcat_rdf`` (and ``sca_ckan``); what was repaired, what was left out
and reported, what the data contact sees, what the DCAT exports publish."""
import json

import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import import_flags, shacl
from tests.helpers.fake_ckan import FakeCKAN, portal_datasets
from tests.helpers.harvest import PREFIXES, create_source, harvested, run_job
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL,
              pytest.mark.ckan_config("ckanext.smartcityatlas.dcat.export_harvested", "true")]

BASE = "https://stadt.example/dataset/"
DIST = """dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/{slug}.csv> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ]"""
CATALOG = PREFIXES + """
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix dcatde101: <http://dcat-ap.de/def/dcatde/1.0.1/> .

# an e-mail as an IRI without mailto: (resolved against the page's address),
# access rights as a word, GeoJSON with a lower-case type, literal formats,
# an old dcatde namespace, deprecated addresses of the EU lists
<https://stadt.example/dataset/kontakt> a dcat:Dataset ;
  dct:title "Luftmessstationen"@de ; dct:description "Standorte und Tagesmittel."@de ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Umweltamt" ; vcard:hasEmail <info@umwelt.example.de> ] ;
  dct:accessRights "public" ;
  dct:accrualPeriodicity <http://publications.europa.eu/mdr/resource/authority/frequency/MONTHLY> ;
  dct:spatial [ a dct:Location ; locn:geometry
      "{\\"type\\": \\"polygon\\", \\"coordinates\\": [[[13.7, 51.0], [13.8, 51.0], [13.8, 51.1], [13.7, 51.0]]]}" ] ;
  dcatde101:licenseAttributionByText "Stadt Musterstadt, Umweltamt" ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/luft.zip> ;
      dct:format "ZIP" ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] ,
    [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/karte> ;
      dct:format "Kartenviewer" ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] ,
    [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/luft.csv> ;
      dct:format <http://publications.europa.eu/mdr/resource/authority/file-type/CSV> ;
      dcat:mediaType "text/csv" ; dct:license <https://www.dcat-ap.de/def/licenses/dl-by-de/2.0> ] ,
    [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/luft.json> ;
      dct:format <http://publications.europa.eu/mdr/resource/authority/file-type/xml/filetypes.xml> ;
      dcat:mediaType "application/json" ; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ] .

# an obfuscated e-mail, WKT, a licence as text that no table knows
<https://stadt.example/dataset/fotos> a dcat:Dataset ;
  dct:title "Historische Fotos"@de ; dct:description "Fotografien des Stadtarchivs."@de ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Stadtarchiv" ; vcard:hasEmail "archiv(at)stadt.example.de" ] ;
  dct:spatial [ a dct:Location ; locn:geometry "POINT (13.74 51.05)"^^geo:wktLiteral ] ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://stadt.example/files/fotos.zip> ;
      dct:license "Nutzungsbedingungen des Stadtarchivs" ] .

# lacks what DCAT-AP.de requires: a description; a title (an identifier stands in)
<https://stadt.example/dataset/ohne-beschreibung> a dcat:Dataset ;
  dct:title "Sitzungskalender"@de ; """ + DIST.format(slug="kalender") + """ .
<https://stadt.example/dataset/ohne-titel> a dcat:Dataset ;
  dct:identifier "urn:musterstadt:ohne-titel" ; dct:description "Ein Datensatz ohne Titel."@de ;
  """ + DIST.format(slug="ohne-titel") + """ .

# no dataset at all: neither a title nor an identifier
<https://stadt.example/dataset/leer> a dcat:Dataset ; dct:description "Nur eine Beschreibung."@de .

# no distribution; a distribution without access URL next to one with;
# a language of the EU list the schema does not offer (the schema refuses it)
<https://stadt.example/dataset/sammlung> a dcat:Dataset ;
  dct:title "Sammlung der Jahresberichte"@de ; dct:description "Alle Jahresberichte."@de .
<https://stadt.example/dataset/ohne-zugang> a dcat:Dataset ;
  dct:title "Haushalt"@de ; dct:description "Haushaltsplan."@de ;
  dcat:distribution <https://stadt.example/dataset/ohne-zugang/pdf> ;
  """ + DIST.format(slug="haushalt") + """ .
<https://stadt.example/dataset/finnisch> a dcat:Dataset ;
  dct:title "Partnerstadt"@de ; dct:description "Texte der Partnerstadt."@de ;
  dct:language <http://publications.europa.eu/resource/authority/language/FIN> ,
               <http://publications.europa.eu/resource/authority/language/DEU> ;
  """ + DIST.format(slug="partner") + """ .
"""


def _by_slug(source_id):
    return {d["sca_original_uri"].rsplit("/", 1)[-1]: helpers.call_action("package_show", id=d["id"])
            for d in harvested(source_id)}


def _exported(app, dataset) -> bool:
    """In /dataset/<id>.ttl (valid: 2.0 with the conventions and 3.0) and in the catalog, or in neither."""
    response = app.get(f"/dataset/{dataset['id']}.ttl")
    catalog = rdflib.Graph().parse(data=app.get("/catalog.ttl", query_string={"fq": f"id:{dataset['id']}"},
                                                status=200).body, format="turtle")
    listed = bool(set(catalog.subjects(RDF.type, DCAT.Dataset)))
    if response.status_code == 404:
        assert not listed, dataset["name"]
        return False
    assert response.status_code == 200 and listed, dataset["name"]
    for profile, query in (("v2.0-spec-konventionen", {}), ("v3.0-spec", {"profiles": "sca_dcatap_de_3"})):
        body = app.get(f"/dataset/{dataset['id']}.ttl", query_string=query, status=200).body
        report = shacl.validate(body, profile)
        assert report.violations == [], (dataset["name"], profile, report.summary())
    return True


def _notes(report, slug, datasets=None):
    [record] = [r for r in report["records"] if r["guid"] == BASE + slug
                or (datasets and r["package_id"] == datasets[slug]["id"])]
    return [f"[{n['kind']}] {n['message']}" for n in record["notes"]]


def _findings(dataset):
    return helpers.call_action("sca_validation_show", {"ignore_auth": True}, id=dataset["id"])


def test_repairs_degradations_and_refusals(app, server, harvest_org):
    server.add("/c.ttl", body=CATALOG)
    source = create_source(server.url("/c.ttl"), harvest_org)
    report = run_job(source)
    assert report["stats"]["added"] == 7, report["messages"]
    datasets = _by_slug(source["id"])
    assert set(datasets) == {"kontakt", "fotos", "ohne-beschreibung", "ohne-titel", "sammlung", "ohne-zugang",
                             "finnisch"}
    # refused only what is no dataset, and said why
    assert any("record 'https://stadt.example/dataset/leer' not imported: not a dataset: it has neither a title"
               in m for m in report["messages"]), report["messages"]

    kontakt = datasets["kontakt"]
    assert kontakt["contact_email"] == "info@umwelt.example.de"
    assert kontakt["access_rights"] == "PUBLIC" and kontakt["frequency"] == "MONTHLY"
    assert json.loads(kontakt["spatial"])["type"] == "Polygon"
    assert kontakt["license_attribution"] == "Stadt Musterstadt, Umweltamt"
    # the EU list's own address is no format: the media type says which
    assert sorted(r.get("format") or "" for r in kontakt["resources"]) == ["", "CSV", "JSON", "ZIP"]
    notes = _notes(report, "kontakt")
    for expected in ("[repair] contact e-mail: 'http://127.0.0.1", "[repair] access rights: 'public' → 'PUBLIC'",
                     "[repair] spatial: ", "[repair] namespace: 'http://dcat-ap.de/def/dcatde/1.0.1/'",
                     "[repair] frequency: 'http://publications.europa.eu/mdr/resource/authority/frequency/MONTHLY'"):
        assert any(n.startswith(expected) for n in notes), (expected, notes)
    assert any(n.startswith("[degraded] distribution ") and "format: 'Kartenviewer' is not in the mapping tables; "
               "left out" in n for n in notes), notes

    fotos = datasets["fotos"]
    assert fotos["contact_email"] == "archiv@stadt.example.de"
    assert json.loads(fotos["spatial"]) == {"type": "Point", "coordinates": [13.74, 51.05]}
    # an unknown licence: never guessed open, the source's text kept and shown, flagged
    assert fotos["license_id"] == "other-closed"
    assert fotos["sca_original_license"] == "Nutzungsbedingungen des Stadtarchivs"
    assert "Nutzungsbedingungen des Stadtarchivs" in app.get(f"/dataset/{fotos['name']}", status=200).body
    assert {w["code"] for w in _findings(fotos)["warnings"] if w.get("code")} == {
        import_flags.LICENCE, import_flags.DEGRADED}

    assert datasets["sammlung"]["resources"] == []
    assert [r["url"] for r in datasets["ohne-zugang"]["resources"]] == ["https://stadt.example/files/haushalt.csv"]
    assert any("distribution 1: 'https://stadt.example/dataset/ohne-zugang/pdf' has no access URL" in n
               for n in _notes(report, "ohne-zugang"))
    # the language the schema refused is left out, the record kept
    assert datasets["finnisch"]["language"] == ["DEU"]
    assert any(n.startswith("[degraded] language: ") for n in _notes(report, "finnisch")), _notes(report, "finnisch")

    # every record is exported valid, or flagged and in no export
    exported = {slug: _exported(app, d) for slug, d in datasets.items()}
    assert exported == {"kontakt": True, "fotos": True, "ohne-beschreibung": False, "ohne-titel": False,
                        "sammlung": True, "ohne-zugang": True, "finnisch": True}
    for slug in ("ohne-beschreibung", "ohne-titel"):
        assert any(v.get("code") == import_flags.MISSING for v in _findings(datasets[slug])["violations"])
        assert any(n.startswith("[flagged] ") for n in _notes(report, slug, datasets))
    assert datasets["ohne-titel"]["title"] == "urn:musterstadt:ohne-titel"

    # an unchanged re-harvest changes nothing
    again = run_job(source)
    assert again["stats"]["not modified"] == 7 and again["stats"]["added"] == 0, again["messages"]


def test_the_data_contact_completes_a_withheld_record(app, server, harvest_org):
    editor = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True}, id=harvest_org["id"],
                        username=editor["name"], role="editor")
    token = factories.APIToken(user=editor["name"])["token"]
    server.add("/c.ttl", body=CATALOG)
    source = create_source(server.url("/c.ttl"), harvest_org)
    run_job(source)
    datasets = _by_slug(source["id"])
    kalender, ohne_titel = datasets["ohne-beschreibung"], datasets["ohne-titel"]
    # searchable on the portal
    found = helpers.call_action("package_search", q="Sitzungskalender")["results"]
    assert [d["id"] for d in found] == [kalender["id"]]
    # the data contact sees why, in the form
    form = app.get(f"/dataset/edit/{kalender['name']}", headers={"Authorization": token}, status=200).body
    assert "DCAT-AP.de" in form and 'data-kind="violation"' in form and 'href="#field-notes"' in form
    # an edit that leaves it missing is possible, a new record without one is not
    context = {"user": editor["name"]}
    helpers.call_action("package_patch", context=dict(context), id=kalender["id"], tag_string="Stadtrat")
    assert _exported(app, helpers.call_action("package_show", id=kalender["id"])) is False
    with pytest.raises(tk.ValidationError) as refused:
        helpers.call_action("package_create", context=dict(context), name="eigener", title="Eigener",
                            owner_org=harvest_org["id"], license_id="cc-zero", notes="")
    assert "notes" in refused.value.error_dict
    with pytest.raises(tk.ValidationError):  # a description a record has cannot be removed
        helpers.call_action("package_patch", context=dict(context), id=datasets["kontakt"]["id"], notes="")
    # completed by a person: published, and the next harvest keeps the person's values
    helpers.call_action("package_patch", context=dict(context), id=kalender["id"],
                        notes="Termine der Sitzungen des Stadtrats und seiner Ausschüsse.")
    helpers.call_action("package_patch", context=dict(context), id=ohne_titel["id"], title="Ein Titel")
    for dataset in (kalender, ohne_titel):
        assert _exported(app, helpers.call_action("package_show", id=dataset["id"])) is True
        assert not [v for v in _findings(dataset)["violations"] if v.get("code")]
    report = run_job(source)
    assert report["stats"]["not modified"] == 7, report["messages"]
    kalender = helpers.call_action("package_show", id=kalender["id"])
    assert kalender["notes"].startswith("Termine") and _exported(app, kalender) is True


def test_the_source_maps_an_unknown_licence_once_for_all_its_records(server, harvest_org):
    server.add("/c.ttl", body=CATALOG)
    source = create_source(server.url("/c.ttl"), harvest_org)
    run_job(source)
    from ckanext.harvest.model import HarvestSource

    stored = HarvestSource.get(source["id"])
    stored.config = json.dumps({"mappings": {"licenses": {"Nutzungsbedingungen des Stadtarchivs": "dl-by-nc-de/1.0"}}})
    stored.save()
    report = run_job(source)
    assert report["stats"]["updated"] == 1, report["messages"]
    fotos = _by_slug(source["id"])["fotos"]
    assert fotos["license_id"] == "dl-by-nc-de/1.0" and fotos["sca_original_license"] == ""
    assert not [w for w in _findings(fotos)["warnings"] if w.get("code") == import_flags.LICENCE]


def test_a_ckan_portal_record_without_description_licence_or_resource_urls(app, server, harvest_org):
    [record] = portal_datasets(1)[:1]
    record.update(notes="", license_id="eigene-nutzungsbedingungen", license_title="Eigene Nutzungsbedingungen",
                  maintainer="Umweltamt", maintainer_email="umwelt(at)stadt.example")
    record["resources"][1]["url"] = ""
    portal = FakeCKAN([record])
    source = create_source(portal.route(server), harvest_org, source_type="sca_ckan", name="portal")
    report = run_job(source)
    assert report["stats"]["added"] == 1, report["messages"]
    [dataset] = harvested(source["id"])
    dataset = helpers.call_action("package_show", id=dataset["id"])
    assert dataset["notes"] == "" and dataset["license_id"] == "other-closed"
    assert dataset["sca_original_license"] == "Eigene Nutzungsbedingungen – eigene-nutzungsbedingungen"
    assert dataset["contact_email"] == "umwelt@stadt.example" and len(dataset["resources"]) == 1
    assert _exported(app, dataset) is False
