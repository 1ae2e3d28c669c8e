# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cell values, the mapping file, partner matching and geocoding without a harvest."""
import datetime

import pytest

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.harvesters.radar import actors, geocode, reader, sheet


@pytest.mark.parametrize("value,expected", [
    ("31.01.2025", datetime.date(2025, 1, 31)), ("1.2.25", datetime.date(2025, 2, 1)),
    ("2025-01-31", datetime.date(2025, 1, 31)), ("2025-01-31T10:00:00", datetime.date(2025, 1, 31)),
    ("45658", datetime.date(2025, 1, 1)), (45658, datetime.date(2025, 1, 1)), (45658.5, datetime.date(2025, 1, 1)),
    ("01/2025", datetime.date(2025, 1, 1)), ("Q3 2024", datetime.date(2024, 7, 1)),
    (datetime.datetime(2024, 5, 6, 7, 8), datetime.date(2024, 5, 6)),
    ("31.02.2025", None), ("bald", None), ("", None), (None, None), (True, None),
])
def test_dates(value, expected):
    assert sheet.parse_date(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("1.234.567,50 €", 1234567.5), ("12500", 12500.0), ("12 500 EUR", 12500.0), ("1.000", 1000.0),
    ("3,5", 3.5), ("1234.56", 1234.56), (250000, 250000.0), ("-", None), ("ca. 5 Mio.", None), ("", None),
])
def test_numbers(value, expected):
    assert sheet.parse_number(value) == expected


def test_mapping_keys_ignore_case_umlauts_and_dashes():
    mapping = sheet.RadarMapping.for_source({"statuses": {"in Betrieb": "running"}})
    assert mapping.field_of("  MASSNAHME ") == "measure"
    assert mapping.field_of("Radar–ID") == "radar_id"
    assert mapping.category("statuses", "IN BETRIEB") == "running"
    assert mapping.category("statuses", "Laufend") == "running"  # the schema's own label
    assert mapping.category("entry_types", "measure") == "measure"  # the code
    assert mapping.category("themes", "Quantencomputing") is None
    assert mapping.split("a; b|c\nd;;") == ["a", "b", "c", "d"]


def test_the_mapping_file_is_checked():
    sheet.check_mapping(sheet.default_mapping(), "default")
    with pytest.raises(ValueError, match="unknown radar mapping sections: farben"):
        sheet.check_mapping({"farben": {}}, "x")


def test_actor_matching_order_and_thresholds():
    index = actors.ActorIndex(
        [actors.Actor("1", "tu-dresden", "Technische Universität Dresden"),
         actors.Actor("2", "tu-wissensarchitektur", "WISSENSARCHITEKTUR (TU Dresden)"),
         actors.Actor("3", "htw-dresden", "Hochschule für Technik und Wirtschaft Dresden (HTW Dresden)"),
         actors.Actor("4", "sandstorm", "Sandstorm Media GmbH")],
        aliases={"tu-dresden": ["TU Dresden"], "gibt-es-nicht": ["Phantom"]}, resolved={"tud intern": "4"})
    assert index.match("TU Dresden").actor_id == "1"  # the city's alias wins over another title's parenthesis
    assert index.match("HTW Dresden").how == "exact" and index.match("HTW Dresden").actor_id == "3"
    assert index.match("Sandstorm Media").actor_id == "4"  # legal form does not matter
    assert index.match("TUD intern").how == "resolved"
    assert index.match("Technische Universitaet Dresden").actor_id == "1"
    fuzzy = index.match("Hochschule fuer Technik u. Wirtschaft Dresden")
    assert fuzzy.how == "fuzzy" and fuzzy.actor_id == "3"
    uncertain = index.match("Sandstorm Medien Agentur")
    assert uncertain.how == "uncertain" and uncertain.candidate == "sandstorm" and uncertain.actor_id is None
    assert index.match("Phantom").how == "unknown"
    assert index.match("Verein für Nachbarschaft").how == "unknown"


@pytest.mark.usefixtures("with_plugins")
def test_geocoding_order():
    city = city_config.current()
    coder = geocode.Geocoder(city, {"Rathaus Dresden": [13.7431, 51.0467]}, boundary_point=lambda: {"type": "x"})
    inside = coder.locate({"lat": "51,0504", "lon": "13,7373"}, 2)
    assert inside.spatial == {"type": "Point", "coordinates": [13.7373, 51.0504]} and inside.source == "coordinates"
    swapped = coder.locate({"coordinates": "13.7373, 51.0504"}, 3)
    assert swapped.source == "coordinates" and swapped.notes[0][0] == "repair"
    outside = coder.locate({"lat": "52.52", "lon": "13.405", "address": "Rathaus Dresden, Dr.-Külz-Ring"}, 4)
    assert outside.source == "address" and outside.spatial["coordinates"] == [13.7431, 51.0467]
    assert "lie outside" in outside.notes[0][1]
    district = coder.locate({"address": "Gemeindezentrum in Gorbitz-Süd"}, 5)
    assert district.source == "district_centroid"
    by_column = coder.locate({"district": "Prohlis"}, 6)  # a Stadtbezirk
    assert by_column.source == "district_centroid" and city.contains(
        __import__("shapely.geometry").geometry.shape(by_column.spatial))
    assert coder.locate({"district": "stadtweit"}, 7).source == "city_boundary"
    nowhere = coder.locate({"district": "Atlantis"}, 8)
    assert nowhere.spatial is None and [k for k, _m in nowhere.notes] == ["unmapped", "warning"]


def test_header_detection_skips_title_rows():
    mapping = sheet.RadarMapping.for_source(None)
    grid = [(1, ["Smart-City-Radar, Stand 2025", None]), (2, [None, None]),
            (3, ["Radar-ID", "Titel", "Farbe"]), (4, ["A-1", "Eins", "blau"])]
    table = reader._table(grid, [], mapping.header_score)
    assert table.columns == ["Radar-ID", "Titel", "Farbe"] and table.rows == [(4, ["A-1", "Eins", "blau"])]


def test_a_partner_name_is_compared_once_per_run_and_only_with_close_actors(monkeypatch):
    """A radar file names the same partners in many rows: each name is
    compared with the actors once, and only with those whose characters
    can reach the uncertain threshold (not every actor of the atlas)."""
    import difflib

    similar = [actors.Actor(f"s{i}", f"s{i}", f"Verein für Stadtteilarbeit {i}") for i in range(20)]
    other = [actors.Actor(f"o{i}", f"o{i}", f"Xylophon-Quartett Zwickau Nr {i}") for i in range(20)]
    index = actors.ActorIndex(similar + other)
    compared = []
    matcher = difflib.SequenceMatcher

    def counting(isjunk=None, a="", b=""):
        compared.append(b)
        return matcher(isjunk, a, b)

    monkeypatch.setattr(actors.difflib, "SequenceMatcher", counting)
    first = index.match("Verein für Stadtteilarbeit Nr. 7")
    assert first.how == "fuzzy" and first.actor_id == "s7"
    once = len(compared)
    assert [index.match("Verein für Stadtteilarbeit Nr. 7") for _ in range(5)] == [first] * 5
    assert len(compared) == once  # the other rows naming it cost nothing
    assert not [b for b in compared if "xylophon" in b]  # never compared with dissimilar actors
