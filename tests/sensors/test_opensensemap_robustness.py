# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_opensensemap with broken input: a clear report, nothing lost."""
import copy
import json
import urllib.parse

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.common.ids import resource_id
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import (CONFIG, NOISE_BOX, api_boxes, create_source, datasets, readings_for, run_job,
                                   sensor_id, table, update_config)

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

PM10 = sensor_id("58fcc8c15ba9e50011c238ee", 0)  # "Feinstaubsensor Hechtviertel", PM10


def pm10_days(source_id):
    pkg = next(p for p in datasets(source_id).values() if any(t["name"] == "pm10" for t in p["tags"]))
    return pkg, table(resource_id(pkg["id"], "daily-sensor"), sensor_id=PM10)


def errors(report):
    return [m for m in report["messages"] if m.startswith("[error]")]


def test_api_down_changes_nothing_and_the_next_run_catches_up(replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    replay.faults["/boxes"] = lambda path: (503, '{"message": "down"}', {}) if path.startswith("/boxes?") else None
    report = run_job(source)
    assert any("503" in m and "unchanged" in m for m in errors(report)), report["messages"]
    assert datasets(source["id"]) == {}
    replay.faults.clear()
    report = run_job(source)
    assert not errors(report), report["messages"]
    assert pm10_days(source["id"])[1][0]["count"] == 150


def test_incremental_runs_fetch_only_what_is_new(replay, sensor_org):
    half = "2024-10-27T10:00:00Z"
    source = create_source(replay.url, sensor_org, dict(CONFIG, end=half))
    run_job(source)
    _pkg, days = pm10_days(source["id"])
    assert days[0]["count"] == 73  # 12 hours so far and the reading at 10:00 (to-date is inclusive)
    replay.requests.clear()
    update_config(source, CONFIG)
    run_job(source)
    froms = {dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r).query)).get("from-date")
             for r in replay.requests if "/data/" in r}
    assert min(froms) == "2024-10-27T10:00:00.000Z"  # from where the first run stopped
    _pkg, days = pm10_days(source["id"])
    assert (days[0]["count"], days[0]["completeness"]) == (150, 1.0)  # same as one run over the day


def test_malformed_and_partial_pages_lose_nothing(replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    replay.faults[f"/boxes/58fcc8c15ba9e50011c238ee/data/{PM10}"] = (200, '[{"value": "12.1", "createdAt": "20', {})
    report = run_job(source)
    assert any(PM10 in m and "not valid JSON" in m for m in errors(report)), report["messages"]
    pkg, days = pm10_days(source["id"])
    assert days == []  # that sensor only; the others are published
    assert table(resource_id(pkg["id"], "daily-sensor"))
    replay.faults.clear()
    run_job(source)
    assert pm10_days(source["id"])[1][0]["count"] == 150


def test_repeated_pages_duplicates_and_bad_timestamps(replay, sensor_org):
    boxes = api_boxes()
    readings = readings_for(boxes)
    items = readings[PM10]
    # duplicates (same and other value), a time in the future, an unreadable value
    items += [dict(items[3]), dict(items[4], value="99.0"), {"value": "5", "createdAt": "2099-01-01T00:00:00.000Z"},
              {"value": "n/a", "createdAt": items[5]["createdAt"]}, {"value": "1"}]
    replay.set_readings(readings)
    # the first window's page again for every later window of another sensor (a repeated page)
    other = sensor_id("58fcc8c15ba9e50011c238ee", 1)
    first_page = json.dumps(list(reversed(readings[other][:72])))
    replay.faults[f"/boxes/58fcc8c15ba9e50011c238ee/data/{other}"] = (200, first_page, {})
    # timestamps far in the past and in the future inside another sensor's page
    third = sensor_id("58fcc8c15ba9e50011c238ee", 2)
    page = readings[third][:3] + [{"value": "1", "createdAt": "1990-01-01T00:00:00.000Z"},
                                  {"value": "1", "createdAt": "2099-01-01T00:00:00.000Z"}]
    replay.faults[f"/boxes/58fcc8c15ba9e50011c238ee/data/{third}"] = (200, json.dumps(page), {})
    source = create_source(replay.url, sensor_org, dict(CONFIG, end="2099-01-02T00:00:00Z"))
    update_config(source, CONFIG)  # the replayed window; the bad times are still in the pages
    report = run_job(source)
    text = "\n".join(report["messages"])
    assert "already stored (duplicates or a repeated page), kept once" in text
    assert "readings outside the requested time window skipped" in text
    assert "unreadable readings (value or time) skipped" in text
    assert "readings with the time of an earlier one but another value skipped" in text
    _pkg, days = pm10_days(source["id"])
    assert (days[0]["count"], days[0]["mean"]) == (150, 12.0)  # the first of each duplicate was kept


def test_future_readings_are_reported(replay, sensor_org):
    boxes = api_boxes()
    replay.set_readings(readings_for(boxes))
    # the last hour up to now: one window per sensor
    source = create_source(replay.url, sensor_org, {"initial_days": 0.04, "requests_per_minute": 6000})
    future = [{"value": "3", "createdAt": "2099-01-01T00:00:00.000Z"}]
    replay.faults[f"/boxes/58fcc8c15ba9e50011c238ee/data/{PM10}"] = (200, json.dumps(future), {})
    report = run_job(source)
    assert any("readings with a time in the future skipped" in m for m in report["messages"]), report["messages"]


def test_a_box_that_moves_is_reported(replay, sensor_org):
    source = create_source(replay.url, sensor_org, dict(CONFIG, end="2024-10-27T10:00:00Z"))
    run_job(source)
    box = next(b for b in replay.boxes if b["_id"] == "58fcc8c15ba9e50011c238ee")
    box["currentLocation"] = dict(box["currentLocation"], coordinates=[13.7373, 51.0504])  # Altstadt
    update_config(source, CONFIG)
    report = run_job(source)
    moved = [m for m in report["messages"] if "moved" in m]
    assert len(moved) == 1 and "58fcc8c15ba9e50011c238ee" in moved[0], report["messages"]
    _pkg, days = pm10_days(source["id"])
    assert days[0]["count"] == 150  # nothing lost over the move


def test_the_row_cap_splits_windows_and_429_is_honoured(replay, sensor_org):
    replay.max_rows = 50
    calls = {"n": 0}

    def once_429(path):
        calls["n"] += 1
        return (429, '{"message": "slow down"}', {"Retry-After": "0"}) if calls["n"] == 1 else None

    replay.faults[f"/boxes/58fcc8c15ba9e50011c238ee/data/{PM10}"] = once_429
    source = create_source(replay.url, sensor_org, dict(CONFIG, rows_per_request=50))
    report = run_job(source)
    assert not errors(report), report["messages"]
    assert any("windows split (row cap)" in m for m in report["messages"])
    assert calls["n"] > 1
    _pkg, days = pm10_days(source["id"])
    assert days[0]["count"] == 150


def test_raw_readings_are_kept_only_as_long_as_needed(replay, sensor_org):
    boxes = api_boxes()
    replay.set_readings(readings_for(boxes, end="2024-10-28T23:00:00Z"))
    source = create_source(replay.url, sensor_org)
    run_job(source)
    count = sa.text("SELECT count(*) FROM sca_sensor_reading WHERE source_id = :s AND ts < :t")
    day_start = "2024-10-26T22:00:00+00:00"
    assert model.Session.execute(count, {"s": source["id"], "t": "2024-10-27T23:00:00+00:00"}).scalar() > 0
    update_config(source, dict(CONFIG, end="2024-10-28T23:00:00Z"))
    run_job(source)
    # the 27th is aggregated and closed: its raw readings are gone, the aggregates stay
    assert model.Session.execute(count, {"s": source["id"], "t": "2024-10-27T23:00:00+00:00"}).scalar() == 0
    assert model.Session.execute(count, {"s": source["id"], "t": "2099-01-01T00:00:00+00:00"}).scalar() > 0
    _pkg, days = pm10_days(source["id"])
    assert [(d["day"][:10], d["count"]) for d in days] == [("2024-10-27", 150), ("2024-10-28", 144)]
    assert day_start


def test_source_configuration_is_checked(sensor_org):
    user = factories.Sysadmin()
    for bad, why in (({"rows_per_request": 20000}, "rows_per_request"), ({"license": "no-such-licence"}, "license"),
                     ({"phenomena": [{"phenomenon": "noise", "titles": ["Schall"]}]}, "units"),
                     ({"start": "2024-01-01"}, "start"), ({"windw_hours": 3}, "unknown")):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            helpers.call_action("harvest_source_create", context={"user": user["name"]}, name="osm-bad",
                                title="x", url="http://127.0.0.1:1", source_type="sca_opensensemap",
                                owner_org=sensor_org["id"], config=json.dumps(bad), frequency="MANUAL")
        assert why in str(raised.value.error_dict["config"]), raised.value.error_dict


def test_a_source_rule_maps_the_schall_pegel_sensor(replay, sensor_org):
    # a real API box (the "Schall"/"Pegel" sensor of the Cologne sample) placed in Dresden
    cologne = copy.deepcopy(next(b for b in api_boxes() if b["_id"] == "539c00c2a83415541578eaf5"))
    cologne.update(exposure="outdoor", currentLocation={"type": "Point", "coordinates": [13.7373, 51.0504]})
    replay.boxes.append(cologne)
    readings = readings_for(replay.boxes)
    replay.set_readings(readings)
    report = run_job(create_source(replay.url, sensor_org, name="ohne-regel"))
    assert any("'Schall' (Pegel, LM386)" in m for m in report["messages"] if m.startswith("[unmapped]")), \
        report["messages"]
    # the title names a phenomenon, the unit is unknown: the report says so (never guessed)
    assert any("'Schall' (Pegel, LM386) [noise: unit not known]" in m for m in report["messages"]), \
        report["messages"]
    rule = {"phenomenon": "noise", "titles": ["Schall"], "units": {"Pegel": 1}, "sensor_types": ["LM386"]}
    source = create_source(replay.url, sensor_org, dict(CONFIG, phenomena=[rule]), name="mit-regel")
    run_job(source)
    noise = next(p for p in datasets(source["id"]).values() if any(t["name"] == "noise" for t in p["tags"]))
    rows = table(resource_id(noise["id"], "daily-sensor"), sensor_id="539c00c2a83415541578eaf7")
    assert rows and rows[0]["box_id"] == "539c00c2a83415541578eaf5" and rows[0]["count"] == 150


def test_geojson_route_follows_the_datasets_visibility(app, replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    run_job(source)
    pkg = next(p for p in datasets(source["id"]).values() if any(t["name"] == "noise" for t in p["tags"]))
    geo = next(r for r in pkg["resources"] if r["format"] == "GeoJSON")
    path = geo["url"][geo["url"].index("/sensoren/"):]
    assert path == f"/sensoren/{resource_id(pkg['id'], 'daily-sensor')}.geojson"
    body = app.get(path, status=200).get_json()
    assert body["day"] == "2024-10-27" and body["features"]
    feature = next(f for f in body["features"] if f["properties"]["sensor_id"] == sensor_id(NOISE_BOX, 2))
    assert feature["properties"]["box_id"] == NOISE_BOX and "name" not in feature["properties"]
    assert app.get(path + "?day=2024-10-26", status=200).get_json()["features"] == []
    app.get(path + "?day=gestern", status=400)
    helpers.call_action("package_patch", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=pkg["id"], private=True)
    app.get(path, status=404)
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("sca_sensor_geojson", {"user": "", "ignore_auth": False},
                            resource_id=resource_id(pkg["id"], "daily-sensor"))
