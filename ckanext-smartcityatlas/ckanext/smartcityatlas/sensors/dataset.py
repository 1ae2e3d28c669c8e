# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT-AP.de dataset of one phenomenon's aggregates.

Everything comes from the harvest state (``store``), never from a box's
or Thing's name or owner: temporal coverage (local dates of the first reading and of
the last fetch), spatial coverage (the grid cells of the sensors, and the
municipality's political geocoding IRI), frequency hourly, the licence of
the source, provenance and the method (docs/sensors.md). The wording
follows the source (``SOURCES``: citizen senseBoxes of openSenseMap, or the
sensors of a SensorThings server named in its configuration).
"""
from __future__ import annotations

import dataclasses
import json

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.dcat import settings as dcat_settings
from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.sensors import aggregate as agg
from ckanext.smartcityatlas.sensors import phenomena as phen
from ckanext.smartcityatlas.sensors import privacy, publish, settings, store

MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"


def _local_date(value) -> str | None:
    return agg.day_of(store.dt_to_ms(value)).isoformat() if value is not None else None


def _coverage(sensors: list[dict]) -> str | None:
    if not sensors:
        return None
    half = settings.grid_m() / 2 / privacy.EARTH_M_PER_DEG
    lons = [s["lon"] for s in sensors]
    lats = [s["lat"] for s in sensors]
    west, east = round(min(lons) - 2 * half, 5), round(max(lons) + 2 * half, 5)
    south, north = round(min(lats) - half, 5), round(max(lats) + half, 5)
    return json.dumps({"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                            [west, north], [west, south]]]})


@dataclasses.dataclass(frozen=True)
class Source:
    """How the datasets of one harvester type name their sensors and origin."""

    key: str
    tags: tuple[str, ...]


OPENSENSEMAP = Source("opensensemap", ("openSenseMap", "senseBox"))
SENSORTHINGS = Source("sensorthings", ("SensorThings",))
SOURCES = {"sca_opensensemap": OPENSENSEMAP, "sca_sensorthings": SENSORTHINGS}

DEMO_DE = {"opensensemap": "Demodaten: synthetische Messwerte, über eine lokale Wiedergabe der "
                           "openSenseMap-API geladen, keine echten Messungen. ",
           "sensorthings": "Demodaten: synthetische Messwerte, über eine lokale Wiedergabe eines "
                           "SensorThings-Servers geladen, keine echten Messungen. "}
DEMO_EN = "Demo data: synthetic readings replayed locally, not real measurements. "


def _texts(source: Source, p, city_name: str, api: str, server_name: str | None, official: bool,
           sensors: list[dict], boxes: int) -> dict:
    """Title, descriptions and provenance in the source's own terms."""
    grid = f"{settings.grid_m():g}"
    mean_de = ("energetisch gemittelt (10·log10 des Mittels von 10^(L/10))" if p.energetic
               else "arithmetisch gemittelt")
    mean_en = ("averaged energetically (10·log10 of the mean of 10^(L/10))" if p.energetic
               else "arithmetic mean")
    method_de = ("Anzahl, Mittelwert, Minimum, Maximum, Median, 95. Perzentil und Vollständigkeit je Stunde "
                 "und je Tag (Europe/Berlin; Tage mit Zeitumstellung haben 23 bzw. 25 Stunden), je Sensor "
                 f"und je Stadtteil. Der Mittelwert ist {mean_de}. Unplausible Werte (außerhalb des "
                 "Messbereichs, hängende Sensoren, Ausreißer) und doppelte Messwerte werden vorher entfernt.")
    method_en = ("count, mean, min, max, median, 95th percentile and completeness per hour and per day "
                 f"(Europe/Berlin), per sensor and per district; the mean is {mean_en}. Implausible and "
                 "duplicated readings are removed first.")
    if source.key == "opensensemap":
        return {
            "title": f"{p.title_de}: Stunden- und Tageswerte der senseBoxes in {city_name} (openSenseMap)",
            "title_en": f"{p.title_en}: hourly and daily values of the senseBoxes in {city_name} (openSenseMap)",
            "notes": (
                f"{p.title_de} ({p.unit}) der Bürgersensoren (senseBoxes) im Stadtgebiet {city_name}, "
                f"aus der openSenseMap zusammengefasst: {method_de} Veröffentlicht werden nur Box-ID, "
                f"Stadtteil und eine auf {grid} m vergröberte Position, nie Name oder "
                f"Eigentümer einer Box. {len(sensors)} Sensoren in {boxes} Boxen. Bürgerdaten ohne "
                "Kalibrierung: keine amtlichen Messwerte."),
            "description_en": (
                f"{p.title_en} ({p.unit}) of the citizen sensors (senseBoxes) in {city_name}, aggregated "
                f"from openSenseMap: {method_en} Only box id, district "
                f"and a position coarsened to {grid} m are published, never a box's name "
                "or owner. Uncalibrated citizen data, not official measurements."),
            "provenance": (
                f"Aggregiert vom Portal aus den Rohdaten der openSenseMap-API ({api}); Boxen im Freien "
                "(exposure outdoor) innerhalb der Stadtgrenze. Rohdaten werden nur bis zur Berechnung "
                "der Tageswerte aufbewahrt."),
        }
    name = server_name or api
    what_de = "der amtlichen Messstationen" if official else "der Sensoren"
    what_en = "of the official monitoring stations" if official else "of the sensors"
    return {
        "title": f"{p.title_de}: Stunden- und Tageswerte {what_de} in {city_name} ({name})",
        "title_en": f"{p.title_en}: hourly and daily values {what_en} in {city_name} ({name})",
        "notes": (
            f"{p.title_de} ({p.unit}) {what_de} des SensorThings-Servers {name} im Stadtgebiet "
            f"{city_name}, vom Portal zusammengefasst: {method_de} Veröffentlicht werden die IDs von "
            "Datastream und Thing, der Stadtteil und die Position; Positionen von Things, die nicht als "
            f"öffentliche Anlage gekennzeichnet sind, werden auf {grid} m vergröbert. Namen und "
            f"Beschreibungen der Things werden nicht übernommen. {len(sensors)} Datastreams an {boxes} "
            "Things."),
        "description_en": (
            f"{p.title_en} ({p.unit}) {what_en} of the SensorThings server {name} in {city_name}, "
            f"aggregated by the portal: {method_en} Published are the ids of Datastream and Thing, the "
            "district and the position; positions of Things not marked as a public installation are "
            f"coarsened to {grid} m. Names and descriptions of Things are not copied."),
        "provenance": (
            f"Aggregiert vom Portal aus den Observations des SensorThings-Servers {name} ({api}, "
            "OGC SensorThings API 1.1); Things mit Standort innerhalb der Stadtgrenze. Rohdaten werden "
            "nur bis zur Berechnung der Tageswerte aufbewahrt."),
    }


def build(source_id: str, phenomenon_id: str, license_id: str, api: str, demo: bool = False,
          source: Source = OPENSENSEMAP, server_name: str | None = None, official: bool = False) -> dict:
    p = phen.phenomena()[phenomenon_id]
    city = city_config.current()
    city_name = city.settings.get("title") or city.name
    sensors = list(store.sensors(source_id, phenomenon_id).values())
    boxes = len({s["box_id"] for s in sensors})
    firsts = [s["first_ts"] for s in sensors if s["first_ts"] is not None]
    lasts = [s["last_ts"] for s in sensors if s["last_ts"] is not None]
    texts = _texts(source, p, city_name, api, server_name, official, sensors, boxes)
    pkg = {
        "title": texts["title"],
        "title_en": texts["title_en"],
        "notes": texts["notes"],
        "description_en": texts["description_en"],
        "tags": [{"name": "Sensoren"}] + [{"name": t} for t in source.tags] +
                [{"name": "Umwelt"}, {"name": p.id}],
        "theme": list(p.themes),
        "license_id": license_id,
        "frequency": "HOURLY",
        "spatial_uri": MUNICIPALITY + city.municipality_key,
        "spatial_text": city_name,
        "provenance": texts["provenance"],
        # the portal's page of the latest values (the atlas' sensor table)
        # is where people see these data: the landing page DCAT-AP.de asks for
        "url": f"{dcat_settings.site_url()}/atlas/sensoren?phenomenon={p.id}",
        "resources": [],
    }
    if demo:
        pkg["title"] = "Demo: " + pkg["title"]
        pkg["title_en"] = "Demo: " + pkg["title_en"]
        pkg["notes"] = DEMO_DE[source.key] + pkg["notes"]
        pkg["description_en"] = DEMO_EN + pkg["description_en"]
    coverage = _coverage(sensors)
    if coverage:
        pkg["spatial"] = coverage
    if firsts:
        pkg["temporal_start"] = _local_date(min(firsts))
    if lasts:
        pkg["temporal_end"] = _local_date(max(lasts))
    for key, (level, resolution, name_de, name_en) in publish.TABLES.items():
        what = ("je Sensor (Box-ID, Stadtteil, vergröberte Position)" if source.key == "opensensemap"
                else "je Sensor (Datastream, Thing, Stadtteil, Position)") if level == "sensor" else \
            "je Stadtteil (alle Messwerte der Sensoren im Stadtteil zusammen)"
        pkg["resources"].append({
            "_key": key, "name": name_de, "format": "CSV", "mimetype": "text/csv", "url_type": "datastore",
            "description": f"{'Stunden' if resolution == 'hourly' else 'Tages'}werte {what}; "
                           f"DataStore-Tabelle (API: datastore_search), CSV über den DataStore-Export. "
                           f"{name_en}."})
    pkg["resources"].append({
        "_key": publish.GEOJSON_KEY, "name": "Tageswerte je Sensor (GeoJSON)", "format": "GeoJSON",
        "mimetype": "application/geo+json",
        "description": "Die Tageswerte je Sensor als GeoJSON-Punkte"
                       + (" (vergröberte Position)" if source.key == "opensensemap" else "")
                       + ", standardmäßig des letzten Tags; ?day=JJJJ-MM-TT für einen anderen Tag."})
    return pkg


def complete(pkg: dict) -> dict:
    """Links that need the final ids: the DataStore dumps and our GeoJSON route."""
    site = dcat_settings.site_url()
    geojson_id = resource_id(pkg["id"], publish.GEOJSON_KEY)
    table_id = resource_id(pkg["id"], "daily-sensor")
    for res in pkg.get("resources") or []:
        if res.get("url_type") == "datastore":
            res["url"] = f"{site}/datastore/dump/{res['id']}"
        elif res.get("id") == geojson_id:
            res["url"] = f"{site}/sensoren/{table_id}.geojson"
    return pkg
