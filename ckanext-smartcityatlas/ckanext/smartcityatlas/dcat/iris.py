# SPDX-License-Identifier: AGPL-3.0-or-later
"""Only IRIs go into the RDF the portal writes.

The validators refuse addresses that are no IRI, but older and harvested
records, resource fields the schema does not check and the ``uri`` extra
may still hold one. rdflib keeps such a value in a URIRef and then fails on
it (or writes it unescaped) when it serialises Turtle: one record would stop
``/catalog.ttl`` or the atlas open data for everyone. So the value is left
out, with a log line naming the record, and everything else is written.
"""
from __future__ import annotations

import logging
from collections import deque

from rdflib import BNode, Graph, URIRef

from ckanext.smartcityatlas.common import web_address

log = logging.getLogger(__name__)


def _left_out(where: str, value) -> None:
    log.warning("RDF: %s is no IRI and is left out: %s", where, web_address.printable(value))


def drop_invalid_iris(graph: Graph, roots=None, record: str | None = None) -> int:
    """Remove the triples whose subject or object is a URIRef that is no IRI:
    of the nodes reachable from roots (one record, named record in the log),
    or of the whole graph (roots=None). Returns how many triples were removed."""
    if roots is None:
        triples = list(graph)
    else:
        triples, seen, queue = [], set(roots), deque(roots)
        while queue:
            node = queue.popleft()
            for pred, obj in graph.predicate_objects(node):
                triples.append((node, pred, obj))
                if isinstance(obj, (URIRef, BNode)) and obj not in seen:
                    seen.add(obj)
                    queue.append(obj)
    nodes = {node for triple in triples for node in (triple[0], triple[2]) if isinstance(node, URIRef)}
    bad = [node for node in nodes if not web_address.is_iri(str(node))]
    removed = 0
    for node in bad:
        for subject, pred, _obj in list(graph.triples((None, None, node))):
            _left_out(f"{pred} of {record or subject}", node)
        before = len(graph)
        graph.remove((None, None, node))
        graph.remove((node, None, None))
        removed += before - len(graph)
    return removed


def dataset_uri(dataset_dict: dict, default_uri: str) -> str | None:
    """IDCATURIGenerator: a dataset's ``uri`` that is no IRI gives way to the
    portal's own IRI for it (None keeps ckanext-dcat's choice)."""
    return _own_instead(default_uri, dataset_dict.get("id"), "dataset",
                        lambda base: f"{base}/dataset/{dataset_dict['id']}")


def resource_uri(resource_dict: dict, default_uri: str) -> str | None:
    """IDCATURIGenerator: the same for a resource's ``uri``."""
    def own(base):
        from ckanext.dcat.utils import dataset_id_from_resource

        return f"{base}/dataset/{dataset_id_from_resource(resource_dict)}/resource/{resource_dict['id']}"

    return _own_instead(default_uri, resource_dict.get("id"), "resource", own)


def _own_instead(default_uri, record_id, kind: str, own):
    if web_address.is_iri(default_uri) or not record_id:
        return None
    from ckanext.dcat.utils import catalog_uri

    _left_out(f"the uri of {kind} {record_id}", default_uri)
    return own(catalog_uri().rstrip("/"))
