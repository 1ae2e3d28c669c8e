# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo portal's catalog: both variants valid; actors and projects are
not in the catalog but in the two atlas datasets."""
import csv
import io

import pytest
from rdflib.namespace import DCAT, RDF

from ckan.tests import helpers

from ckanext.smartcityatlas.demo import loader
from ckanext.smartcityatlas.dcat import opendata
from ckanext.smartcityatlas.dcat import shacl
from tests.helpers.datasets import catalog_graph

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def test_demo_catalog(app):
    report = loader.load()
    assert report.failed == {}
    opendata.regenerate()
    entities = {kind: {e["id"] for e in opendata.public_records(kind)} for kind in ("actor", "project")}
    assert len(entities["actor"]) >= 40 and len(entities["project"]) >= 40

    graph = catalog_graph(app)
    datasets = {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
    demo_datasets = loader.read_datasets(loader.demo_folder())
    public = [d for d in demo_datasets if not d.get("private")]
    assert len(datasets) == 2 + len(public) and public and len(public) < len(demo_datasets)
    body = app.get("/catalog.ttl").body
    for ids in entities.values():
        assert not any(i in body for i in ids)
    for profile in ("v2.0-spec", "v2.0-spec-konventionen"):
        result = shacl.validate(graph, profile)
        assert result.conforms and result.warnings == [], result.summary()
    result = shacl.validate(catalog_graph(app, profiles="sca_dcatap_de_3"), "v3.0-spec")
    assert result.conforms and result.warnings == [], result.summary()

    for kind, entity_type in ((opendata.ACTORS, "actor"), (opendata.PROJECTS, "project")):
        pkg = helpers.call_action("package_show", id=opendata.dataset_name(kind))
        assert any(pkg["id"] in d for d in datasets)
        text = app.get(f"/opendata/atlas/{opendata.file_name(kind, 'csv')}").body.lstrip("\ufeff")
        assert {r["id"] for r in csv.DictReader(io.StringIO(text))} == entities[entity_type]
