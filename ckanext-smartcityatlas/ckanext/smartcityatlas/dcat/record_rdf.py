# SPDX-License-Identifier: AGPL-3.0-or-later
"""RDF text in parts that join into one document.

A catalog page is its catalog node (with the page links) plus each
dataset's own graph. Each part is written by rdflib in the page's format
and split into the namespace prefixes it declares and its body; ``join``
writes one document: the prefixes once, then the bodies. Turtle (and N3,
of which Turtle is a subset), RDF/XML and JSON-LD (expanded, as
ckanext-dcat writes it) allow that: blank nodes keep rdflib's unique labels
in every part, and a node described in several parts (a licence, a place)
is one node of the joined graph.

Prefixes rdflib makes up for namespaces without one (``ns1``) would mean
different namespaces in different parts; such a namespace gets a prefix
derived from itself instead, so one prefix never stands for two
namespaces. Should two parts still disagree, ``join`` answers None and the
caller writes the page the slow way.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
from xml.sax.saxutils import quoteattr

import rdflib
import rdflib.namespace

# the formats stored and joined: rdflib's name → the text used for it
JOINED = {"turtle": "turtle", "n3": "turtle", "pretty-xml": "pretty-xml", "json-ld": "json-ld"}
STORED = ("turtle", "pretty-xml", "json-ld")

_TURTLE_PREFIX = re.compile(r"@prefix ([^:\s]*): (<[^>]*>) \.")
_XML_ROOT = re.compile(r"\A<\?xml[^>]*\?>\s*<rdf:RDF\b(?P<attrs>.*?)\n>\n", re.S)
_XML_NAMESPACE = re.compile(r'\s*xmlns:([^=\s]+)="([^"]*)"')
_XML_END = "</rdf:RDF>"


@dataclasses.dataclass(frozen=True)
class Part:
    prefixes: dict[str, str]
    body: str


def record_graph(serializer, dataset_dict: dict) -> tuple[rdflib.URIRef, rdflib.Graph]:
    """One dataset's graph in the serializer's profiles, apart from any other."""
    own = copy.copy(serializer)
    own.g = rdflib.Graph()
    ref = own.graph_from_dataset(dataset_dict)
    return ref, own.g


def write(graph: rdflib.Graph, fmt: str) -> Part:
    """``graph`` in stored format ``fmt`` ("turtle", "pretty-xml", "json-ld")."""
    if fmt == "json-ld":
        nodes = json.loads(graph.serialize(format="json-ld"))
        return Part({}, json.dumps(nodes, ensure_ascii=False, separators=(",", ":"))[1:-1])
    bound = {prefix for prefix, _ns in graph.namespaces()}
    text = graph.serialize(format=fmt)
    made_up = {ns: prefix for prefix, ns in graph.namespaces() if prefix not in bound}
    if made_up:
        text = _with_own_prefixes(graph, made_up).serialize(format=fmt)
    return _split_turtle(text) if fmt == "turtle" else _split_xml(text)


def _with_own_prefixes(graph: rdflib.Graph, made_up: dict) -> rdflib.Graph:
    """A copy whose made-up prefixes are derived from their namespaces (a
    fresh graph: rdflib's namespace manager caches the names it made)."""
    fresh = rdflib.Graph(bind_namespaces="none")
    for prefix, ns in graph.namespaces():
        if ns in made_up:
            prefix = _own_prefix(ns)
        fresh.bind(prefix, ns, override=True, replace=True)
    for triple in graph:
        fresh.add(triple)
    return fresh


def _own_prefix(namespace: str) -> str:
    return "ns" + hashlib.sha1(str(namespace).encode("utf-8")).hexdigest()[:10]


def _split_turtle(text: str) -> Part:
    prefixes, lines = {}, text.split("\n")
    start = 0
    for start, line in enumerate(lines):
        found = _TURTLE_PREFIX.fullmatch(line)
        if found is None:
            break
        prefixes[found.group(1)] = found.group(2)
    return Part(prefixes, "\n".join(lines[start:]).strip("\n"))


def _split_xml(text: str) -> Part:
    root = _XML_ROOT.match(text)
    if root is None or not text.endswith(_XML_END + "\n"):
        raise ValueError("unexpected RDF/XML from rdflib")
    end = text.rindex(_XML_END)
    attributes = root.group("attrs")
    prefixes = dict(_XML_NAMESPACE.findall(attributes))
    if _XML_NAMESPACE.sub("", attributes).strip():  # xml:base or a default namespace: not joinable
        raise ValueError("unexpected RDF/XML root attributes from rdflib")
    return Part(prefixes, text[root.end():end].strip("\n"))


def links(fmt: str, subject: rdflib.URIRef, predicate: rdflib.URIRef, objects: list[rdflib.URIRef],
          prefixes: dict[str, str]) -> Part:
    """The triples (subject, predicate, o) for every IRI o as a part, written
    directly (rdflib takes some 80 ms for the 1,000 dcat:dataset links of a
    page), the predicate named with one of ``prefixes`` where one fits."""
    if not objects:
        return Part({}, "")
    if fmt == "json-ld":
        node = {"@id": str(subject), str(predicate): [{"@id": str(o)} for o in objects]}
        return Part({}, json.dumps(node, ensure_ascii=False, separators=(",", ":")))
    namespace, name = rdflib.namespace.split_uri(predicate)
    if fmt == "turtle":
        known = next((f"{p}:{name}" for p, ns in prefixes.items() if ns == f"<{namespace}>"), predicate.n3())
        return Part({}, f"{subject.n3()} {known} " + ",\n    ".join(o.n3() for o in objects) + " .")
    prefix = next((p for p, ns in prefixes.items() if ns == namespace), _own_prefix(namespace))
    rows = "".join(f"    <{prefix}:{name} rdf:resource={quoteattr(str(o))}/>\n" for o in objects)
    return Part({prefix: namespace, "rdf": str(rdflib.RDF)},
                f"  <rdf:Description rdf:about={quoteattr(str(subject))}>\n{rows}  </rdf:Description>")


def join(fmt: str, parts: list[Part]) -> str | None:
    """One document of ``parts`` in stored format ``fmt``; None if two parts
    use one prefix for different namespaces."""
    prefixes: dict[str, str] = {}
    for part in parts:
        for prefix, ns in part.prefixes.items():
            if prefixes.setdefault(prefix, ns) != ns:
                return None
    bodies = [part.body for part in parts if part.body]
    if fmt == "json-ld":
        return "[" + ",\n".join(bodies) + "]"
    if fmt == "turtle":
        head = "".join(f"@prefix {prefix}: {ns} .\n" for prefix, ns in sorted(prefixes.items()))
        return head + "\n" + "\n\n".join(bodies) + "\n"
    head = "".join(f'  xmlns:{prefix}="{ns}"\n' for prefix, ns in sorted(prefixes.items()))
    return '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n' + head + ">\n" + "\n".join(bodies) + "\n</rdf:RDF>\n"
