# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: the atlas' sensor layer on sensor datasets
harvested from both sources through their local replays (openSenseMap and
SensorThings): the layer control, coloured markers, legend and phenomenon selector, a popup
with its SVG chart, a hostile dataset title as text, the table page
without JavaScript, axe-core without serious or critical findings."""
import datetime
import json
import urllib.parse

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.demo.opensensemap_replay import Replay
from ckanext.smartcityatlas.demo.sensorthings_replay import SensorThingsReplay
from tests.helpers.browser import run_node
from tests.helpers import sensorthings
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.sensors import CONFIG, api_boxes, create_source, iso, readings_for, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]
HOSTILE = "<img src=x onerror=alert(1)>"
GREY = "rgb(118, 118, 118)"


def test_sensor_layer(app, live_portal, tmp_path):
    # ``app``: url_for outside a request (the DataStore's resource URLs while
    # harvesting here) uses the newest test app; an earlier test's app may
    # lack the DataStore's routes
    org = factories.Organization(name="umweltamt", title="Umweltamt", image_url="")
    # openSenseMap: the last 25 hours (current values); SensorThings: 27.10.2024 (a sensor long inactive)
    end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(hours=25)
    boxes = api_boxes()
    server = Replay(boxes, readings_for(boxes, start=iso(start), end=iso(end))).start()
    try:
        report = run_job(create_source(server.url, org, config={**CONFIG, "start": iso(start), "end": iso(end)}))
    finally:
        server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    st_server = SensorThingsReplay(sensorthings.things(), sensorthings.observations()).start()
    try:
        report = sensorthings.run_job(sensorthings.create_source(st_server.url, org))
    finally:
        st_server.stop()
    assert not [m for m in report["messages"] if m.startswith("[error]")], report["messages"]
    # the layer lists features by phenomenon, dataset name, sensor: the first marker is this dataset's
    pm10 = helpers.call_action("package_search", {"ignore_auth": True}, fq="+tags:pm10", sort="name asc")["results"][0]
    helpers.call_action("package_patch", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=pm10["id"], title=HOSTILE + " Feinstaub")
    expected = helpers.call_action("sca_sensor_layer", {"user": ""}, phenomenon="pm10")["features"]
    assert {f["properties"]["source_type"] for f in expected} == {"sca_opensensemap", "sca_sensorthings"}

    seen = run_node("sensor_layer.mjs", live_portal, str(tmp_path))

    assert seen["errors"] == [], json.dumps(seen, indent=1)
    # off by default: no markers, no legend, no request for its data
    assert seen["before"] == {"markers": 0, "panelHidden": True, "sensorRequests": 0}
    on = seen["on"]
    assert on["markers"] == len(expected) > 1 and on["selected"] == "pm10"
    assert on["colours"] and all(c not in ("rgba(0, 0, 0, 0)", "") for c in on["colours"])
    # issue 29, item 6: the 2024 values are grey ("inactive"), never in a class colour; today's are
    assert on["live"] >= 1 and on["old"] >= 1 and on["live"] + on["old"] == on["markers"]
    assert GREY in on["colours"] and len(on["colours"]) >= 2 and GREY not in on["liveColours"]
    assert all(t.startswith("Feinstaub PM10: ") for t in on["titles"])
    assert all(t.endswith(" µg/m³") or t.endswith(("(Sensor inaktiv, vor 2 Jahren)", "(Sensor inaktiv, vor 1 Jahr)"))
               for t in on["titles"]), on["titles"]
    assert on["legendVisible"] and len(on["legend"]) == 6 and on["legend"][0].startswith("unter 20 µg/m³")
    assert on["legend"][-1].startswith("grau: veraltet") and "veraltet" in on["status"]
    assert set(on["options"]) == {"pm10", "pm25", "no2", "temperature", "humidity", "pressure", "noise"}
    assert str(len(expected)) in on["status"]
    assert seen["temperature"]["legend"][0].startswith("unter 0 °C")
    assert seen["temperature"]["tableLink"].endswith("/atlas/sensoren?phenomenon=temperature")
    popup = seen["popup"]
    assert popup["bars"] == 24 and popup["svgRole"] == "img"
    # every hour's mean is 12 µg/m³ (readings 11 and 13 in turn)
    assert popup["svgTitle"] == "Letzte 24 Stunden: Minimum 12, Maximum 12, zuletzt 12 µg/m³"
    assert "µg/m³" in popup["text"] and "Vollständigkeit 100" in popup["text"] and "(Ortszeit)" in popup["text"]
    assert HOSTILE in popup["text"] and popup["imgs"] == 0
    assert "Gemessen vor " in popup["text"] and "aktuell" in popup["text"]
    assert "Sensor inaktiv" in seen["oldPopup"] and "Gemessen vor " in seen["oldPopup"]
    assert popup["link"].endswith(f"/dataset/{pm10['name']}")
    assert seen["off"] == {"markers": 0, "panelHidden": True}
    assert len(seen["table"]["sections"]) == 7 and seen["table"]["rows"] >= len(expected)
    assert seen["axe"] and all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
