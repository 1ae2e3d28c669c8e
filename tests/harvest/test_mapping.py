# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mapping tables: canonical values pass, repairs are recorded, unknown values reported."""
import pytest

from ckanext.smartcityatlas.harvesters import config, mapping
from ckanext.smartcityatlas.harvesters.dcat_rdf import repair_date

EU = "http://publications.europa.eu/resource/authority/"


@pytest.mark.parametrize("kind,value,expected,repaired", [
    ("licenses", "dl-by-de/2.0", "dl-by-de/2.0", False),
    ("licenses", "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "dl-by-de/2.0", False),
    ("licenses", "https://www.dcat-ap.de/def/licenses/cc-by/4.0", "cc-by/4.0", False),
    ("licenses", "CC BY 4.0", "cc-by/4.0", True),
    ("licenses", "dl-de/by-2-0", "dl-by-de/2.0", True),
    ("licenses", "Datenlizenz Deutschland – Namensnennung – Version 2.0", "dl-by-de/2.0", True),
    ("licenses", "Datenlizenz  Deutschland - Namensnennung - Version 2.0", "dl-by-de/2.0", True),
    ("licenses", "https://www.govdata.de/dl-de/by-2-0", "dl-by-de/2.0", True),
    ("licenses", "DL-BY-DE/2.0", "dl-by-de/2.0", True),
    ("formats", EU + "file-type/CSV", "CSV", False),
    ("formats", EU + "file-type/WMS", "WMS_SRVC", True),
    ("formats", "text/csv", "CSV", True),
    ("formats", "GeoJSON", "GEOJSON", True),
    ("frequencies", EU + "frequency/IRREGULAR", "IRREG", True),
    ("frequencies", EU + "frequency/UPDATE_CONT", "CONT", True),
    ("frequencies", EU + "frequency/DAILY", "DAILY", False),
    ("languages", EU + "language/GER", "DEU", True),
    ("languages", EU + "language/DEU", "DEU", False),
    ("languages", "de", "DEU", True),
    ("languages", EU + "language/FIN", "FIN", False),
    ("themes", "Umwelt", "ENVI", True),
    ("themes", EU + "data-theme/TRAN", "TRAN", False),
])
def test_lookup(kind, value, expected, repaired):
    assert mapping.Mapper().lookup(kind, value) == (expected, repaired)


def test_repairs_and_unknown_values_are_recorded():
    mapper = mapping.Mapper()
    assert mapper.map("licenses", "CC BY 4.0", "urn:x", "license") == "cc-by/4.0"
    assert mapper.map("licenses", "Alle Rechte vorbehalten", "urn:x", "license") is None
    assert [str(r) for r in mapper.repairs] == ["license: 'CC BY 4.0' → 'cc-by/4.0'"]
    assert [(r.record, r.field, r.old) for r in mapper.unmapped] == [("urn:x", "license", "Alle Rechte vorbehalten")]


def test_overrides_take_precedence():
    source = config.parse('{"mappings": {"licenses": {"CC BY 4.0": "cc-by-sa/4.0", '
                          '"Alle Rechte vorbehalten": "other-closed"}}}')
    mapper = mapping.Mapper(mapping.check_tables(source.mappings, "source"))
    assert mapper.lookup("licenses", "cc by 4.0") == ("cc-by-sa/4.0", True)
    assert mapper.lookup("licenses", "Alle Rechte vorbehalten") == ("other-closed", True)


@pytest.mark.parametrize("text,expected", [
    ("2021-03-01", "2021-03-01"),
    ("01.03.2021", "2021-03-01"),
    ("1.3.2021 08:15", "2021-03-01T08:15:00"),
    ("2023-05-02 08:15:00", "2023-05-02T08:15:00"),
    ("2022-11-15T10:00:00+0100", "2022-11-15T10:00:00+01:00"),
    ("2022-11-15T10:00:00.123Z", "2022-11-15T10:00:00Z"),
    ("2021-3-1", "2021-03-01"),
    ("2024-13-45T25:00:00", None),
    ("2020-02-30", None),
    ("gestern", None),
])
def test_dates(text, expected):
    assert repair_date(text) == expected
