# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_sensorthings against the local SensorThings replay server: paging,
filters, units, privacy, incremental runs and broken input."""
import json
import math
import urllib.parse

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.sensors import privacy
from ckanext.smartcityatlas.demo.sensorthings_replay import SensorThingsReplay
from tests.helpers.harvest import reexport_violations
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import datasets, table
from tests.helpers.sensorthings import (CONFIG, FIXTURES, PRIVATE_POINT, PUBLIC_POINT, create_source,
                                        observations, run_job, things)

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


@pytest.fixture
def st_replay():
    server = SensorThingsReplay(things(), observations()).start()
    yield server
    server.stop()


@pytest.fixture
def st_org():
    return factories.Organization(name="umweltamt", title="Umweltamt")


def by_phenomenon(source_id):
    known = {"pm10", "pm25", "no2", "temperature", "humidity", "pressure", "noise"}
    return {next(t["name"] for t in pkg["tags"] if t["name"] in known): pkg
            for pkg in datasets(source_id).values()}


def kinds(report, kind):
    return [m for m in report["messages"] if m.startswith(f"[{kind}]")]


def observation_requests(replay, ds):
    return [r for r in replay.requests if r.startswith(f"/v1.1/Datastreams({ds})/Observations")]


def test_harvest_pages_converts_units_and_reports_what_it_skips(st_replay, st_org):
    source = create_source(st_replay.url, st_org)
    report = run_job(source)
    assert not kinds(report, "error"), report["messages"]
    found = by_phenomenon(source["id"])
    # temperature (unit K) and PM2.5 (no observations) give no dataset
    assert set(found) == {"pm10", "no2", "pressure"}

    # the filter by the city's bounding box, with Thing, Locations and ObservedProperty expanded
    listing = next(r for r in st_replay.requests if r.startswith("/v1.1/Datastreams?"))
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(listing).query))
    west, south, east, north = city_config.current().boundary.bounds
    assert query["$filter"].startswith("st_within(Thing/Locations/location, geography'POLYGON((")
    assert f"{west:.6f} {south:.6f}, {east:.6f} {south:.6f}" in query["$filter"]
    assert query["$expand"] == "Thing/Locations,ObservedProperty" and "unitOfMeasurement" in query["$select"]

    # paging: 150 observations, 40 a page, along @iot.nextLink
    pages = observation_requests(st_replay, 11)
    assert len(pages) == 4 and [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r).query)).get("$skip")
                                for r in pages] == [None, "40", "80", "120"]
    first = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(pages[0]).query))
    assert first["$filter"] == "phenomenonTime ge 2024-10-26T22:00:00.000Z and phenomenonTime le 2024-10-27T23:00:00.000Z"
    assert first["$orderby"] == "phenomenonTime asc"

    pm10 = found["pm10"]
    rows = {r["sensor_id"]: r for r in table(resource_id(pm10["id"], "daily-sensor"))}
    assert set(rows) == {"11", "21"}
    assert {(r["count"], r["mean"], r["completeness"], r["box_id"]) for r in rows.values()} == \
        {(150, 12.0, 1.0, "1"), (150, 12.0, 1.0, "2")}
    hourly = table(resource_id(pm10["id"], "hourly-sensor"), sensor_id="11")
    assert len(hourly) == 25 and {(r["count"], r["min"], r["max"]) for r in hourly} == {(6, 11.0, 13.0)}
    # NO2 arrives in mg/m³ (0.020, 0.030) and is published in µg/m³
    (no2,) = table(resource_id(found["no2"]["id"], "daily-sensor"))
    assert (no2["sensor_id"], no2["mean"], no2["min"], no2["max"]) == ("12", 25.0, 20.0, 30.0)

    text = "\n".join(report["messages"])
    assert "temperature: 'K'" in text and "not convertible" in text
    assert any("1 Datastreams without observations" in m and ": 14" in m for m in report["messages"]), text
    (unmapped,) = kinds(report, "unmapped")
    # the Hamburg traffic-light Thing's Datastreams (placed in Dresden): no ObservedProperty
    assert "'?' (no definition, %) ×2" in unmapped and "'?' (no definition, s) ×1" in unmapped
    assert "[sensors] pm10: 300 new readings in 8 requests" in text


def test_datasets_name_the_server_and_licence_and_reexport_valid(app, st_replay, st_org):
    source = create_source(st_replay.url, st_org)
    run_job(source)
    found = by_phenomenon(source["id"])
    pm10 = found["pm10"]
    assert pm10["license_id"] == "dl-by-de/2.0" and pm10["frequency"] == "HOURLY"
    assert "Messnetz Musterbetrieb" in pm10["title"] and "Messnetz Musterbetrieb" in pm10["provenance"]
    for wording in ("senseBox", "Bürgersensor", "openSenseMap"):
        assert wording not in json.dumps(pm10, ensure_ascii=False), wording
    assert {t["name"] for t in pm10["tags"]} >= {"SensorThings", "pm10"}
    # temporal coverage: from the first to the newest observation (22:50 UTC = 23:50 local)
    assert (pm10["temporal_start"], pm10["temporal_end"]) == ("2024-10-27", "2024-10-27")
    assert sorted(r["format"] for r in pm10["resources"]) == ["CSV", "CSV", "CSV", "CSV", "GeoJSON"]
    ids = {r["id"] for r in pm10["resources"]}
    assert {resource_id(pm10["id"], key) for key in
            ("hourly-sensor", "daily-sensor", "hourly-district", "daily-district", "daily-sensor-geojson")} == ids
    # the portal's own publication: in the catalog, found as a sensor dataset
    catalog = app.get("/catalog.ttl", status=200).get_data(as_text=True)
    assert f"/dataset/{pm10['id']}>" in catalog
    hits = helpers.call_action("package_search", {"ignore_auth": True}, fq="sca_sensor_source:sca_sensorthings")
    assert hits["count"] == 3
    assert reexport_violations(app, found) == {}


def test_privacy_public_installations_exact_others_coarsened(st_replay, st_org):
    source = create_source(st_replay.url, st_org)
    run_job(source)
    pm10 = by_phenomenon(source["id"])["pm10"]
    rows = {r["sensor_id"]: r for r in table(resource_id(pm10["id"], "daily-sensor"))}
    assert (rows["11"]["lon"], rows["11"]["lat"]) == PUBLIC_POINT
    assert (rows["21"]["lon"], rows["21"]["lat"]) == privacy.coarsen(*PRIVATE_POINT, 500)
    assert (rows["21"]["lon"], rows["21"]["lat"]) != PRIVATE_POINT
    published = json.dumps([datasets(source["id"]), table(resource_id(pm10["id"], "hourly-sensor"))],
                           ensure_ascii=False, default=str)
    for name in ("Messcontainer Postplatz", "Balkonsensor", "Musterstraße", "438_15"):
        assert name not in published, name

    # without public_properties no Thing counts as public: every position is coarsened
    config = {k: v for k, v in CONFIG.items() if k != "public_properties"}
    other = create_source(st_replay.url, st_org, config, name="ohne-oeffentliche")
    run_job(other)
    rows = table(resource_id(by_phenomenon(other["id"])["pm10"]["id"], "daily-sensor"), sensor_id="11")
    assert (rows[0]["lon"], rows[0]["lat"]) == privacy.coarsen(*PUBLIC_POINT, 500)


def test_incremental_runs_fetch_only_newer_observations(st_replay, st_org):
    half = "2024-10-27T10:00:00Z"
    source = create_source(st_replay.url, st_org, dict(CONFIG, end=half))
    run_job(source)
    pm10 = by_phenomenon(source["id"])["pm10"]
    assert table(resource_id(pm10["id"], "daily-sensor"), sensor_id="11")[0]["count"] == 73  # 22:00 … 10:00

    from ckanext.harvest.model import HarvestSource
    from ckan import model

    def reconfigure(config):
        HarvestSource.get(source["id"]).config = json.dumps(config)
        model.Session.commit()

    reconfigure(CONFIG)
    st_replay.requests.clear()
    run_job(source)
    first = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(observation_requests(st_replay, 11)[0]).query))
    assert first["$filter"].startswith("phenomenonTime gt 2024-10-27T10:00:00.000Z")
    (day,) = table(resource_id(pm10["id"], "daily-sensor"), sensor_id="11")
    assert (day["count"], day["completeness"], day["mean"]) == (150, 1.0, 12.0)

    before = {k: v["metadata_modified"] for k, v in by_phenomenon(source["id"]).items()}
    rows_before = table(resource_id(pm10["id"], "hourly-sensor"))
    st_replay.requests.clear()
    report = run_job(source)
    assert {k: v["metadata_modified"] for k, v in by_phenomenon(source["id"]).items()} == before
    assert table(resource_id(pm10["id"], "hourly-sensor")) == rows_before
    assert all(r["status"] != "updated" for r in report["records"]), report["records"]
    assert any("no new readings" in m for m in report["messages"])
    assert "[sensors] pm10: 0 new readings in 2 requests" in report["messages"]


def test_upstream_500_and_invalid_json_keep_previous_records(st_replay, st_org):
    source = create_source(st_replay.url, st_org)
    run_job(source)
    pm10 = by_phenomenon(source["id"])["pm10"]
    rows = table(resource_id(pm10["id"], "daily-sensor"))
    for fault in ((500, '{"message": "Internal Server Error"}', {}), (200, "<html>not json", {})):
        st_replay.faults["/v1.1/Datastreams"] = lambda path, fault=fault: fault
        report = run_job(source)
        (error,) = kinds(report, "error")
        assert ("HTTP 500" in error if fault[0] == 500 else "not valid JSON" in error) and "unchanged" in error
        assert report["records"] == []
        after = by_phenomenon(source["id"])
        assert after["pm10"]["metadata_modified"] == pm10["metadata_modified"] and not after["pm10"]["private"]
        assert table(resource_id(pm10["id"], "daily-sensor")) == rows

    # one Datastream failing: the others are harvested, it is reported
    st_replay.faults.clear()
    source2 = create_source(st_replay.url, st_org, dict(CONFIG, server_name="Zweiter Server"), name="teilweise")
    st_replay.faults["/v1.1/Datastreams(11)/Observations"] = (500, '{"message": "boom"}', {})
    report = run_job(source2)
    (error,) = kinds(report, "error")
    assert error.startswith("[error] Datastream 11 (pm10)") and "HTTP 500" in error
    rows = table(resource_id(by_phenomenon(source2["id"])["pm10"]["id"], "daily-sensor"))
    assert {r["sensor_id"] for r in rows} == {"21"}


def test_a_nextlink_loop_stops_paging(st_replay, st_org):
    items = observations()["15"][:5]

    def loop(path):  # the server answers each page with a link to itself
        return 200, json.dumps({"value": items, "@iot.nextLink": st_replay.root + path}), {}

    st_replay.faults["/v1.1/Datastreams(15)/Observations"] = loop
    source = create_source(st_replay.url, st_org)
    report = run_job(source)
    assert len(observation_requests(st_replay, 15)) == 1
    assert any("Observations of Datastream 15" in m and "already followed" in m for m in kinds(report, "warning")), \
        report["messages"]
    (day,) = table(resource_id(by_phenomenon(source["id"])["pressure"]["id"], "daily-sensor"))
    assert day["count"] == 5


def test_a_nextlink_to_another_server_is_refused(st_replay, st_org):
    # the real FROST page: three pressure readings of 28 March 2023 and a nextLink to the BGS server
    page = (FIXTURES / "observations-page-with-nextlink.json").read_text(encoding="utf-8")
    st_replay.faults["/v1.1/Datastreams(15)/Observations"] = (200, page, {})
    config = dict(CONFIG, start="2023-03-27T22:00:00Z", end="2023-03-28T22:00:00Z")
    source = create_source(st_replay.url, st_org, config)
    report = run_job(source)
    (error,) = kinds(report, "error")
    assert error.startswith("[error] Datastream 15 (pressure): @iot.nextLink points to another server "
                            "(sensors.bgs.ac.uk); refused"), error
    assert not [r for r in st_replay.requests if "bgs" in r]
    (day,) = table(resource_id(by_phenomenon(source["id"])["pressure"]["id"], "daily-sensor"))
    assert (day["day"][:10], day["count"], day["mean"]) == ("2023-03-28", 3, round((1009.86 + 1008.17 + 1005.7) / 3, 3))


def test_a_server_without_st_within_is_read_unfiltered_and_filtered_here(st_replay, st_org):
    st_replay.reject_filter = True
    source = create_source(st_replay.url, st_org)
    report = run_job(source)
    assert any("rejected the st_within filter" in m for m in kinds(report, "warning")), report["messages"]
    assert "[sensors] 5 Datastreams skipped: outside the city" in report["messages"]  # the Hamburg Thing
    assert not kinds(report, "error")
    assert set(by_phenomenon(source["id"])) == {"pm10", "no2", "pressure"}


def test_null_non_numeric_and_flagged_results_are_skipped_and_counted(st_replay, st_org):
    data = observations()
    bad = data["21"][:6]
    bad[0]["result"] = None
    bad[1]["result"] = "n/a"
    bad[2]["result"] = {"value": 3}
    bad[3]["resultQuality"] = {"quality": "Bad", "status": "4"}
    bad[4]["resultQuality"] = "suspect"
    bad[5]["resultQuality"] = {"quality": "Good"}
    st_replay.set_observations(data)
    source = create_source(st_replay.url, st_org)
    report = run_job(source)
    assert "[warning] pm10: 3 observations with a null or non-numeric result skipped" in report["messages"]
    assert "[warning] pm10: 2 observations flagged as bad quality (resultQuality) skipped" in report["messages"]
    pm10 = by_phenomenon(source["id"])["pm10"]
    (day,) = table(resource_id(pm10["id"], "daily-sensor"), sensor_id="21")
    assert day["count"] == 145 and not math.isclose(day["completeness"], 1.0)


def test_source_configuration_is_checked(st_org):
    user = factories.Sysadmin()
    for bad, why in (({}, "license is required"), ({"license": "no-such"}, "license"),
                     (dict(CONFIG, public_properties=["publicInstallation"]), "public_properties"),
                     (dict(CONFIG, page_size=0), "page_size"), (dict(CONFIG, bad_quality="bad"), "bad_quality"),
                     (dict(CONFIG, phenomena=[{"phenomenon": "no2", "units": {"ppb": 1.9}}]), "definitions"),
                     (dict(CONFIG, pagesize=3), "unknown")):
        with pytest.raises(helpers.logic.ValidationError) as raised:
            helpers.call_action("harvest_source_create", context={"user": user["name"]}, name="st-bad",
                                title="x", url="http://127.0.0.1:1/v1.1", source_type="sca_sensorthings",
                                owner_org=st_org["id"], config=json.dumps(bad), frequency="MANUAL")
        assert why in str(raised.value.error_dict["config"]), (why, raised.value.error_dict)


def test_a_source_rule_adds_a_unit_with_its_factor(st_replay, st_org):
    # NO2 in ppb: no unit of the shipped rules (its factor depends on temperature and pressure)
    no2 = next(ds for thing in st_replay.things for ds in thing.get("Datastreams", []) if ds["@iot.id"] == 12)
    no2["unitOfMeasurement"] = {"name": "parts per billion", "symbol": "ppb", "definition": ""}
    data = observations()
    for i, item in enumerate(data["12"]):
        item["result"] = 20 if i % 2 else 10
    st_replay.set_observations(data)
    report = run_job(create_source(st_replay.url, st_org, name="ohne-regel"))
    assert any("no2: 'ppb'" in m and "not convertible" in m for m in kinds(report, "warning")), report["messages"]
    rule = {"phenomenon": "no2", "definitions": ["https://dd.eionet.europa.eu/vocabulary/aq/pollutant/8/"],
            "units": {"ppb": 1.91}}
    source = create_source(st_replay.url, st_org, dict(CONFIG, phenomena=[rule]), name="mit-regel")
    report = run_job(source)
    assert not any("not convertible" in m and "no2" in m for m in report["messages"]), report["messages"]
    (day,) = table(resource_id(by_phenomenon(source["id"])["no2"]["id"], "daily-sensor"))
    assert (day["min"], day["max"], day["mean"]) == (19.1, 38.2, 28.65)


def test_harvesters_info_lists_sensorthings():
    names = {h["name"] for h in helpers.call_action("harvesters_info_show", {"ignore_auth": True})}
    assert {"sca_sensorthings", "sca_opensensemap"} <= names
