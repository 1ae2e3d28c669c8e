# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city's own indicators from a DataStore table: good rows become
indicators with a quarterly history, bad rows are reported and skipped, a
missing, private or malformed table is a reported problem, never a 500."""
import pytest

from ckan.tests import factories, helpers

from tests.helpers.monitor import city_table, monitor

OPTION = "ckanext.smartcityatlas.monitor.city_indicators"
pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.monitor.cache_seconds", "0")]


def row(indicator_id="breitband", period="2025-Q1", value="80", title_de="Haushalte mit Glasfaser", **extra):
    return {"indicator_id": indicator_id, "title_de": title_de, "title_en": extra.get("title_en", ""),
            "unit": "%", "period": period, "value": value, "source": "Breitbandatlas"}


ROWS = [
    row(),
    row(period="2025 Q2", value="82,5", title_en="Households with fibre"),
    row("radwege", "2025-06-30", "120", "Radwege in km"),
    row(period="2025-Q5"),                       # 4: no such quarter
    row(value="viel"),                           # 5: no number
    row(title_de=""),                            # 6: no title
    row(indicator_id="Bad Id"),                  # 7: not an id
    row(indicator_id="open_datasets"),           # 8: a built-in indicator's id
    row(value="NaN"),                            # 9: not a finite number
]


@pytest.fixture
def table():
    return city_table(factories.Organization(), "stadt", ROWS)


def test_good_rows_become_indicators_and_bad_rows_are_reported(table):
    with helpers.changed_config(OPTION, table):
        result = monitor(quarters=3, today="2025-05-01")
    city = {i["id"]: i for i in result["indicators"] if i["origin"] == "city"}
    assert set(city) == {"breitband", "radwege"}
    fibre = city["breitband"]
    assert fibre["value"] == 82.5 and fibre["period"] == "2025 Q2"
    assert fibre["title"] == {"de": "Haushalte mit Glasfaser", "en": "Haushalte mit Glasfaser"}
    assert [(h["period"], h["value"]) for h in fibre["history"]] == [
        ("2024 Q4", None), ("2025 Q1", 80.0), ("2025 Q2", 82.5)]
    assert city["radwege"]["value"] == 120.0 and city["radwege"]["unit"] == {"de": "%", "en": "%"}
    assert sorted((p["row"], p["field"]) for p in result["problems"]) == [
        (4, "period"), (5, "value"), (6, "title_de"), (7, "indicator_id"), (8, "indicator_id"), (9, "value")]
    assert "open_datasets" in {i["id"] for i in result["indicators"] if i["origin"] == "portal"}


def test_the_page_shows_city_indicators_and_says_rows_were_skipped(app, table):
    with helpers.changed_config(OPTION, table):
        page = app.get("/atlas/monitor", status=200).get_data(as_text=True)
    assert "Haushalte mit Glasfaser" in page and "Radwege in km" in page
    assert "übersprungen: 6" in page


def test_a_private_or_missing_table_is_a_reported_problem(app):
    private = city_table(factories.Organization(), "privat", ROWS[:1], private=True)
    for resource in (private, "no-such-table"):
        with helpers.changed_config(OPTION, resource):
            result = monitor()
            assert app.get("/atlas/monitor").status_code == 200
        assert not [i for i in result["indicators"] if i["origin"] == "city"]
        assert result["problems"] == [{"row": None, "field": OPTION, "message": "the table is missing or not public"}]


def test_missing_columns_are_named(app):
    fields = [{"id": "indicator_id", "type": "text"}, {"id": "wert", "type": "text"}]
    table = city_table(factories.Organization(), "spalten", [{"indicator_id": "x", "wert": "1"}], fields=fields)
    with helpers.changed_config(OPTION, table):
        result = monitor()
    assert {p["field"] for p in result["problems"]} == {"title_de", "title_en", "unit", "period", "value", "source"}


def test_the_problems_are_in_the_visitors_language(app, table):
    with helpers.changed_config(OPTION, table):
        german = app.get("/api/3/action/sca_monitor_show").json["result"]["problems"]
        english = app.get("/en/api/3/action/sca_monitor_show").json["result"]["problems"]
    by_row = {p["row"]: p["message"] for p in german}
    assert by_row[5] == "eine Zahl" and by_row[6] == "fehlt"
    assert by_row[4] == "ein Quartal (2026-Q3) oder ein Datum (JJJJ-MM-TT)"
    assert {p["row"]: p["message"] for p in english}[5] == "a number"


def test_the_monitor_demo_creates_the_city_indicator_table_and_the_monitor_shows_it(app, cli):
    from ckan.cli.cli import ckan as ckan_cli

    from ckanext.smartcityatlas.demo import city_indicators

    factories.Organization(name="smart-city-dresden")
    for _run in range(2):  # a second run upserts the same rows
        result = cli.invoke(ckan_cli, ["sca", "monitor-demo"])
        assert result.exit_code == 0, result.output
        assert f"24 rows of demo city indicators (DataStore alias {city_indicators.ALIAS})" in result.output
    table = helpers.call_action("datastore_search", {"user": "", "ignore_auth": False},
                                resource_id=city_indicators.ALIAS, limit=100)
    assert table["total"] == 24 and all("Demo" in r["source"] for r in table["records"])
    pkg = helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=city_indicators.NAME)
    assert pkg["title"].startswith("Demo") and not pkg["private"]
    # the portal names the alias (deploy/sca up with the demo: SCA_MONITOR_CITY_INDICATORS)
    with helpers.changed_config(OPTION, city_indicators.ALIAS):
        result = monitor()
        page = app.get("/atlas/monitor", status=200).get_data(as_text=True)
    city = {i["id"]: i for i in result["indicators"] if i["origin"] == "city"}
    assert set(city) == {"demo_wlan_hotspots", "demo_ladepunkte", "demo_online_dienste"}
    assert city["demo_wlan_hotspots"]["value"] == 212.0 and not result["problems"]
    assert [h["value"] for h in city["demo_wlan_hotspots"]["history"]] == sorted(
        h["value"] for h in city["demo_wlan_hotspots"]["history"])
    assert "Öffentliche WLAN-Hotspots (Demo)" in page
