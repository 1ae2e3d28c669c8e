# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which real sensor titles and units are recognised (sensors/phenomena.yaml):
every sensor of 40 real openSenseMap boxes (fixtures/opensensemap/README.md),
the spellings issue 32 found missed on real boxes ("Lautstärke" in "dB (A)",
"atm. Luftdruck", "rel. Luftfeuchtigkeit") and English titles."""
import collections
import json
from pathlib import Path

import pytest

from ckanext.smartcityatlas.sensors import phenomena as phen

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "opensensemap" / "boxes-response-sample.json"
RULES = phen.rules()


def test_every_sensor_of_the_real_boxes_is_recognised_or_deliberately_not():
    boxes = json.loads(FIXTURE.read_text(encoding="utf-8"))
    found = collections.Counter()
    left = set()
    for box in boxes:
        for sensor in box["sensors"]:
            match = phen.match(sensor, RULES)
            if match:
                found[match[0]] += 1
            else:
                left.add((sensor["title"], sensor["unit"]))
    assert found == {"temperature": 41, "humidity": 41, "pm10": 22, "pm25": 22, "pressure": 28}
    # light, UV, wind, rain and soil: no phenomenon of ours; "Schall" in "Pegel"
    # is a raw amplifier signal, not a sound level (phenomena.yaml)
    assert left == {("Beleuchtungsstärke", "lx"), ("Beleuchtungsstärke", "lux"), ("Helligkeit", "lux"),
                    ("Helligkeit", "Pegel"), ("UV-Intensität", "μW/cm²"), ("UV-Strahlung", "µW/cm²"),
                    ("UV", "UV-Index"), ("Windrichtung", "Richtung"), ("Wind Geschwindigkeit", "m/s"),
                    ("Bodentemperatur", "°C"), ("Niederschlagsmenge", "ml/cm"), ("Regensensor", "."),
                    ("Schall", "Pegel")}


@pytest.mark.parametrize("title, unit, expected", [
    ("Lautstärke", "dB (A)", ("noise", 1.0)),
    ("Lautstärke", "dB(A)", ("noise", 1.0)),
    ("Lautstärke", "dBA", ("noise", 1.0)),
    ("Lautstärke", "db(a)", ("noise", 1.0)),
    ("Loudness", "dB", ("noise", 1.0)),
    ("Noise", "dB(A)", ("noise", 1.0)),
    ("Sound level", "dBA", ("noise", 1.0)),
    ("Sound pressure level", "dB (A)", ("noise", 1.0)),
    ("atm. Luftdruck", "hPa", ("pressure", 1.0)),
    ("atm. Luftdruck", "Pa", ("pressure", 0.01)),
    ("Air pressure", "hpa", ("pressure", 1.0)),
    ("Barometric pressure", "mBar", ("pressure", 1.0)),
    ("rel. Luftfeuchtigkeit", "%", ("humidity", 1.0)),
    ("Relative humidity", "% RH", ("humidity", 1.0)),
    ("PM2.5", "µg/m³", ("pm25", 1.0)),
    ("PM 2.5", "μg/m³", ("pm25", 1.0)),   # Greek mu instead of the micro sign
    ("PM25", "ug/m3", ("pm25", 1.0)),
    ("PM₂.₅", "µg/m³", ("pm25", 1.0)),   # subscript digits
    ("PM 10", "µg/m3", ("pm10", 1.0)),
    ("Feinstaub PM10", "µg / m³", ("pm10", 1.0)),
    ("Außentemperatur", "°C", ("temperature", 1.0)),
])
def test_spellings_people_use(title, unit, expected):
    assert phen.match({"title": title, "unit": unit}, RULES) == expected


@pytest.mark.parametrize("title, unit", [("Lautstärke", "Pegel"), ("Lautstärke", "%"), ("Luftdruck", "m"),
                                         ("PM2.5", "ppm"), ("Helligkeit", "lx")])
def test_a_unit_that_is_not_the_phenomenons_is_never_guessed(title, unit):
    assert phen.match({"title": title, "unit": unit}, RULES) is None


def test_known_title_names_the_phenomenon_of_an_unknown_unit_for_the_report():
    assert phen.known_title({"title": "Schall", "unit": "Pegel"}, RULES) == "noise"
    assert phen.known_title({"title": "Helligkeit", "unit": "lx"}, RULES) is None
