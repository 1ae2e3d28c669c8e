# SPDX-License-Identifier: AGPL-3.0-or-later
"""Parsing our own output gives the record back (harvesting between
portals running the atlas), stable IRIs, the licence list, and a
cross-check with the reference validator where it exists."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.smartcityatlas.dcat import licenses, vocab
from tests.helpers.datasets import catalog_graph, create, full_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "validate-dcatde"


@pytest.mark.parametrize("profile", ["sca_dcatap_de", "sca_dcatap_de_3"])
def test_round_trip(org, unique, profile):
    original = create(full_dataset(org, unique))
    ttl = RDFSerializer(profiles=[profile]).serialize_dataset(original, _format="turtle")
    parser = RDFParser(profiles=[profile])
    parser.parse(ttl, _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    got = parsed[0]
    for key in ("title", "title_en", "notes", "description_en", "frequency", "identifier", "url",
                "provenance", "contact_email", "contact_url"):
        assert got.get(key) == original.get(key), key
    assert sorted(got["theme"]) == sorted(original["theme"])
    assert sorted(got["language"]) == sorted(original["language"])
    assert sorted(t["name"] for t in got["tags"]) == sorted(t["name"] for t in original["tags"])
    assert {(r["role"], r["name"]) for r in got["roles"]} == {(r["role"], r["name"]) for r in original["roles"]}
    by_url = {r["url"]: r for r in got["resources"]}
    for res in original["resources"]:
        back = by_url[res["url"]]
        assert back["format"] == res["format"]
        # DCAT has licences per distribution only: compare the effective one
        assert (back.get("license") or got["license_id"]) == (res.get("license") or original["license_id"])
        assert back["license_attribution"] == res["license_attribution"]
        assert back["hash_algorithm"] == res["hash_algorithm"] and back["hash"] == res["hash"]
    if profile == "sca_dcatap_de":
        assert got["legal_basis"] == original["legal_basis"]


def test_stable_iris(app, org, unique):
    dataset = create(full_dataset(org, unique))
    site = tk.config["ckan.site_url"].rstrip("/")
    graph = catalog_graph(app)
    assert (rdflib.URIRef(f"{site}/dataset/{dataset['id']}"), RDF.type, DCAT.Dataset) in graph
    res = dataset["resources"][0]
    assert (rdflib.URIRef(f"{site}/dataset/{dataset['id']}"), DCAT.distribution,
            rdflib.URIRef(f"{site}/dataset/{dataset['id']}/resource/{res['id']}")) in graph
    # renaming keeps the IRI (it is built from the id, not the name)
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                        id=dataset["id"], name=f"neu-{unique}")
    assert (rdflib.URIRef(f"{site}/dataset/{dataset['id']}"), RDF.type, DCAT.Dataset) in catalog_graph(app)


def test_licence_list_is_the_dcatde_list():
    assert licenses.LICENSES_FILE.read_text(encoding="utf-8") == licenses.generate(), \
        "run python -m ckanext.smartcityatlas.dcat.licenses"
    ckan_ids = {lic["id"] for lic in helpers.call_action("license_list")}
    assert ckan_ids == {lic["id"] for lic in vocab.dcatde_licenses()}
    assert len(ckan_ids) == 34 and "dl-by-de/2.0" in ckan_ids


def test_licence_outside_the_list_is_refused(org, unique):
    from tests.helpers.datasets import minimal_dataset

    with pytest.raises(tk.ValidationError) as err:
        create(minimal_dataset(org, unique, license_id="cc-by-4.0"))
    assert "license_id" in err.value.error_dict


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference validator not available")
@pytest.mark.parametrize("profile,query", [("v2.0-spec", {}), ("v2.0-spec-konventionen", {}),
                                           ("v3.0-spec", {"profiles": "sca_dcatap_de_3"})])
def test_reference_validator_agrees(app, org, unique, tmp_path, profile, query):
    create(full_dataset(org, unique))
    path = tmp_path / "catalog.ttl"
    path.write_text(app.get("/catalog.ttl", query_string=query, status=200).body, encoding="utf-8")
    out = subprocess.run([sys.executable, str(REFERENCE), "--profile", profile, "--json", str(path)],
                         capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["reports"][0]["counts"]["Violation"] == 0, out.stdout[:3000]


def test_harvested_record_with_other_eu_codes_can_be_saved(org, unique):
    """A record from another portal may use EU codes beyond the form's
    curated lists; parsing and saving it must not fail on them."""
    from rdflib.namespace import DCTERMS as DCT

    original = create(full_dataset(org, unique))
    graph = rdflib.Graph().parse(data=RDFSerializer(profiles=["sca_dcatap_de"]).serialize_dataset(
        original, _format="turtle"), format="turtle")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.set((dataset, DCT.accrualPeriodicity, rdflib.URIRef(vocab.FREQUENCY + "BIWEEKLY")))
    graph.add((dataset, DCT.language, rdflib.URIRef(vocab.LANGUAGE + "FRA")))
    dist = next(graph.objects(dataset, DCAT.distribution))
    graph.set((dist, DCT["format"], rdflib.URIRef(vocab.FILE_TYPE + "MPEG4")))
    graph.remove((dist, DCAT.mediaType, None))
    parser = RDFParser(profiles=["sca_dcatap_de"])
    parser.g = graph
    parsed = next(parser.datasets())
    parsed.update(name=f"harvested-{unique}", owner_org=org["id"])
    parsed.pop("id", None)
    for res in parsed["resources"]:
        res.pop("id", None)
    saved = create(parsed)
    assert saved["frequency"] == "BIWEEKLY"
    assert "FRA" in saved["language"]
    assert "MPEG4" in {r["format"] for r in saved["resources"]}
