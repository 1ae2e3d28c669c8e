# SPDX-License-Identifier: AGPL-3.0-or-later
"""SensorThings test data: synthetic Things in Dresden shaped like the real
Hamburg Thing (fixtures/sensorthings/README.md), the real samples, and
harvest helpers for ``sca_sensorthings``."""
from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

from tests.helpers import sensors

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sensorthings"
START = "2024-10-26T22:00:00Z"  # local midnight of 2024-10-27 (25 hours)
END = "2024-10-27T23:00:00Z"
CONFIG = {"license": "dl-by-de/2.0", "server_name": "Messnetz Musterbetrieb", "start": START, "end": END,
          "page_size": 40, "requests_per_minute": 6000, "public_properties": {"publicInstallation": [True]}}
EIONET = "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/"
PUBLIC_POINT = (13.7373, 51.0504)  # Altstadt
PRIVATE_POINT = (13.74172, 51.06503)  # Äußere Neustadt


def _ds(ident, name, symbol, observed_name, definition=""):
    return {"@iot.id": ident, "name": name, "description": name,
            "observationType": "http://www.opengis.net/def/ogc-om/OM_Measurement",
            "unitOfMeasurement": {"name": symbol, "symbol": symbol, "definition": ""},
            "ObservedProperty": {"name": observed_name, "definition": definition, "description": ""}}


def _location(ident, lon, lat):
    return {"@iot.id": ident, "name": f"Standort {ident}", "description": "", "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [lon, lat]}}


def things() -> list[dict]:
    """Thing 1: a public installation (PM10 µg/m³, NO2 in mg/m³, temperature
    in K: no known unit, PM2.5 without observations, pressure hPa); Thing 2:
    a private one (PM10); Thing 660: the Hamburg Thing moved to Dresden
    (traffic Datastreams, no known phenomenon); Thing 659 as recorded (Hamburg)."""
    hamburg = json.loads((FIXTURES / "hamburg-thing-659.json").read_text(encoding="utf-8"))
    moved = copy.deepcopy(hamburg)
    moved["@iot.id"] = 660
    for ds in moved["Datastreams"]:
        ds["@iot.id"] += 100000
    moved["Locations"][0]["location"]["geometry"] = {"type": "LineString",
                                                     "coordinates": [[13.7300, 51.0400], [13.7310, 51.0402]]}
    return [
        {"@iot.id": 1, "name": "Messcontainer Postplatz", "description": "Luftmessstation",
         "properties": {"publicInstallation": True, "operator": "Musterbetrieb"},
         "Locations": [_location(1, *PUBLIC_POINT)],
         "Datastreams": [_ds(11, "PM10 Postplatz", "µg/m³", "PM10", EIONET + "5"),
                         _ds(12, "NO2 Postplatz", "mg/m³", "Stickstoffdioxid", EIONET + "8"),
                         _ds(13, "Temperatur Postplatz", "K", "Air temperature"),
                         _ds(14, "PM2.5 Postplatz", "µg/m³", "PM2.5", EIONET + "6001"),
                         _ds(15, "Luftdruck Postplatz", "hPa", "Luftdruck",
                             "http://mmisw.org/ont/cf/parameter/air_pressure")]},
        {"@iot.id": 2, "name": "Balkonsensor Hinterhof Musterstraße 5", "description": "privat",
         "properties": {"publicInstallation": False},
         "Locations": [_location(2, *PRIVATE_POINT)],
         "Datastreams": [_ds(21, "Feinstaub", "ug/m3", "particulate matter pm10")]},
        moved,
        hamburg,
    ]


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


BASE = {"11": (12.0, 1.0), "12": (0.025, 0.005), "13": (283.0, 1.0), "15": (1013.0, 1.0), "21": (12.0, 1.0)}


def observations(start=START, end=END, minutes=10) -> dict[str, list[dict]]:
    """Every 10 minutes from start to before end, base ± delta in turn."""
    t0 = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
    t1 = datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
    out = {}
    for ds, (base, delta) in BASE.items():
        items, t, i = [], t0, 0
        while t < t1:
            items.append({"@iot.id": int(ds) * 10000 + i, "phenomenonTime": iso(t), "resultTime": iso(t),
                          "result": round(base + (delta if i % 2 else -delta), 6)})
            t += datetime.timedelta(minutes=minutes)
            i += 1
        out[ds] = items
    return out


def create_source(url: str, org: dict, config: dict | None = None, name: str = "sensorthings") -> dict:
    return sensors.create_source(url, org, CONFIG if config is None else config, name,
                                  source_type="sca_sensorthings", label="SensorThings")


def run_job(source: dict) -> dict:
    return sensors.run_job(source, "sca_sensorthings")
