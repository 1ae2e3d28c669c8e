# SPDX-License-Identifier: AGPL-3.0-or-later
"""A source's answer never comes back in an error message.

Parsers quote what they stumble over (rdflib's Turtle and N-Triples errors
show the line, lxml names the elements, float() and openpyxl show values):
whatever a source answered (an error page, a file it should never have
read) went into the job report, which the source's editors read. Every
read and parse error of every harvester says what failed and where, never
the bytes: each answer below carries MARKER where a parser would quote it."""
import io
import json
import types
import zipfile

import pytest

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.harvesters import ckan_api, csw, rdfparse, sensor_base
from ckanext.smartcityatlas.harvesters import sensorthings as st
from ckanext.smartcityatlas.common.fetch import Response
from ckanext.smartcityatlas.harvesters.radar import geocode, reader
from tests.helpers.fake_csw import FakeCSW, city_record, csw_source
from tests.helpers.harvest import create_source, run_job
from tests.helpers.local_server import ALLOW_LOCAL

MARKER = "GEHEIM-4711-Marker"

RDF_ANSWERS = [  # (body, format, where the report says it failed)
    (f"@prefix x: <http://x/> .\nx:a x:b {MARKER} .", "turtle", "line 2"),
    (f"root:x:0:0:{MARKER}:/root:/bin/bash\n", "turtle", "line 1"),
    (f"<http://x/a> <http://x/b> <http://x/c> .\n{MARKER}\n", "nt", "N-Triples"),
    (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><{MARKER}></b></rdf:RDF>', "xml",
     "line 1"),
    (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description '
     f'rdf:ID="1-{MARKER}"/></rdf:RDF>', "xml", "line 2"),
    (f'{{"@context": "http://{MARKER}.example/context.jsonld", "@id": "http://x/a"}}', "json-ld", "@context"),
    (f'{{"@id": "http://x/a", "{MARKER}": [', "json-ld", "line 1"),
]


def _response(body: bytes, content_type: str = "application/json") -> Response:
    return Response(url="https://quelle.example/daten", status=200, content_type=content_type, body=body,
                    redirects=[])


def _message(exc_info) -> str:
    return str(exc_info.value)


@pytest.mark.parametrize("body,fmt,where", RDF_ANSWERS)
def test_rdf_parse_errors_say_where_not_what(body, fmt, where):
    with pytest.raises(rdfparse.RDFError) as exc:
        rdfparse.parse(body.encode(), fmt, base="https://quelle.example/")
    assert MARKER not in _message(exc) and where in _message(exc), _message(exc)


@pytest.mark.usefixtures("clean_db", "clean_index")
@ALLOW_LOCAL
@pytest.mark.parametrize("body,fmt,where", RDF_ANSWERS)
def test_a_dcat_job_report_carries_no_answer(body, fmt, where, server, harvest_org):
    content_type = {"turtle": "text/turtle", "nt": "application/n-triples", "xml": "application/rdf+xml",
                    "json-ld": "application/ld+json"}[fmt]
    server.add("/c", body=body, content_type=content_type)
    report = run_job(create_source(server.url("/c"), harvest_org))
    text = json.dumps(report, ensure_ascii=False, default=str)
    assert MARKER not in text, report["gather"]
    assert any(server.url("/c") in m and content_type in m and f"{len(body.encode())} bytes" in m
               for m in report["gather"]), report["gather"]


@pytest.mark.usefixtures("clean_db", "clean_index")
@ALLOW_LOCAL
def test_a_csw_job_report_carries_no_answer(server, harvest_org):
    service = FakeCSW([city_record(1)])
    source = csw_source(server, harvest_org, service)
    for body in (f"<csw:GetRecordsResponse><{MARKER}></b>".encode(),
                 f"""<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows">
                 <ows:Exception exceptionCode="{MARKER} x" locator="{MARKER}">
                 <ows:ExceptionText>{MARKER}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>""".encode()):
        service.raw = body
        report = run_job(source)
        assert MARKER not in json.dumps(report, ensure_ascii=False, default=str), report["gather"]
        assert any("line 1" in m or "the CSW reports an error (no code)" in m for m in report["gather"])


def test_a_ckan_portal_error_is_named_not_repeated():
    answers = [json.dumps({"success": False, "error": {"__type": f"Not Found {MARKER}", "message": MARKER}}),
               json.dumps({"success": False, "error": MARKER}), f'{{"success": true, "result": {MARKER}}}',
               f"<html>{MARKER}</html>"]
    for answer in answers:
        with pytest.raises(ValueError) as exc:
            ckan_api.call(lambda url, accept: _response(answer.encode()), "https://quelle.example/api/3/action/",
                          "package_search", {})
        assert MARKER not in _message(exc), _message(exc)


def test_csw_answers_are_not_repeated():
    with pytest.raises(csw.CSWError) as exc:
        csw.parse_xml(f"<a><{MARKER}></b>".encode(), "https://quelle.example/csw")
    assert MARKER not in _message(exc) and "line 1, column" in _message(exc), _message(exc)


def test_sensor_answers_are_not_repeated():
    for body in (f'{{"value": [], "x": {MARKER}}}'.encode(), f"{MARKER}".encode("utf-16")):
        with pytest.raises(ValueError) as exc:
            sensor_base.parse_json(_response(body), "the box list")
        assert MARKER not in _message(exc) and "https://quelle.example/daten" in _message(exc), _message(exc)
    # a SensorThings page whose next link is no text
    page = {"value": [1], "@iot.nextLink": {"href": MARKER}}
    fetcher = lambda url, accept: types.SimpleNamespace(body=json.dumps(page).encode())  # noqa: E731
    paging = st.Paging(fetcher, types.SimpleNamespace(wait=lambda: None), st._origin("http://st.example/x"), 5,
                       "list")
    with pytest.raises(ValueError) as exc:
        list(paging("http://st.example/x"))
    assert MARKER not in _message(exc) and "@iot.nextLink" in _message(exc), _message(exc)


def _xlsx(**replaced: bytes) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Radar-ID"
    plain = io.BytesIO()
    book.save(plain)
    original = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in original.namelist():
            archive.writestr(name, replaced.get(name.replace("/", "_").replace(".", "_"), original.read(name)))
    return out.getvalue()


@pytest.mark.parametrize("body,fmt", [
    (_xlsx(xl_workbook_xml=f"<workbook><{MARKER}></b>".encode()), "xlsx"),
    (_xlsx(xl_worksheets_sheet1_xml=f"<worksheet><{MARKER}></b>".encode()), "xlsx"),
    (f'[{{"Radar-ID": "{MARKER}", '.encode(), "json"),
    (f'[{{"Radar-ID": {MARKER}}}]'.encode(), "json"),
], ids=["xlsx workbook", "xlsx sheet", "json cut", "json value"])
def test_radar_files_that_cannot_be_read_are_not_repeated(body, fmt):
    with pytest.raises(reader.ReadError) as exc:
        reader.read(body, fmt, lambda cells: 2, 10 * 1024 * 1024)
    assert MARKER not in _message(exc), _message(exc)


def test_a_geocoding_answer_is_not_repeated():
    city = city_config.current()
    answers = [[{"lon": MARKER, "lat": "51"}], {"features": [{"geometry": {"coordinates": [MARKER]}}]}]
    for answer in answers:
        coder = geocode.Geocoder(city, service_url="https://geocoder.example/search",
                                 fetcher=lambda url, accept: _response(json.dumps(answer).encode()))
        out = types.SimpleNamespace(notes=[])
        assert coder._service("Adresse 1", 7, out) is None
        assert out.notes and MARKER not in json.dumps(out.notes), out.notes
