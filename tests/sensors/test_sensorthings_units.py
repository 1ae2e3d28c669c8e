# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_sensorthings' pure parts: phenomenon and unit matching, paging guards,
public installations, quality flags (no services needed)."""
import json
import types

from ckanext.smartcityatlas.harvesters import sensorthings as st
from ckanext.smartcityatlas.harvesters.sensor_base import Tally
from ckanext.smartcityatlas.sensors import phenomena as phen

RULES = phen.rules()


def test_observed_property_and_unit_map_to_a_phenomenon():
    eionet = "https://dd.eionet.europa.eu/vocabulary/aq/pollutant/8/"  # https, trailing slash: the same URI
    assert phen.match_datastream({"name": "", "definition": eionet}, {"symbol": "µg/m³"}, RULES) == ("no2", 1.0)
    assert phen.match_datastream({"name": "PM10"}, {"symbol": "mg/m³"}, RULES) == ("pm10", 1000.0)
    assert phen.match_datastream({"name": "Air temperature"}, {"symbol": "Cel"}, RULES) == ("temperature", 1.0)
    # no symbol: the unit's definition URI
    assert phen.match_datastream({"name": "Luftdruck"}, {"definition": "http://qudt.org/vocab/unit/PA"},
                                 RULES) == ("pressure", 0.01)
    # a known phenomenon in an unknown unit, and no phenomenon at all
    assert phen.match_datastream({"name": "NO2"}, {"symbol": "ppb"}, RULES) == ("no2", None)
    assert phen.match_datastream({"name": "", "definition": ""}, {"symbol": "%"}, RULES) == (None, None)


class FakeFetcher:
    """Answers URLs from a dict, like the base's fetcher (body bytes)."""

    def __init__(self, pages):
        self.pages, self.asked = pages, []

    def __call__(self, url, accept="*/*"):
        self.asked.append(url)
        return types.SimpleNamespace(body=json.dumps(self.pages[url]).encode("utf-8"))


class NoWait:
    def wait(self):
        pass


def test_paging_follows_relative_links_and_stops_at_the_page_cap():
    base = "http://st.example/v1.1/Datastreams"
    pages = {base: {"value": [1], "@iot.nextLink": "Datastreams?$skip=1"},
             base + "?$skip=1": {"value": [2], "@iot.nextLink": base + "?$skip=2"},
             base + "?$skip=2": {"value": [3]}}
    fetcher = FakeFetcher(pages)
    counts = Tally()
    paging = st.Paging(fetcher, NoWait(), st._origin(base), 2, "list", counts)
    assert [v for page in paging(base) for v in page] == [1, 2]
    assert "max_pages (2) reached" in paging.stopped and counts.requests == 2
    paging = st.Paging(fetcher, NoWait(), st._origin(base), 5, "list")
    assert [v for page in paging(base) for v in page] == [1, 2, 3] and paging.stopped is None


def test_paging_refuses_another_port_or_scheme():
    base = "http://st.example/v1.1/Datastreams"
    for elsewhere in ("http://st.example:8080/v1.1/Datastreams?$skip=1", "https://st.example/v1.1/x",
                      "http://st.example.evil.org/v1.1/x"):
        fetcher = FakeFetcher({base: {"value": [1], "@iot.nextLink": elsewhere}})
        paging = st.Paging(fetcher, NoWait(), st._origin(base), 5, "list")
        assert [v for page in paging(base) for v in page] == [1]
        assert paging.stopped.startswith("[error] list: @iot.nextLink points to another server")
        assert fetcher.asked == [base]
    # the default port written out is the same server
    assert st._origin("http://st.example:80/a") == st._origin("http://st.example/b")


def test_public_installations_quality_flags_and_results():
    rules = (("publicInstallation", ("true",)), ("operatorType", ("official",)))
    assert st._is_public({"publicInstallation": True}, rules)
    assert st._is_public({"operatorType": "Official"}, rules)
    assert not st._is_public({"publicInstallation": False}, rules)
    assert not st._is_public({"publicInstallation": True}, ())  # nothing configured: nothing is public
    assert not st._is_public("public", rules)
    bad = st.BAD_QUALITY
    assert st._quality_bad({"quality": "Bad", "status": "4"}, bad) and st._quality_bad("suspect", bad)
    assert not st._quality_bad({"reason": "Data Verified (manual check)", "status": "9", "quality": "Good"}, bad)
    assert [st._result(v) for v in (1, 2.5, "3.5", None, True, "n/a", {"v": 1}, float("nan"))] == \
        [1.0, 2.5, 3.5, None, None, None, None, None]
    assert st._entity("Datastreams", 7) == "Datastreams(7)"
    assert st._entity("Datastreams", "a'b c") == "Datastreams('a''b%20c')"
