# SPDX-License-Identifier: AGPL-3.0-or-later
"""Parsing hostile and broken RDF: nothing is resolved, fetched or expanded."""
import json

import pytest
import rdflib

from ckanext.smartcityatlas.harvesters import rdfparse
from ckanext.smartcityatlas.harvesters.rdfparse import RDFError

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"'

XXE = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://x/d"><dct:title>&secret;</dct:title>
</rdf:Description></rdf:RDF>""".encode()

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://x/d"><dct:title>&lol9;</dct:title>
</rdf:Description></rdf:RDF>""".encode()

EXTERNAL_DTD = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:1/evil.dtd">
<rdf:RDF {RDF_NS}/>""".encode()


@pytest.mark.parametrize("body,message", [
    (XXE, "entity declarations"),
    (BILLION_LAUGHS, "entity declarations"),
    (EXTERNAL_DTD, "external DTD"),
    (XXE.decode().encode("utf-16"), "entity declarations"),  # the same in UTF-16
])
def test_dtd_tricks_are_refused_before_parsing(body, message):
    with pytest.raises(RDFError, match=message):
        rdfparse.parse(body, "xml", base="http://x/")


def test_a_plain_doctype_without_entities_is_fine():
    body = f'<?xml version="1.0"?><!DOCTYPE rdf:RDF><rdf:RDF {RDF_NS}><rdf:Description ' \
           f'rdf:about="http://x/d"><dct:title>Grünflächen</dct:title></rdf:Description></rdf:RDF>'
    graph = rdfparse.parse(body.encode(), "xml", base="http://x/")
    assert str(graph.value(rdflib.URIRef("http://x/d"), rdflib.DCTERMS.title)) == "Grünflächen"


@pytest.mark.parametrize("body,fmt,message", [
    (b"<rdf:RDF><unclosed>", "xml", "invalid RDF/XML"),
    (b"\x00\x01\x02 binary", "xml", "invalid RDF/XML"),
    (b"@prefix dct: <http://purl.org/dc/terms/> .\n<http://x/d> dct:title \"offen", "turtle",
     "invalid Turtle"),
    (b"<http://x/d> <http://x/p> .", "turtle", "invalid Turtle"),
    (b"{\"@id\": ", "json-ld", "invalid JSON"),
    (b"[" * 100000 + b"]" * 100000, "json-ld", "nested too deeply"),
])
def test_broken_input_is_a_clear_error(body, fmt, message):
    with pytest.raises(RDFError, match=message):
        rdfparse.parse(body, fmt, base="http://x/")


def test_remote_jsonld_context_is_never_fetched(server):
    route = server.add("/context.jsonld", body='{"@context": {"t": "http://purl.org/dc/terms/title"}}',
                       content_type="application/ld+json")
    for doc in (
        {"@context": server.url("/context.jsonld"), "@id": "http://x/d", "t": "a"},
        {"@context": [{"dct": "http://purl.org/dc/terms/"}, server.url("/context.jsonld")], "@id": "http://x/d"},
        {"@context": {"@import": server.url("/context.jsonld")}, "@id": "http://x/d"},
        {"@graph": [{"@context": server.url("/context.jsonld"), "@id": "http://x/d"}]},
    ):
        with pytest.raises(RDFError, match="remote JSON-LD @context .* cannot be resolved offline"):
            rdfparse.parse(json.dumps(doc).encode(), "json-ld", base="http://x/")
    assert route.hits == 0


def test_inline_jsonld_context_works():
    doc = {"@context": {"dct": "http://purl.org/dc/terms/"}, "@id": "http://x/d", "dct:title": "Bäume"}
    graph = rdfparse.parse(json.dumps(doc).encode(), "json-ld", base="http://x/")
    assert str(graph.value(rdflib.URIRef("http://x/d"), rdflib.DCTERMS.title)) == "Bäume"


@pytest.mark.parametrize("ctype,url,body,expected", [
    ("text/turtle; charset=utf-8".split(";")[0], "http://x/c", b"", "turtle"),
    ("application/rdf+xml", "http://x/c", b"", "xml"),
    ("application/ld+json", "http://x/c", b"", "json-ld"),
    ("application/octet-stream", "http://x/katalog.ttl", b"", "turtle"),
    ("", "http://x/c", b"<?xml version='1.0'?><rdf:RDF/>", "xml"),
    ("text/plain", "http://x/c", b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", "turtle"),
    ("", "http://x/c", b'{"@graph": []}', "json-ld"),
])
def test_format_detection(ctype, url, body, expected):
    assert rdfparse.detect_format(body, ctype, url) == expected


@pytest.mark.parametrize("ctype,body", [
    ("text/html", b"<html><body>Wartungsarbeiten</body></html>"),
    ("", b"<!DOCTYPE html><html></html>"),
    ("image/png", b"\x89PNG"),
    ("text/plain", b"Hallo Welt"),
])
def test_wrong_content_is_a_clear_error(ctype, body):
    with pytest.raises(RDFError, match="expected RDF|could not recognise"):
        rdfparse.detect_format(body, ctype, "http://x/c")


def test_next_page():
    g = rdflib.Graph().parse(data="""
        @prefix hydra: <http://www.w3.org/ns/hydra/core#> .
        <http://x/catalog?page=1> a hydra:PagedCollection ; hydra:nextPage "catalog?page=2" .""",
        format="turtle")
    assert rdfparse.next_page(g, "http://x/catalog?page=1") == "http://x/catalog?page=2"


def test_raw_ampersands_in_rdf_xml_are_read_as_escaped():
    """CKAN writes raw "&" into descriptions (not well-formed XML): they can
    only mean "&"; entity and character references stay what they are."""
    body = (f'<?xml version="1.0"?><rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://x/d?a=1&amp;b=2">'
            '<dct:title>Wege & Plätze &#38; Parks &lt;neu&gt;</dct:title>'
            '<dct:description>https://x.example/?nn=1&cms_detail=1105</dct:description>'
            '</rdf:Description></rdf:RDF>').encode()
    repairs = []
    graph = rdfparse.parse(body, "xml", base="http://x/", repairs=repairs)
    assert str(graph.value(rdflib.URIRef("http://x/d?a=1&b=2"), rdflib.URIRef("http://purl.org/dc/terms/title"))) \
        == "Wege & Plätze & Parks <neu>"
    assert repairs == ["[repair] RDF/XML with 2 unescaped '&' (not well-formed XML): read as '&amp;'"]
    # other faults stay errors, named as the parser found them first
    with pytest.raises(RDFError, match="line 1"):
        rdfparse.parse(body.replace(b"</rdf:RDF>", b""), "xml", base="http://x/", repairs=[])
