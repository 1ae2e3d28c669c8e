# SPDX-License-Identifier: AGPL-3.0-or-later
"""The catalog endpoints: valid DCAT-AP.de 2.0 and 3.0, only the city's own
public datasets, paged."""
import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import validation
from tests.dcat.conftest import catalog_graph, create, full_dataset, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def _datasets(graph):
    return set(str(s) for s in graph.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize("profile", ["v2.0-spec", "v2.0-spec-konventionen"])
def test_full_and_minimal_datasets_are_valid_dcatap_de_2(app, org, unique, profile):
    create(full_dataset(org, unique))
    create(minimal_dataset(org, unique))
    graph = catalog_graph(app)
    assert len(_datasets(graph)) == 2
    report = validation.validate(graph, profile)
    assert report.conforms, report.summary()


def test_full_and_minimal_datasets_are_valid_dcatap_de_3(app, org, unique):
    create(full_dataset(org, unique))
    create(minimal_dataset(org, unique))
    graph = catalog_graph(app, profiles="dcatap_de_3")
    assert len(_datasets(graph)) == 2
    report = validation.validate(graph, "v3.0-spec")
    assert report.conforms, report.summary()
    assert report.warnings == [], report.warnings
