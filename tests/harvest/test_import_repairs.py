# SPDX-License-Identifier: AGPL-3.0-or-later
"""The import policy's repairs and degradations one by one (issue 25):
e-mail addresses, geometries, vocabulary labels and deprecated list
addresses, and what ``policy.apply`` makes of records that lack a title,
a description, a licence or access URLs."""
import json

import pytest

from ckanext.smartcityatlas.dcat import import_flags
from ckanext.smartcityatlas.harvesters import emails, geometry, mapping, policy
from ckanext.smartcityatlas.harvesters.errors import RecordError

pytestmark = pytest.mark.usefixtures("with_plugins")  # the schema's choices
EU = "http://publications.europa.eu/resource/authority/"


@pytest.mark.parametrize("value,expected", [
    ("mailto:info@statistik-nord.de", "info@statistik-nord.de"),
    ("info@statistik-nord.de", "info@statistik-nord.de"),
    # vcard:hasEmail rdf:resource="info@…" resolved against the page's address
    ("https://opendata.example.de/catalog/info@statistik-nord.de", "info@statistik-nord.de"),
    ("http://opendata.example.de/dataset/abc/info%40amt.example.de", "info@amt.example.de"),
    ("opendata(at)stadt.example.de", "opendata@stadt.example.de"),
    ("opendata [at] stadt [dot] example [dot] de", "opendata@stadt.example.de"),
    ("opendata at stadt.example.de", "opendata@stadt.example.de"),
    ("opendata(ät)stadt.example.de", "opendata@stadt.example.de"),
    ("MAILTO:opendata@stadt.example.de?subject=Daten", "opendata@stadt.example.de"),
    ("<opendata@stadt.example.de>.", "opendata@stadt.example.de"),
    ("mailto:opendata%40stadt.example.de", "opendata@stadt.example.de"),
    ("Open-Data-Team", None),
    ("https://stadt.example.de/kontakt", None),
    ("", None),
])
def test_email_repairs(value, expected):
    assert emails.repair(value) == expected


@pytest.mark.parametrize("value,expected,repaired", [
    ('{"type": "polygon", "coordinates": [[[10, 54], [11, 54], [11, 55], [10, 54]]]}',
     {"type": "Polygon", "coordinates": [[[10, 54], [11, 54], [11, 55], [10, 54]]]}, ["GeoJSON type case"]),
    ('{"type": "MULTIPOINT", "coordinates": [[10, 54]]}', {"type": "MultiPoint", "coordinates": [[10, 54]]},
     ["GeoJSON type case"]),
    ({"type": "Point", "coordinates": [10, 54]}, {"type": "Point", "coordinates": [10, 54]}, []),
    ('{"type": "Feature", "geometry": {"type": "point", "coordinates": [10, 54]}}',
     {"type": "Point", "coordinates": [10, 54]}, ["the Feature's geometry", "GeoJSON type case"]),
    ("POINT (10.7810 54.1038)", {"type": "Point", "coordinates": [10.781, 54.1038]}, ["WKT → GeoJSON"]),
    ("point(10 54)", {"type": "Point", "coordinates": [10.0, 54.0]}, ["WKT → GeoJSON"]),
    ("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON ((10 54, 11 54, 11 55, 10 54))",
     {"type": "Polygon", "coordinates": [[[10.0, 54.0], [11.0, 54.0], [11.0, 55.0], [10.0, 54.0]]]},
     ["WKT → GeoJSON"]),
    ("SRID=4326;POINT(10 54)", {"type": "Point", "coordinates": [10.0, 54.0]}, ["WKT → GeoJSON"]),
])
def test_geometry_repairs(value, expected, repaired):
    assert geometry.to_geojson(value) == (expected, repaired)


@pytest.mark.parametrize("value,reason", [
    ("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(54 10)", "other than CRS84"),  # latitude first
    ("SRID=25832;POINT(565000 5930000)", "EPSG:25832"),
    ("Schleswig-Holstein", "neither GeoJSON nor WKT"),
    ("POLYGON ((10 54, 11", "invalid WKT"),
    ("{kaputt", "not valid GeoJSON"),
])
def test_geometries_without_one_meaning_are_not_guessed(value, reason):
    with pytest.raises(geometry.GeometryError, match=reason):
        geometry.to_geojson(value)


@pytest.mark.parametrize("kind,value,expected", [
    # literal values by the labels of the EU and dcat-ap.de lists, German and English, any case
    ("access_rights", "public", "PUBLIC"),
    ("access_rights", "Öffentlich", "PUBLIC"),
    ("access_rights", "NON-PUBLIC", "NON_PUBLIC"),
    ("frequencies", "Monthly", "MONTHLY"),
    ("frequencies", "vierteljährlich", "QUARTERLY"),
    ("themes", "Regionen und Städte", "REGI"),
    ("themes", "ENVIRONMENT", "ENVI"),
    ("languages", "Deutsch", "DEU"),
    ("formats", "zip", "ZIP"),
    ("formats", "turtle", "RDF_TURTLE"),
    ("licenses", "Datenlizenz Deutschland Namensnennung 2.0", "dl-by-de/2.0"),
    ("licenses", "https://www.govdata.de/dl-de/zero-2-0", "dl-zero-de/2.0"),
    # deprecated addresses of the lists' entries
    ("formats", "http://publications.europa.eu/mdr/resource/authority/file-type/CSV", "CSV"),
    ("formats", "https://publications.europa.eu/resource/authority/file-type/JSON", "JSON"),
    ("frequencies", "http://publications.europa.eu/mdr/authority/frequency/ANNUAL", "ANNUAL"),
    ("themes", "http://publications.europa.eu/resource/dataset/data-theme/TRAN", "TRAN"),
    ("licenses", "https://dcat-ap.de/def/licenses/cc-by/4.0", "cc-by/4.0"),
    ("licenses", "http://www.dcat-ap.de/def/licenses/dl-by-de/2_0", "dl-by-de/2.0"),
])
def test_vocabulary_values_with_one_meaning_are_repaired(kind, value, expected):
    assert mapping.Mapper().lookup(kind, value) == (expected, True)


@pytest.mark.parametrize("kind,value", [
    ("formats", "Kartenviewer"),
    # the address of the EU list itself is no format
    ("formats", "http://publications.europa.eu/mdr/resource/authority/file-type/xml/filetypes.xml"),
    ("formats", "http://publications.europa.eu/mdr/resource/authority/file-type/NOSUCHTYPE"),
    ("licenses", "Nutzungsbedingungen des Stadtarchivs"),
    ("access_rights", "nur intern nach Absprache"),
])
def test_values_without_one_meaning_stay_unknown(kind, value):
    assert mapping.Mapper().lookup(kind, value) == (None, False)


def _record(**fields):
    base = {"title": "Baumkataster", "notes": "Straßenbäume der Stadt.", "identifier": "urn:x:baum",
            "license_id": "dl-by-de/2.0", "tags": [],
            "resources": [{"_key": "d1", "url": "https://stadt.example/baum.csv", "format": "CSV"}]}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def _apply(pkg, guid="urn:x:baum", guid_is_identifier=False):
    mapper = mapping.Mapper()
    out = policy.apply(pkg, mapper, guid, guid_is_identifier)
    return out, mapper, import_flags.decode(out)


def test_a_complete_record_carries_no_flags():
    out, mapper, flags = _apply(_record())
    assert flags == {} and out[import_flags.FIELD] == "" and out[import_flags.ORIGINAL_LICENCE] == ""
    assert mapper.unmapped == [] and mapper.notes == []


def test_no_description_is_imported_flagged_and_withheld():
    out, mapper, flags = _apply(_record(notes=""))
    assert out["notes"] == "" and flags["missing"] == {"notes": ""}
    assert [kind for kind, _m in mapper.notes] == ["flagged"]
    assert import_flags.missing(out) == ["dct:description"] and import_flags.withheld(out)
    assert import_flags.findings(out)[0]["code"] == import_flags.MISSING
    # a person's description ends it
    assert not import_flags.withheld(dict(out, notes="Von der Redaktion ergänzt."))


def test_the_english_description_or_title_stands_in():
    out, mapper, flags = _apply(_record(notes=None, description_en="Street trees.", title=None, title_en="Trees"))
    assert (out["notes"], out["title"]) == ("Street trees.", "Trees") and flags == {}
    assert {r.field for r in mapper.repairs} == {"title", "description"}


def test_no_title_the_identifier_stands_in_until_a_person_gives_one():
    out, _mapper, flags = _apply(_record(title=""))
    assert out["title"] == "urn:x:baum" and flags["missing"] == {"title": "urn:x:baum"}
    assert import_flags.missing(out) == ["dct:title"]
    assert not import_flags.withheld(dict(out, title="Baumkataster"))


def test_no_title_and_no_identifier_is_no_dataset():
    with pytest.raises(RecordError, match="neither a title .* nor an identifier"):
        _apply(_record(title="", identifier=None), guid="https://stadt.example/dataset/x")
    # a harvester whose guid is the upstream record's id (CKAN, CSW): that identifies it
    out, _mapper, _flags = _apply(_record(title="", identifier=None), guid="7d1c0a52", guid_is_identifier=True)
    assert out["title"] == "7d1c0a52"


def test_an_unknown_licence_is_recorded_as_not_open_with_the_source_text():
    out, mapper, flags = _apply(_record(license_id=None, _license_original="Nutzungsbedingungen Stadtarchiv"))
    assert out["license_id"] == "other-closed"
    assert out[import_flags.ORIGINAL_LICENCE] == "Nutzungsbedingungen Stadtarchiv"
    [degraded] = mapper.unmapped
    assert (degraded.field, degraded.new) == ("license", "other-closed")
    assert flags["degraded"][0]["path"] == "dct:license"
    codes = {f["code"] for f in import_flags.findings(out)}
    assert codes == {import_flags.LICENCE, import_flags.DEGRADED}
    # a person's choice of licence ends the finding about it
    assert import_flags.LICENCE not in {f["code"] for f in import_flags.findings(dict(out, license_id="cc-zero"))}


def test_a_distribution_with_an_unknown_licence_is_not_open_either():
    resources = [{"_key": "d1", "url": "https://stadt.example/a.csv"},
                 {"_key": "d2", "url": "https://stadt.example/b.csv", "_license_original": "eigene Bedingungen"}]
    out, mapper, _flags = _apply(_record(resources=resources))
    assert [r.get("license") for r in out["resources"]] == [None, "other-closed"]
    assert [(d.field, d.old) for d in mapper.unmapped] == [("distribution 2 license", "eigene Bedingungen")]


def test_a_distribution_without_access_url_is_left_out_not_the_record():
    resources = [{"_key": "https://stadt.example/d/1", "name": "Download", "url": None},
                 {"_key": "d2", "url": "https://stadt.example/b.csv"}]
    out, mapper, flags = _apply(_record(resources=resources))
    assert [r["_key"] for r in out["resources"]] == ["d2"]
    assert flags["degraded"][0]["path"] == "dcat:distribution"
    assert "no access URL" in mapper.unmapped[0].degraded()
    # a format from the media type where the format was no file type
    out, mapper, _flags = _apply(_record(resources=[{"_key": "d1", "url": "https://stadt.example/b",
                                                     "mimetype": "application/geo+json"}]))
    assert out["resources"][0]["format"] == "GeoJSON" and [r.field for r in mapper.repairs] == ["distribution 1 format"]
    # none at all is allowed (DCAT-AP recommends distributions, it does not require them)
    out, _mapper, _flags = _apply(_record(resources=[]))
    assert out["resources"] == [] and out["license_id"] == "dl-by-de/2.0"


def test_contacts_geometry_and_access_rights_repaired_or_left_out():
    out, mapper, flags = _apply(_record(
        contact_email="https://portal.example/catalog/info@amt.example.de",
        roles=[{"role": "creator", "name": "Statistikamt", "email": "info(at)statistik.example.de"},
               {"role": "maintainer", "name": "Amt", "email": "bitte anrufen"}],
        spatial='{"type": "polygon", "coordinates": [[[10, 54], [11, 54], [11, 55], [10, 54]]]}',
        access_rights="Public"))
    assert out["contact_email"] == "info@amt.example.de"
    assert out["roles"][0]["email"] == "info@statistik.example.de" and "email" not in out["roles"][1]
    assert json.loads(out["spatial"])["type"] == "Polygon" and out["access_rights"] == "PUBLIC"
    assert [d.field for d in mapper.unmapped] == ["role 2 e-mail"]
    assert {r.field for r in mapper.repairs} >= {"contact e-mail", "role 1 e-mail", "spatial", "access rights"}
    out, mapper, flags = _apply(_record(spatial="irgendwo an der Küste", access_rights="nach Absprache"))
    assert "spatial" not in out and "access_rights" not in out
    assert {d["path"] for d in flags["degraded"]} == {"dct:spatial", "dct:accessRights"}


def test_values_the_schema_refuses_are_left_out_not_the_record():
    mapper = mapping.Mapper()
    pkg = policy.apply(_record(language=["DEU", "FIN"], frequency="FORTNIGHTLY_X",
                               resources=[{"_key": "d1", "url": "https://stadt.example/a.csv", "format": "CSV",
                                           "availability": "sometimes"},
                                          {"_key": "d2", "url": "notaurl"}]), mapper, "urn:x:baum")
    errors = {"language": ['unexpected choice "FIN"'], "frequency": ["unexpected choice"],
              "resources": [{"availability": ["unexpected choice"]}, {"url": ["Invalid URL"]}]}
    out = policy.without_invalid(pkg, errors, mapper, "urn:x:baum")
    assert "language" not in out and "frequency" not in out
    assert [r["_key"] for r in out["resources"]] == ["d1"] and "availability" not in out["resources"][0]
    assert {d["field"] for d in import_flags.decode(out)["degraded"]} == {
        "language", "frequency", "distribution 1 availability", "distribution 2"}
    # what makes the record a record is not left out
    assert policy.without_invalid(pkg, {"title": ["Missing value"]}, mapper, "urn:x:baum") is None


@pytest.mark.parametrize("value,expected", [
    ("ZIP", "application/zip"), ("csv", "text/csv"), ("GeoJSON", "application/geo+json"),
    ("Kartenviewer", None), ("", None),
])
def test_a_file_type_written_as_media_type_is_its_media_type(value, expected):
    """GovData's own catalogue example writes ``dcat:mediaType "ZIP"``: a repair, not a loss."""
    assert mapping.media_type_of_format(value) == expected
