# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_opensensemap end to end against the local replay server: aggregates
in DataStore tables, DCAT-AP.de metadata, privacy, idempotence."""
import json
import math

import pytest


from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.sensors import privacy
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import NOISE_BOX, api_boxes, create_source, datasets, run_job, sensor_id, table

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

PHENOMENA = {"pm10", "pm25", "temperature", "humidity", "pressure", "noise"}


def by_phenomenon(source_id):
    out = {}
    for pkg in datasets(source_id).values():
        phenomenon = next(t["name"] for t in pkg["tags"] if t["name"] in PHENOMENA)
        out[phenomenon] = pkg
    return out


def test_first_harvest_publishes_hand_checked_aggregates(replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    report = run_job(source)
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    found = by_phenomenon(source["id"])
    assert set(found) == PHENOMENA

    # the noise sensor: 50 and 60 dB in turn every 10 minutes; the hour's mean is energetic
    noise = found["noise"]
    hourly = table(resource_id(noise["id"], "hourly-sensor"), sensor_id=sensor_id(NOISE_BOX, 2))
    assert len(hourly) == 25  # the local day 2024-10-27 has 25 hours
    expected = 10 * math.log10((3 * 10 ** 5 + 3 * 10 ** 6) / 6)  # 57.404, arithmetic would be 55
    assert {row["mean"] for row in hourly} == {round(expected, 3)}
    assert {(row["count"], row["completeness"], row["min"], row["max"]) for row in hourly} == {(6, 1.0, 50, 60)}
    twice = [row["window_start"] for row in hourly if row["window_start"][11:13] == "02"]
    assert twice == ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"]
    (day,) = table(resource_id(noise["id"], "daily-sensor"), sensor_id=sensor_id(NOISE_BOX, 2))
    assert (day["count"], day["completeness"], day["mean"]) == (150, 1.0, round(expected, 3))
    assert day["window_start"] == "2024-10-27T00:00:00+02:00" and day["window_end"] == "2024-10-28T00:00:00+01:00"

    # pressure arrives in Pa and is published in hPa
    pressure_days = table(resource_id(found["pressure"]["id"], "daily-sensor"))
    assert pressure_days and {row["mean"] for row in pressure_days} == {1013.0}

    # districts pool the readings of their sensors
    districts = table(resource_id(found["pm10"]["id"], "daily-district"))
    assert districts and all(row["mean"] == 12.0 and row["completeness"] == 1.0 for row in districts)
    assert "Weixdorf" in {row["district"] for row in districts}

    # DCAT-AP.de metadata from configuration and the harvest state
    assert noise["license_id"] == "odcpddl"
    assert noise["frequency"] == "HOURLY"
    assert (noise["temporal_start"], noise["temporal_end"]) == ("2024-10-27", "2024-10-28")
    assert noise["spatial_uri"].endswith("/municipalityKey/14612000")
    assert noise["url"].endswith("/atlas/sensoren?phenomenon=noise")  # landing page: the sensor table
    assert json.loads(noise["spatial"])["type"] == "Polygon"
    formats = sorted(r["format"] for r in noise["resources"])
    assert formats == ["CSV", "CSV", "CSV", "CSV", "GeoJSON"]
    dump = next(r for r in noise["resources"] if r["name"] == "Tageswerte je Sensor")
    assert dump["url"].endswith(f"/datastore/dump/{dump['id']}") and dump["datastore_active"]


def test_no_personal_data_is_published(replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    run_job(source)
    boxes = {b["_id"]: b for b in api_boxes()}
    published = []
    for pkg in datasets(source["id"]).values():
        published.append(json.dumps(pkg, ensure_ascii=False))
        for res in pkg["resources"]:
            if res.get("url_type") == "datastore":
                published.append(json.dumps(table(res["id"]), ensure_ascii=False, default=str))
    text = "\n".join(published)
    for box in boxes.values():
        if box["name"] in ("Weixdorf", "Dresden"):  # a box named after its district or the city
            continue
        assert box["name"] not in text, box["name"]
    rows = table(resource_id(by_phenomenon(source["id"])["pm10"]["id"], "daily-sensor"))
    for row in rows:
        exact = boxes[row["box_id"]]["currentLocation"]["coordinates"]
        assert (row["lon"], row["lat"]) == privacy.coarsen(exact[0], exact[1], 500)
        assert (row["lon"], row["lat"]) != (exact[0], exact[1])
    # only outdoor boxes inside the city: no mobile, indoor or Cologne box
    assert {row["box_id"] for row in rows} <= {b for b, box in boxes.items()
                                               if box["exposure"] == "outdoor" and box["name"] != "Dresden"}
    assert "5be15480217498001911cc0d" not in text and "5cab42ed3680f2001b0b5796" not in text


def test_a_second_run_over_the_same_window_changes_nothing(replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    run_job(source)
    before = by_phenomenon(source["id"])
    rows_before = {key: table(r["id"]) for pkg in before.values() for key, r in
                   ((r["id"], r) for r in pkg["resources"] if r.get("url_type") == "datastore")}
    report = run_job(source)
    after = by_phenomenon(source["id"])
    assert {k: v["metadata_modified"] for k, v in after.items()} == \
        {k: v["metadata_modified"] for k, v in before.items()}
    assert {key: table(key) for key in rows_before} == rows_before
    assert all(r["status"] != "updated" for r in report["records"]), report["records"]
    assert any("no new readings" in m for m in report["messages"])


def test_the_catalog_exports_the_aggregates_as_the_portals_own_data(app, replay, sensor_org):
    source = create_source(replay.url, sensor_org)
    run_job(source)
    noise = by_phenomenon(source["id"])["noise"]
    catalog = app.get("/catalog.ttl", status=200).get_data(as_text=True)
    assert f"/dataset/{noise['id']}>" in catalog
    assert "<http://dcat-ap.de/def/licenses/odcpddl>" in catalog
