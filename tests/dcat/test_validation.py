# SPDX-License-Identifier: AGPL-3.0-or-later
"""The two SHACL engines give the same results (pySHACL is the reference)."""
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS as DCT, RDF

from ckanext.smartcityatlas.dcat import shacl
from tests.helpers.datasets import catalog_graph, create, full_dataset, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def _key(report):
    return sorted((r.severity, r.focus, r.path, r.message) for r in report.results)


@pytest.mark.skipif("turbo" != shacl.DEFAULT_ENGINE, reason="pyshacl-turbo not installed")
def test_engines_agree_on_valid_and_broken_catalogs(app, org, unique):
    create(full_dataset(org, unique))
    create(minimal_dataset(org, unique))
    for query, profiles in (({}, ("v2.0-spec", "v2.0-spec-konventionen")),
                            ({"profiles": "sca_dcatap_de_3"}, ("v3.0-spec",))):
        graph = catalog_graph(app, **query)
        broken = rdflib.Graph()
        for t in graph:
            broken.add(t)
        for ds in list(broken.subjects(RDF.type, DCAT.Dataset)):
            broken.remove((ds, DCT.description, None))
            broken.add((ds, DCAT.theme, rdflib.Literal("Umwelt")))
            for dist in broken.objects(ds, DCAT.distribution):
                broken.remove((dist, DCT.license, None))
                broken.add((dist, DCT["format"], rdflib.URIRef("http://example.org/csv")))
        for profile in profiles:
            for data in (graph, broken):
                reference = shacl.validate(data, profile, engine="pyshacl")
                fast = shacl.validate(data, profile, engine="turbo")
                assert _key(fast) == _key(reference), profile
            assert not shacl.validate(broken, profile).conforms
