# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas' sensor layer (sca_sensor_layer, /atlas/sensoren.geojson,
/atlas/sensoren) on datasets harvested through the openSenseMap pipeline
from the local replay: the latest hourly mean per sensor, the series of
the last hours, only readable datasets, bounds and invalid input."""
import datetime
import gzip
import json
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.sensors import scales
from ckanext.smartcityatlas.demo.opensensemap_replay import Replay
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import (CONFIG, START, api_boxes, create_source, harvest_replay, iso, readings_for,
                                   run_job, sensor_id)

T0 = datetime.datetime.fromisoformat(START.replace("Z", "+00:00"))
HOURS = 25  # the local day 2024-10-27 (clocks go back)
# the box whose PM10 sensor falls silent after the 11th hour
EARLY_BOX = "58fcc8c15ba9e50011c238ee"
EARLY_PM10 = sensor_id(EARLY_BOX, 0)  # its model lists PM10 first


def hourly_readings(boxes):
    """Every 10 minutes; in hour h (from START) the value is base + h ± 1,
    so the hour's mean is base + h. The early box's PM10 stops after hour 10."""
    out = {}
    for n, box in enumerate(boxes):
        lon, lat = box["currentLocation"]["coordinates"][:2]
        for sensor in box["sensors"]:
            base = {"PM10": 10.0 + n, "Luftdruck": 101300.0}.get(sensor["title"], 5.0)
            step = 100.0 if sensor["title"] == "Luftdruck" else 1.0
            last_hour = 10 if box["_id"] == EARLY_BOX and sensor["title"] == "PM10" else HOURS - 1
            items = []
            for minute in range(0, (last_hour + 1) * 60, 10):
                hour = minute // 60
                value = base + hour * step + (step if (minute // 10) % 2 else -step) * 0.5
                items.append({"value": f"{value:.2f}", "location": [lon, lat],
                              "createdAt": iso(T0 + datetime.timedelta(minutes=minute))})
            out[sensor["_id"]] = items
    return out


@pytest.fixture
def harvested(sensor_org):
    boxes = api_boxes()
    return {"source": harvest_replay(boxes, hourly_readings(boxes), sensor_org), "boxes": boxes, "org": sensor_org}


def layer(user=None, **params):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("sca_sensor_layer", context, **params)


def pm10_box_index(boxes, box_id):
    return next(i for i, b in enumerate(boxes) if b["_id"] == box_id)


pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def test_latest_hourly_value_per_sensor_with_its_last_hours(harvested):
    boxes = harvested["boxes"]
    collection = layer(phenomenon="pm10")
    features = {f["properties"]["sensor_id"]: f for f in collection["features"]}
    assert features and {f["properties"]["phenomenon"] for f in features.values()} == {"pm10"}
    # the early sensor's latest hour is hour 10, the others' hour 24
    early = features[EARLY_PM10]["properties"]
    n_early = pm10_box_index(boxes, EARLY_BOX)
    assert early["mean"] == 10.0 + n_early + 10
    assert early["window_start"] == "2024-10-27T09:00:00+01:00" and early["window_end"] == "2024-10-27T10:00:00+01:00"
    others = [f["properties"] for sid, f in features.items() if sid != EARLY_PM10]
    assert others
    for props in others:
        n = pm10_box_index(boxes, props["box_id"])
        assert props["mean"] == 10.0 + n + 24, props
        assert (props["count"], props["completeness"]) == (6, 1.0)
        assert props["window_start"] == "2024-10-27T23:00:00+01:00"
        assert props["window_end"] == "2024-10-28T00:00:00+01:00"
        # the last 24 hours, oldest first: hours 1 … 24
        assert props["series"] == [10.0 + n + h for h in range(1, 25)]
        assert props["series_start"] == "2024-10-27T01:00:00+02:00"  # hour 1: before the clocks go back
        assert props["class"] == scales.classify("pm10", props["mean"])
        assert props["unit"] == "µg/m³" and props["label"] == "Feinstaub PM10"
        assert props["source_type"] == "sca_opensensemap"
        assert props["dataset_url"].endswith("/dataset/" + props["dataset_name"])
    # the series has gaps where the early sensor had no values
    assert early["series"][:10] == [10.0 + n_early + h for h in range(1, 11)] and early["series"][10:] == [None] * 14
    # coarsened positions, never the exact ones
    exact = {tuple(b["currentLocation"]["coordinates"][:2]) for b in boxes}
    assert not {tuple(f["geometry"]["coordinates"]) for f in features.values()} & exact
    # every phenomenon is listed for the selector; only PM10 was read
    listed = {p["id"]: p for p in collection["phenomena"]}
    assert set(listed) == {"pm10", "pm25", "temperature", "humidity", "pressure", "noise"}
    assert {k for k, p in listed.items() if p["sensors"] is not None} == {"pm10"}
    pm10 = listed["pm10"]
    assert pm10["sensors"] == len(features)
    assert pm10["newest_window_start"] == "2024-10-27T23:00:00+01:00"
    assert [c["below"] for c in pm10["legend"]] == [20, 35, 50, 100, None]

    # every phenomenon without a filter; one sensor's shorter series
    everything = layer()
    assert {p["id"] for p in everything["phenomena"] if p["sensors"]} == set(listed)
    pressure = next(f for f in everything["features"] if f["properties"]["phenomenon"] == "pressure")
    assert pressure["properties"]["mean"] == 1013.0 + 24  # Pa → hPa
    one = layer(sensor_id=EARLY_PM10, hours=3)
    assert [f["properties"]["sensor_id"] for f in one["features"]] == [EARLY_PM10]
    assert one["features"][0]["properties"]["series"] == [None, None, None]
    assert "series" not in layer(phenomenon="pm10", hours=0)["features"][0]["properties"]


def test_all_phenomena_in_one_datastore_query(harvested):
    """The layer reads every sensor table in one statement: no query per
    phenomenon, table or sensor (the statements that name a table are counted
    on the DataStore's own engine)."""
    import sqlalchemy as sa
    from ckanext.datastore.backend.postgres import get_read_engine, get_write_engine

    tables = {r["id"] for p in helpers.call_action("package_search", {"ignore_auth": True},
                                                   fq="+sca_sensor_source:*", rows=100)["results"]
              for r in p["resources"] if r.get("datastore_active")}
    assert len(tables) > 6  # several phenomena, several tables each
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if any(table in statement for table in tables):
            statements.append(statement)

    engines = {get_read_engine(), get_write_engine()}
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", count)
    try:
        collection = layer()
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", count)
    assert len({f["properties"]["phenomenon"] for f in collection["features"]}) >= 5
    assert len(statements) == 1, statements


def test_bounded_feature_count(harvested, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.smartcityatlas.sensors.layer_max_features", 3)
    collection = layer()
    assert len(collection["features"]) == 3 and collection["truncated"] is True


def test_private_sensor_dataset_never_leaks(harvested, app):
    sysadmin = factories.Sysadmin()
    pm10 = next(p for p in helpers.call_action("package_search", {"ignore_auth": True}, fq="+tags:pm10",
                                               include_private=True)["results"])
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id=pm10["id"], private=True)
    member = factories.User()
    helpers.call_action("organization_member_create", {"user": sysadmin["name"]}, id=harvested["org"]["id"],
                        username=member["name"], role="member")
    outsider = factories.User()

    for user in (None, outsider):
        seen = layer(user)
        assert "pm10" not in {p["id"] for p in seen["phenomena"]}
        assert "pm10" not in {f["properties"]["phenomenon"] for f in seen["features"]}
        assert seen["features"]  # the public phenomena are there
    assert "pm10" in {f["properties"]["phenomenon"] for f in layer(member)["features"]}

    # over HTTP, with the cache: the anonymous answer first, then the member's
    anonymous = app.get("/atlas/sensoren.geojson", headers={"Accept-Encoding": "identity"})
    assert anonymous.status_code == 200 and '"pm10"' not in anonymous.get_data(as_text=True)
    again = app.get("/atlas/sensoren.geojson", headers={"Accept-Encoding": "gzip"})
    assert again.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.get_data()) == anonymous.get_data()  # from the cache
    token = factories.APIToken(user=member["name"])["token"]
    theirs = app.get("/atlas/sensoren.geojson", headers={"Authorization": token})
    assert "pm10" in {f["properties"]["phenomenon"] for f in json.loads(theirs.get_data(as_text=True))["features"]}
    page = app.get("/atlas/sensoren").get_data(as_text=True)
    assert 'id="sca-sensors-pm10"' not in page and 'id="sca-sensors-pm25"' in page
    assert "Feinstaub PM2,5 (µg/m³)" in page  # the heading of its table
    assert pm10["name"] not in page


def test_table_page_lists_the_sensors_without_javascript(harvested, app):
    pm10 = helpers.call_action("package_search", {"ignore_auth": True}, fq="+tags:pm10")["results"][0]
    helpers.call_action("package_patch", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=pm10["id"], title="<img src=x onerror=alert(1)> Feinstaub")
    response = app.get("/atlas/sensoren?phenomenon=pm10")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    collection = layer(phenomenon="pm10")
    assert html.count("<tr") == len(collection["features"]) + 1  # header row + one per sensor
    for feature in collection["features"]:
        assert f'<th scope="row">{feature["properties"]["sensor_id"]}</th>' in html
    assert "27.10.2024, 23:00–00:00" in html and "µg/m³" in html
    assert "Luftdruck" not in html.split("<table")[1]  # the filter applies
    assert "&lt;img src=x onerror=alert(1)&gt; Feinstaub" in html and "<img src=x" not in html


def test_invalid_input_is_a_clear_400(app):
    for query in ("hours=49", "hours=-1", "hours=zwei", "phenomenon=ozone%3Cscript%3E", "sensor_id=" + "x" * 300):
        response = app.get("/atlas/sensoren.geojson?" + query)
        assert response.status_code == 400, query
        assert "error" in json.loads(response.get_data(as_text=True))
    with pytest.raises(tk.ValidationError):
        layer(hours=100)
    page = app.get("/atlas/sensoren?phenomenon=%3Cscript%3Ealert(1)%3C/script%3E")
    assert page.status_code == 400 and "<script>alert(1)" not in page.get_data(as_text=True)


def test_scales_classify_at_the_documented_thresholds():
    assert scales.classify("pm10", 49.9) == 2 and scales.classify("pm10", 50) == 3  # EU daily limit 50 µg/m³
    assert scales.classify("pm25", 24.9) == 2 and scales.classify("pm25", 25) == 3
    assert scales.classify("no2", 200) == 4 and scales.classify("temperature", -3) == 0
    assert scales.classify("pm10", None) is None and scales.classify("unknown", 5) is None
    legend = scales.legend("pm10", "en")
    assert legend[0]["from"] is None and legend[-1]["below"] is None and legend[3]["label"].startswith("poor")


@pytest.fixture
def recent(sensor_org):
    """Readings of the last six hours; the early box fell silent five hours ago."""
    end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(hours=6)
    boxes = api_boxes()
    readings = readings_for(boxes, start=iso(start), end=iso(end))
    silent_from = iso(start + datetime.timedelta(hours=1))
    for sensor in next(b for b in boxes if b["_id"] == EARLY_BOX)["sensors"]:
        readings[sensor["_id"]] = [r for r in readings[sensor["_id"]] if r["createdAt"] < silent_from]
    server = Replay(boxes, readings).start()
    try:
        source = create_source(server.url, sensor_org, config={**CONFIG, "start": iso(start), "end": iso(end)})
        report = run_job(source)
    finally:
        server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    return {"boxes": boxes}


def test_every_value_has_its_age_and_old_values_are_out_of_date(recent):
    """Issue 29, item 6: values of 27.10.2024 were shown as "latest hour" beside today's."""
    collection = layer(phenomenon="pm10")
    props = {f["properties"]["sensor_id"]: f["properties"] for f in collection["features"]}
    early = props.pop(EARLY_PM10)
    assert early["state"] == "stale" and 5 * 3600 <= early["age_seconds"] <= 6 * 3600
    assert props and all(p["state"] == "live" and p["age_seconds"] < 3600 for p in props.values())
    assert collection["stale_after_seconds"] == 3 * 3600 and collection["inactive_after_seconds"] == 168 * 3600
    pm10 = next(p for p in collection["phenomena"] if p["id"] == "pm10")
    assert pm10["live"] == len(props) and pm10["sensors"] == len(props) + 1


@pytest.mark.ckan_config("ckanext.smartcityatlas.sensors.inactive_after_hours", "4")
def test_a_sensor_silent_for_longer_is_inactive(recent):
    props = {f["properties"]["sensor_id"]: f["properties"] for f in layer(phenomenon="pm10")["features"]}
    assert props[EARLY_PM10]["state"] == "inactive"


def test_the_table_marks_out_of_date_values_in_the_page_language(recent, app):
    for path, stale, age in (("/atlas/sensoren", "veraltet", r"vor [56] Stunden"),
                             ("/en/atlas/sensoren", "out of date", r"[56] hours ago")):
        html = app.get(path, query_string={"phenomenon": "pm10"}).get_data(as_text=True)
        row = html[html.index(f'<th scope="row">{EARLY_PM10}</th>'):]
        row = row[:row.index("</tr>")]
        assert stale in row and re.search(age, row), row
        assert "style=" not in row  # no class colour for an old value
        live_row = html[html.index('class="sca-sensor-row-live"'):]
        assert "style=\"background" in live_row[:live_row.index("</tr>")]
