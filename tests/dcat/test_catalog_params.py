# SPDX-License-Identifier: AGPL-3.0-or-later
"""The catalog endpoints and actions answer bad parameters with HTTP 400
naming the parameter (ckanext-dcat alone answered 500), and their page links
are valid IRIs whatever the query."""
import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from tests.helpers.datasets import create, minimal_dataset

pytestmark = [pytest.mark.usefixtures("with_plugins")]
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.mark.parametrize("path,params,named", [
    ("/catalog.ttl", {"page": "99999999"}, "page"),
    ("/catalog.ttl", {"page": "99999999999999999999"}, "page"),
    ("/catalog.rdf", {"page": "0"}, "page"),
    ("/catalog.jsonld", {"page": "abc"}, "page"),
    ("/catalog.xml", {"page": "1.0"}, "page"),
    ("/catalog.ttl", {"q": "{!func}x"}, "q"),
    ("/catalog.ttl", {"fq": "{!geofilt sfield=spatial_geom pt=51,13 d=1}"}, "fq"),
    ("/catalog.ttl", {"q": "title:"}, "q, fq"),
    ("/catalog.ttl", {"fq": "title:x OR"}, "q, fq"),
    ("/catalog.ttl", {"modified_since": "garbage"}, "modified_since"),
    ("/catalog.ttl", {"modified_since": "99999999999999999999"}, "modified_since"),
    ("/catalog.ttl", {"profiles": "nope"}, "profiles"),
    ("/catalog.foo", {}, "format"),
])
def test_bad_catalog_parameters_are_400(app, path, params, named):
    resp = app.get(path, query_string=params)
    assert resp.status_code == 400, resp.body[:300]
    assert f"{named}:" in resp.body


@pytest.mark.parametrize("params,named", [
    ({"page": 99999999}, "page"),
    ({"page": [1]}, "page"),
    ({"q": ["x"]}, "q"),
    ({"format": "foo"}, "format"),
    ({"profiles": "nope", "format": "ttl"}, "profiles"),
    ({"profiles": {"a": 1}}, "profiles"),
    ({"modified_since": 20240101}, "modified_since"),
])
@pytest.mark.parametrize("action", ["dcat_catalog_show", "dcat_catalog_search"])
def test_bad_catalog_action_parameters_are_400(app, action, params, named):
    resp = app.post(f"/api/3/action/{action}", json=params)
    assert resp.status_code == 400, resp.body[:300]
    assert f"{named}:" in resp.json["error"]["message"]


RDFLIB_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


def _graph(app, path, fmt, **params):
    body = app.get(path, query_string=params or None, status=200).body
    return rdflib.Graph().parse(data=body, format=RDFLIB_FORMATS[fmt])


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "1")
@pytest.mark.parametrize("fmt", RDFLIB_FORMATS)
def test_page_links_are_encoded_and_lead_to_the_next_page(app, org, unique, fmt):
    names = sorted(create(minimal_dataset(org, f"{unique}{i}"))["name"] for i in range(2))
    # a space, quotes, a "+" and an offset that ckanext-dcat copied into the links as they were
    fq = f'name:("{names[0]}" OR "{names[1]}") +type:dataset'
    first = _graph(app, f"/catalog.{fmt}", fmt, fq=fq, modified_since="2020-01-01T00:00:00+02:00")
    next_link = str(next(first.objects(None, HYDRA.nextPage)))
    assert " " not in next_link and '"' not in next_link and "+" not in next_link
    # the link repeats the query: page 2 of the same two datasets
    second = _graph(app, "/" + next_link.split("://", 1)[1].split("/", 1)[1], fmt)
    assert int(next(second.objects(None, HYDRA.totalItems))) == 2
    found = {str(s).rsplit("/", 1)[-1] for g in (first, second) for s in g.subjects(RDF.type, DCAT.Dataset)}
    assert len(found) == 2
