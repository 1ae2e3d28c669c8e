# SPDX-License-Identifier: AGPL-3.0-or-later
"""openSenseMap test data: the real Dresden boxes in the API's shape
(fixtures/opensensemap/README.md) and synthetic readings for the replay
server; sensor harvest sources and runs, their datasets and DataStore tables."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import ckan.plugins as p
from ckan.tests import factories, helpers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "opensensemap"
# the night the clocks go back: the local day 2024-10-27 has 25 hours
START = "2024-10-26T22:00:00Z"
END = "2024-10-27T23:00:00Z"
CONFIG = {"start": START, "end": END, "window_hours": 12, "requests_per_minute": 6000}

SDS_DHT22 = [("PM10", "µg/m³", "SDS 011"), ("PM2.5", "µg/m³", "SDS 011"),
             ("Temperatur", "°C", "DHT22"), ("rel. Luftfeuchte", "%", "DHT22")]
SDS_BME280 = [("PM10", "µg/m³", "SDS 011"), ("PM2.5", "µg/m³", "SDS 011"), ("Temperatur", "°C", "BME280"),
              ("rel. Luftfeuchte", "%", "BME280"), ("Luftdruck", "Pa", "BME280")]
MODELS = {"luftdaten_sds011_dht22": SDS_DHT22, "luftdaten_sds011_dht11": SDS_DHT22,
          "luftdaten_sds011_bme280": SDS_BME280}
CUSTOM = {  # the real live sensor titles of these custom boxes, with units as the API sample has them
    "PM10": ("PM10", "µg/m³", "SDS011"), "Temperatur": ("Temperatur", "°C", "BME280"),
    "rel. Luftfeuchte": ("rel. Luftfeuchte", "%", "BME280"), "Luftdruck": ("Luftdruck", "Pa", "BME280"),
    "Temperature": ("Temperature", "°C", "DHT22"), "Humidity": ("Humidity", "%", "DHT22"),
}
NOISE_BOX = "5b76c62683ed9f0019b216fe"  # gets a synthetic sound level sensor


def sensor_id(box_id: str, i: int) -> str:
    return f"{box_id[:20]}{i:04x}"


def api_boxes() -> list[dict]:
    """The Dresden features in the /boxes API shape (README)."""
    features = json.loads((FIXTURES / "dresden-boxes-subset.geojson").read_text(encoding="utf-8"))["features"]
    boxes = []
    for feature in features:
        props = feature["properties"]
        box_id = props["_id"]
        if props.get("model") in MODELS:
            specs = MODELS[props["model"]]
        else:
            specs = [CUSTOM[title] for title in props["sensors"]["live"] if title in CUSTOM]
        if box_id == NOISE_BOX:
            specs = specs + [("Lautstärke", "dB (A)", "SPH0645")]  # the unit as real boxes write it
        sensors = [{"_id": sensor_id(box_id, i), "title": title, "unit": unit, "sensorType": stype,
                    "boxes_id": box_id} for i, (title, unit, stype) in enumerate(specs)]
        boxes.append({
            "_id": box_id, "name": props["name"], "exposure": props["exposure"], "model": props["model"],
            "createdAt": props["createdAt"], "updatedAt": props.get("updatedAt", props["createdAt"]),
            "grouptag": [""], "sensors": sensors,
            "currentLocation": {"type": "Point", "coordinates": feature["geometry"]["coordinates"],
                                "timestamp": props["createdAt"]},
        })
    # real boxes around Cologne: outside the city, never harvested
    boxes.extend(json.loads((FIXTURES / "boxes-response-subset.json").read_text(encoding="utf-8")))
    return boxes


BASE_VALUES = {"PM10": 12.0, "PM2.5": 8.0, "Temperatur": 9.5, "Temperature": 9.5, "rel. Luftfeuchte": 71.0,
               "Humidity": 71.0, "Luftdruck": 101300.0, "Lautstärke": 55.0, "Schall": 55.0}


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def readings_for(boxes: list[dict], start=START, end=END, minutes=10) -> dict[str, list[dict]]:
    """Every sensor reports every ``minutes`` from ``start`` to before ``end``;
    the value alternates base ± 1 (base ± 5 dB for the noise sensor)."""
    t0 = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
    t1 = datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
    out = {}
    for box in boxes:
        lon, lat = box["currentLocation"]["coordinates"][:2]
        for sensor in box["sensors"]:
            base = BASE_VALUES.get(sensor["title"], 1.0)
            delta = 5.0 if sensor["title"] in ("Lautstärke", "Schall") else 1.0
            items, t, i = [], t0, 0
            while t < t1:
                items.append({"value": f"{base + (delta if i % 2 else -delta):.2f}", "createdAt": iso(t),
                              "location": [lon, lat]})
                t += datetime.timedelta(minutes=minutes)
                i += 1
            out[sensor["_id"]] = items
    return out


def create_source(url: str, org: dict, config: dict | None = None, name: str = "opensensemap",
                  source_type: str = "sca_opensensemap", label: str = "openSenseMap") -> dict:
    user = factories.Sysadmin()
    return helpers.call_action(
        "harvest_source_create", context={"user": user["name"]},
        name=name, title=f"{label} {name}", url=url, source_type=source_type,
        owner_org=org["id"], config=json.dumps(CONFIG if config is None else config), frequency="MANUAL")


def update_config(source: dict, config: dict) -> None:
    from ckan import model
    from ckanext.harvest.model import HarvestSource

    harvest_source = HarvestSource.get(source["id"])
    harvest_source.config = json.dumps(config)
    harvest_source.save()
    model.Session.commit()


def run_job(source: dict, harvester: str = "sca_opensensemap") -> dict:
    """One harvest job of the source, run here; its report with every note
    as ``messages`` ("[kind] message")."""
    from ckanext.harvest.model import HarvestJob, HarvestSource
    from ckanext.harvest.tests.lib import run_harvest_job

    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    run_harvest_job(job, p.get_plugin(harvester))
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    notes = list(report["gather"])
    for record in report["records"]:
        notes.extend(f"[{n['kind']}] {n['message']}" for n in record["notes"])
    return {**report, "messages": notes}


def datasets(source_id: str) -> dict[str, dict]:
    result = helpers.call_action("package_search", {"ignore_auth": True}, fq=f"+harvest_source_id:{source_id}",
                                 rows=100, include_private=True)
    return {pkg["name"]: helpers.call_action("package_show", {"ignore_auth": True}, id=pkg["id"])
            for pkg in result["results"]}


def table(resource_id: str, **filters) -> list[dict]:
    result = helpers.call_action("datastore_search", {"ignore_auth": True}, resource_id=resource_id,
                                 filters=filters, limit=10000, sort="_id")
    return [{k: v for k, v in row.items() if k != "_id"} for row in result["records"]]


def harvest_replay(boxes: list[dict], readings: dict, org: dict, config: dict | None = None) -> dict:
    """One harvest of ``boxes`` from a local replay serving ``readings`` into
    a new source of ``org``; the source, asserting the job reported no error."""
    from ckanext.smartcityatlas.demo.opensensemap_replay import Replay

    server = Replay(boxes, readings).start()
    try:
        source = create_source(server.url, org, config)
        report = run_job(source)
    finally:
        server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    return source
