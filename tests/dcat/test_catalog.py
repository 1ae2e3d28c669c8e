# SPDX-License-Identifier: AGPL-3.0-or-later
"""The catalog endpoints: valid DCAT-AP.de 2.0 and 3.0, only the city's own
public datasets, paged."""
import json

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS as DCT, RDF


from ckanext.smartcityatlas.dcat import shacl
from tests.helpers.datasets import catalog_graph, create, full_dataset, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def _datasets(graph):
    return set(str(s) for s in graph.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize("profile", ["v2.0-spec", "v2.0-spec-konventionen"])
def test_full_and_minimal_datasets_are_valid_dcatap_de_2(app, org, unique, profile):
    full = create(full_dataset(org, unique))
    create(minimal_dataset(org, unique))
    graph = catalog_graph(app)
    assert len(_datasets(graph)) == 2
    report = shacl.validate(graph, profile)
    assert report.conforms, report.summary()
    # warnings only where the minimal record simply lacks a field
    assert [w for w in report.warnings if full["id"] in w.focus] == []


def test_full_and_minimal_datasets_are_valid_dcatap_de_3(app, org, unique):
    create(full_dataset(org, unique))
    create(minimal_dataset(org, unique))
    graph = catalog_graph(app, profiles="sca_dcatap_de_3")
    assert len(_datasets(graph)) == 2
    report = shacl.validate(graph, "v3.0-spec")
    assert report.conforms, report.summary()
    assert report.warnings == [], report.warnings


MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/14612000"
LOCN_GEOMETRY = rdflib.URIRef("http://www.w3.org/ns/locn#geometry")


@pytest.mark.parametrize("profile,query", [("v2.0-spec-konventionen", {}),
                                           ("v3.0-spec", {"profiles": "sca_dcatap_de_3"})])
def test_shared_place_iri_keeps_each_extent_apart(app, org, unique, profile, query):
    """Two datasets on the municipality key IRI with different extents (the
    city's datasets and the sensor aggregates): the catalogue gives the IRI
    no geometry of its own, each dataset keeps its extent and label, and the
    merged graph is valid (the shapes allow one geometry per Location)."""
    small = {"type": "Polygon", "coordinates": [[[13.7, 51.0], [13.8, 51.0], [13.8, 51.1],
                                                 [13.7, 51.1], [13.7, 51.0]]]}
    first = create(full_dataset(org, unique, spatial_uri=MUNICIPALITY, spatial_text="Dresden"))
    second = create(minimal_dataset(org, unique, spatial_uri=MUNICIPALITY, spatial=json.dumps(small),
                                    spatial_text="Stadtgebiet Dresden"))
    graph = catalog_graph(app, **query)
    iri = rdflib.URIRef(MUNICIPALITY)
    assert list(graph.objects(iri, LOCN_GEOMETRY)) == []
    assert list(graph.objects(iri, DCAT.bbox)) == []
    assert list(graph.objects(iri, rdflib.namespace.SKOS.prefLabel)) == []
    extents = {}
    for pkg in (first, second):
        ref = next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if pkg["id"] in str(s))
        places = set(graph.objects(ref, DCT.spatial))
        assert iri in places
        nodes = [n for n in places if isinstance(n, rdflib.BNode)]
        assert len(nodes) == 1
        extents[pkg["id"]] = (set(graph.objects(nodes[0], LOCN_GEOMETRY)) | set(graph.objects(nodes[0], DCAT.bbox)),
                              str(graph.value(nodes[0], rdflib.namespace.SKOS.prefLabel)))
    assert extents[first["id"]][0] and extents[second["id"]][0]
    assert extents[first["id"]][0] != extents[second["id"]][0]
    assert {label for _, label in extents.values()} == {"Dresden", "Stadtgebiet Dresden"}
    report = shacl.validate(graph, profile)
    assert report.conforms, report.summary()
    assert [w for w in report.warnings if MUNICIPALITY in w.focus] == []


def test_negative_control_fails(app, org, unique):
    """The validator is not vacuous: a record with a licence outside the
    dcat-ap.de list, a literal theme and no description must fail."""
    create(full_dataset(org, unique))
    graph = catalog_graph(app)
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    dist = next(graph.objects(dataset, DCAT.distribution))
    graph.remove((dist, DCT.license, None))
    graph.add((dist, DCT.license, rdflib.URIRef("http://example.org/my-own-licence")))
    graph.remove((dataset, DCT.description, None))
    graph.add((dataset, DCAT.theme, rdflib.Literal("Umwelt")))
    report = shacl.validate(graph, "v2.0-spec-konventionen")
    paths = {r.path for r in report.violations}
    assert {str(DCT.description), str(DCT.license)} <= paths, report.summary()
    assert any("dcat:theme" in r.message for r in report.violations), report.summary()
    assert not shacl.validate(graph, "v3.0-spec").conforms


def test_only_public_own_datasets_no_actors_or_projects(app, org, unique):
    from tests.helpers.entities import actor_data, project_data

    public = create(minimal_dataset(org, unique))
    private = create(minimal_dataset(org, unique, name=f"privat-{unique}", private=True))
    actor = create(actor_data(unique, org))
    project = create(project_data(unique, org))
    for profile in ("sca_dcatap_de", "sca_dcatap_de_3"):
        for path in ("/catalog.ttl", "/catalog.rdf", "/catalog.jsonld"):
            body = app.get(path, query_string={"profiles": profile}, status=200).body
            assert public["id"] in body, path
            for hidden in (private, actor, project):
                assert hidden["id"] not in body and hidden["name"] not in body, (path, hidden["type"])
    # nor per record: an actor is no dcat:Dataset
    app.get(f"/dataset/{actor['id']}.ttl", status=404)
    assert public["id"] in app.get(f"/dataset/{public['id']}.ttl", status=200).body


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_paging(app, org, unique):
    names = {create(minimal_dataset(org, f"{unique}{i}"))["id"] for i in range(5)}
    seen = set()
    for page in (1, 2, 3):
        graph = catalog_graph(app, page=page)
        ids = {s.rsplit("/", 1)[-1] for s in _datasets(graph)}
        assert len(ids) == (2 if page < 3 else 1)
        seen |= ids
        hydra = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
        assert int(next(graph.objects(None, hydra.totalItems))) == 5
    assert seen == names
    app.get("/catalog.ttl", query_string={"page": 0}, status=400)


def _mark_harvested(dataset):
    """Link the dataset to a harvest object, as ckanext-harvest does, and reindex."""
    from ckan import model
    from ckan.lib.search import rebuild
    from ckanext.harvest import model as harvest_model

    source = harvest_model.HarvestSource(url=f"https://other.example/{dataset['id']}", type="dcat_rdf")
    job = harvest_model.HarvestJob(source=source)
    obj = harvest_model.HarvestObject(job=job, source=source, package_id=dataset["id"], current=True,
                                      guid=dataset["id"])
    model.Session.add_all([source, job, obj])
    model.Session.commit()
    rebuild(dataset["id"])


def test_harvested_records_are_not_exported_by_default(app, org, unique):
    own = create(minimal_dataset(org, unique))
    harvested = create(minimal_dataset(org, unique, name=f"fremd-{unique}"))
    _mark_harvested(harvested)
    ids = {s.rsplit("/", 1)[-1] for s in _datasets(catalog_graph(app))}
    assert ids == {own["id"]}


@pytest.mark.ckan_config("ckanext.smartcityatlas.dcat.export_harvested", "true")
def test_harvested_records_exported_when_configured(app, org, unique):
    own = create(minimal_dataset(org, unique))
    harvested = create(minimal_dataset(org, unique, name=f"fremd-{unique}"))
    _mark_harvested(harvested)
    ids = {s.rsplit("/", 1)[-1] for s in _datasets(catalog_graph(app))}
    assert ids == {own["id"], harvested["id"]}
