# SPDX-License-Identifier: AGPL-3.0-or-later
"""Parsing untrusted RDF safely: RDF/XML, Turtle, N-Triples, JSON-LD.

rdflib parses RDF/XML with Python's SAX/expat reader. Python (≥ 3.7.1)
does not fetch external general entities by default and expat ≥ 2.4 stops
some amplification, but an internal DTD still expands entities
(billion laughs up to expat's limits) and an external DTD subset or entity
may be named. DCAT catalogs never need a DTD, so a document type
declaration with entity declarations or an external subset is refused
before the bytes reach the parser. JSON-LD: rdflib would fetch a remote
``@context`` with urllib; every ``@context``/``@import`` given as an address
is refused instead (nothing is fetched while parsing).
"""
from __future__ import annotations

import codecs
import json
import re

import rdflib

from ckanext.smartcityatlas.common import web_address
from ckanext.smartcityatlas.harvesters.parse_error import describe

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = ("xml", "turtle", "nt", "json-ld")
CONTENT_TYPES = {
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
}
# answers that are certainly not RDF (an error page, a portal's HTML)
NOT_RDF = ("text/html", "application/xhtml+xml", "image/", "application/pdf", "application/zip")
_EXTENSIONS = {".rdf": "xml", ".xml": "xml", ".owl": "xml", ".ttl": "turtle", ".nt": "nt",
               ".jsonld": "json-ld", ".json": "json-ld"}
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_EXTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\b(SYSTEM|PUBLIC)\b", re.I)
MAX_JSON_DEPTH = 200


class RDFError(ValueError):
    """Unusable input; the message is meant for the job report (it names
    what failed and where, never the input: parse_error.py)."""


def detect_format(body: bytes, content_type: str, url: str, forced: str | None = None) -> str:
    if forced:
        return forced
    ctype = (content_type or "").lower()
    if any(ctype.startswith(t) for t in NOT_RDF):
        raise RDFError(f"expected RDF (RDF/XML, Turtle or JSON-LD), got content type {ctype}")
    if ctype in CONTENT_TYPES:
        return CONTENT_TYPES[ctype]
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    for ext, fmt in _EXTENSIONS.items():
        if path.endswith(ext):
            return fmt
    return sniff(body)


def sniff(body: bytes) -> str:
    head = _text_head(body).lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        if head.lower().startswith(("<!doctype html", "<html")):
            raise RDFError("expected RDF, got an HTML page")
        return "xml"
    if head.startswith(("{", "[")):
        return "json-ld"
    if head.startswith(("@prefix", "@base", "PREFIX", "prefix", "BASE")) or re.match(r"^<[^>]+>\s", head):
        return "turtle"
    raise RDFError("could not recognise the RDF syntax (no content type, no known file extension)")


def _text_head(body: bytes, size: int = 2048) -> str:
    return _decode_xml_prefix(body[:size])


def _decode_xml_prefix(data: bytes) -> str:
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                     (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")


def check_xml(body: bytes) -> None:
    """Refuse DTDs that declare entities or name an external subset."""
    text = body
    if not (text.startswith(b"<") or text.startswith(codecs.BOM_UTF8)) or b"\x00" in body[:4]:
        # UTF-16/32: look at the characters, not the bytes
        text = _decode_xml_prefix(body).encode("utf-8", errors="replace")
    if _DOCTYPE.search(text):
        if _ENTITY.search(text):
            raise RDFError("XML with entity declarations (<!ENTITY>) is refused "
                           "(external or expanding entities are never resolved)")
        if _EXTERNAL_SUBSET.search(text):
            raise RDFError("XML naming an external DTD is refused (it is never fetched)")


def check_jsonld(body: bytes):
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except RecursionError as exc:
        raise RDFError("JSON-LD nested too deeply") from exc
    except ValueError as exc:  # UnicodeDecodeError too
        raise RDFError(f"invalid JSON-LD: {describe(exc)}") from exc
    _check_contexts(data, 0)
    return data


def _check_contexts(node, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise RDFError("JSON-LD nested too deeply")
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                _check_context_value(value)
            _check_contexts(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _check_contexts(item, depth + 1)


def _check_context_value(value) -> None:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            raise RDFError("a remote JSON-LD @context (an address) cannot be resolved offline; "
                           "the source must embed the context (nothing was fetched)")


# an "&" that starts no entity or character reference: CKAN writes raw ones
# into descriptions (its RDF/XML is then not well-formed); it can only mean "&"
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


def parse(body: bytes, fmt: str, base: str, repairs: list[str] | None = None) -> rdflib.Graph:
    """Parse ``body`` into a new graph or raise RDFError (with a line where
    known). RDF/XML that is not well-formed only for raw ``&`` is read with
    them escaped, noted in ``repairs``."""
    try:
        return _parse(body, fmt, base)
    except RDFError as error:
        # UTF-16/32 (NUL bytes) would be broken by a byte-wise replacement
        if fmt != "xml" or b"\x00" in body[:4] or not _BARE_AMPERSAND.search(body):
            raise
        fixed, count = _BARE_AMPERSAND.subn(b"&amp;", body)
        try:
            graph = _parse(fixed, fmt, base)
        except RDFError:
            raise error from None
        if repairs is not None:
            repairs.append(f"[repair] RDF/XML with {count} unescaped '&' (not well-formed XML): read as '&amp;'")
        return graph


def _parse(body: bytes, fmt: str, base: str) -> rdflib.Graph:
    if fmt not in FORMATS:
        raise RDFError(f"unknown RDF format {fmt!r}")
    graph = rdflib.Graph()
    if fmt == "xml":
        check_xml(body)
    if fmt == "json-ld":
        data = check_jsonld(body)
        try:
            graph.parse(data=json.dumps(data), format="json-ld", publicID=base)
        except RDFError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure is bad input
            raise RDFError(f"invalid JSON-LD: {describe(exc)}") from exc
        return graph
    try:
        graph.parse(data=body, format=fmt, publicID=base)
    except Exception as exc:  # noqa: BLE001 - expat/sax and rdflib raise many kinds
        raise RDFError(f"invalid {_label(fmt)}: {describe(exc)}") from exc
    return graph


def repair_iris(graph: rdflib.Graph) -> list[tuple[str, str | None]]:
    """Make every IRI of ``graph`` one that N-Triples and Turtle can carry:
    publishers write addresses with spaces or quotes, which rdflib parses
    from RDF/XML and JSON-LD but cannot write again (the records are cut out
    of their page as N-Triples). Such an IRI is percent-encoded; one that is
    still no IRI then is left out with its triples. Returns (old, new or None)."""
    bad: dict[rdflib.URIRef, rdflib.URIRef | None] = {}
    good: set[rdflib.URIRef] = set()
    for triple in graph:
        for term in triple:
            if not isinstance(term, rdflib.URIRef) or term in good or term in bad:
                continue
            if web_address.is_iri(str(term)):
                good.add(term)
                continue
            fixed = web_address.encoded(str(term))
            bad[term] = rdflib.URIRef(fixed) if web_address.is_iri(fixed) else None
    if not bad:
        return []
    for triple in list(graph):
        if any(term in bad for term in triple):
            graph.remove(triple)
            new = tuple(bad.get(term, term) if isinstance(term, rdflib.URIRef) else term for term in triple)
            if None not in new:
                graph.add(new)
    return [(str(old), None if new is None else str(new)) for old, new in bad.items()]


def _label(fmt: str) -> str:
    return {"xml": "RDF/XML", "turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}[fmt]


def next_page(graph: rdflib.Graph, page_url: str) -> str | None:
    """The hydra next page (hydra:nextPage of a PagedCollection, or hydra:next)."""
    for pred in (HYDRA.nextPage, HYDRA.next):
        for value in graph.objects(None, pred):
            text = str(value).strip()
            if text:
                from urllib.parse import urljoin

                return urljoin(page_url, text)
    return None
