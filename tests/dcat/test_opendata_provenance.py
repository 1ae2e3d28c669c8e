# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas's open-data files in a regional atlas: records harvested from
another city's atlas are in them with their provenance (source city, source
atlas, original IRI; dct:source and prov:wasDerivedFrom in RDF), never as
this city's own, and shared-actor copies are never in them."""
import csv
import io
import json

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF

from ckan.tests import factories

from ckanext.smartcityatlas.dcat import opendata, shacl
from tests.helpers.datasets import catalog_graph, create
from tests.helpers.entities import actor_data, project_data

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

ORIGINAL = "https://atlas.musterstadt.example/project/0b6e5c1d"


def _from_musterstadt(**extra):
    """The provenance fields the harvester sca_atlas writes."""
    return {"sca_source_atlas": "Smart City Atlas Musterstadt", "sca_source_city": "Musterstadt",
            "sca_source_page": "https://atlas.musterstadt.example/project/waermenetz", **extra}


def _csv(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_harvested_records_carry_their_provenance_and_shared_copies_stay_out(app, unique):
    org = factories.Organization()
    local = create(actor_data(unique, org, title="Fraunhofer IVI"))
    harvested_org = factories.Organization(title="Smart City Musterstadt")
    copy = create(actor_data(f"{unique}c", harvested_org, title="Fraunhofer IVI (Kopie)", private=True,
                             **_from_musterstadt(sca_same_as=local["id"], sca_same_as_rule="curator",
                                                 sca_original_uri="https://atlas.musterstadt.example/actor/1")))
    # a copy that is public by mistake: the actor it names stands for it all the same
    public_copy = create(actor_data(f"{unique}x", harvested_org, title="Fraunhofer IVI (zweite Kopie)",
                                    **_from_musterstadt(sca_same_as=local["id"], sca_same_as_rule="curator")))
    project = create(project_data(unique, harvested_org, title="Wärmenetz Altstadt",
                                  partners=[{"actor": local["id"], "role": "lead"}],
                                  **_from_musterstadt(sca_original_uri=ORIGINAL)))
    own = create(project_data(f"{unique}o", org, title="Eigenes Projekt"))
    opendata.regenerate()

    def fetch(kind, ext):
        return app.get(f"/opendata/atlas/{opendata.file_name(kind, ext)}", status=200).body

    for kind in opendata.KINDS:
        for ext in ("csv", "geojson", "ttl"):
            body = fetch(kind, ext)
            for hidden in (copy, public_copy):
                assert hidden["id"] not in body and hidden["title"] not in body, (kind.slug, ext)
    actors = _csv(fetch(opendata.ACTORS, "csv"))
    assert [(a["id"], a["source_city"], a["original_iri"]) for a in actors] == [(local["id"], "", "")]
    projects = {p["id"]: p for p in _csv(fetch(opendata.PROJECTS, "csv"))}
    assert (projects[project["id"]]["source_city"], projects[project["id"]]["source_atlas"],
            projects[project["id"]]["original_iri"]) == ("Musterstadt", "Smart City Atlas Musterstadt", ORIGINAL)
    assert projects[own["id"]]["source_atlas"] == projects[own["id"]]["original_iri"] == ""
    features = {f["properties"]["id"]: f["properties"]
                for f in json.loads(fetch(opendata.PROJECTS, "geojson"))["features"]}
    assert features[project["id"]]["source_city"] == "Musterstadt"
    assert features[project["id"]]["original_iri"] == ORIGINAL and features[own["id"]]["original_iri"] == ""

    graph = rdflib.Graph().parse(data=fetch(opendata.PROJECTS, "ttl"), format="turtle")
    node = rdflib.URIRef(projects[project["id"]]["iri"])
    assert (node, DCTERMS.source, rdflib.URIRef(ORIGINAL)) in graph
    assert (node, PROV.wasDerivedFrom, rdflib.URIRef(ORIGINAL)) in graph
    assert not list(graph.objects(node, DCTERMS.publisher))  # never as this city's
    assert not list(graph.objects(rdflib.URIRef(projects[own["id"]]["iri"]), DCTERMS.source))

    # the catalog stays DCAT-AP.de valid
    catalog = catalog_graph(app)
    assert len(set(catalog.subjects(RDF.type, DCAT.Dataset))) == 2
    report = shacl.validate(catalog, "v2.0-spec-konventionen")
    assert report.conforms, report.summary()
