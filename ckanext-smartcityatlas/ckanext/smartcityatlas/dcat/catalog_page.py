# SPDX-License-Identifier: AGPL-3.0-or-later
"""A catalog page from each dataset's stored RDF.

ckanext-dcat builds every dataset of a page into one rdflib graph and
serialises it (some 5 ms and 2.5 ms per dataset in Turtle: seconds for a
page of 1,000). Here only the catalog node (its own triples, one
``dcat:dataset`` link per dataset, the page links) is built per request;
the datasets' texts come from the record cache (``record_cache``) in the
page's format and are joined to it as text (``record_rdf.join``). The
result is the same graph. Formats without a joinable text (N-Triples,
TriG … through the Action API) and profiles outside the cache are written
the old way (``render`` answers None).
"""
from __future__ import annotations

import copy

from rdflib import URIRef
from rdflib.namespace import DCAT

from ckanext.dcat.utils import url_to_rdflib_format

from ckanext.smartcityatlas.dcat import record_cache, record_rdf


def render(serializer, datasets: list[dict], fmt: str | None, pagination: dict) -> str | None:
    """The page as ``serializer.serialize_catalog({}, datasets, fmt, pagination)``
    would write it, or None where the record cache does not apply."""
    stored_format = record_rdf.JOINED.get(url_to_rdflib_format(fmt or "xml"))
    if stored_format is None or not record_cache.enabled() or not record_cache.cacheable(serializer):
        return None
    records = record_cache.current(serializer, datasets, stored_format)
    catalog = _catalog_parts(serializer, datasets, [URIRef(r.subject) for r in records], pagination, stored_format)
    return record_rdf.join(stored_format, catalog + [record_rdf.Part(r.prefixes, r.body) for r in records])


def _catalog_parts(serializer, datasets, refs, pagination, stored_format) -> list[record_rdf.Part]:
    """The catalog node as ckanext-dcat's serialize_catalog adds it (in a
    graph of its own: the serializer stays unused for the old way), its
    dcat:dataset links written directly."""
    own = copy.copy(serializer)
    own.g = type(serializer.g)()
    catalog_ref = own.graph_from_catalog({})
    linked = [ref for dataset, ref in zip(datasets, refs) if not own._add_source_catalog(catalog_ref, dataset, ref)]
    if pagination:
        own._add_pagination_triples(pagination)
    catalog = record_rdf.write(own.g, stored_format)
    return [catalog, record_rdf.links(stored_format, catalog_ref, DCAT.dataset, linked, catalog.prefixes)]
