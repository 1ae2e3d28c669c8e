# SPDX-License-Identifier: AGPL-3.0-or-later
"""Realistic synthetic datasets of a German city portal, reproducible by seed.

German titles and descriptions from a vocabulary of municipal open data,
tags, formats, ten offices as organisations, and a location inside the
city's bounding box: a point (most) or a small polygon (a district-sized
area). Later benchmarks reuse it; the entity generator (actors, projects)
builds on the same vocabulary.
"""
from __future__ import annotations

import json
import random

OFFICES = [
    ("umweltamt", "Umweltamt"), ("strassen-und-tiefbauamt", "Straßen- und Tiefbauamt"),
    ("stadtplanungsamt", "Stadtplanungsamt"), ("amt-fuer-geodaten", "Amt für Geodaten und Kataster"),
    ("kommunale-statistikstelle", "Kommunale Statistikstelle"), ("gesundheitsamt", "Gesundheitsamt"),
    ("schulverwaltungsamt", "Schulverwaltungsamt"), ("amt-fuer-kultur", "Amt für Kultur und Denkmalschutz"),
    ("eigenbetrieb-sportstaetten", "Eigenbetrieb Sportstätten"), ("amt-fuer-wirtschaft", "Amt für Wirtschaftsförderung"),
]
SUBJECTS = [
    "Luftqualität", "Lärmbelastung", "Verkehrszählung", "Radverkehr", "Ladesäulen", "Parkplätze",
    "Baumkataster", "Starkregengefahr", "Hochwasserschutz", "Energieverbrauch", "Solarpotenzial",
    "Wärmeversorgung", "Bevölkerungsstand", "Wahlergebnisse", "Schulstandorte", "Kindertagesstätten",
    "Sportstätten", "Denkmalliste", "Baustellen", "Straßenbeleuchtung", "Haltestellen", "Spielplätze",
    "Grünflächen", "Gewerbeflächen", "Breitbandausbau", "WLAN-Hotspots", "Trinkwasserbrunnen",
    "Abfallbehälter", "Stadtklima", "Messstationen",
]
QUALIFIERS = [
    "Stadtgebiet", "Innenstadt", "Johannstadt", "Friedrichstadt", "Prohlis", "Neustadt", "Pieschen",
    "Klotzsche", "Loschwitz", "Blasewitz", "Leuben", "Plauen", "Cotta", "Altstadt",
]
PERIODS = ["2019", "2020", "2021", "2022", "2023", "2024", "2025", "aktuell", "stündlich", "jährlich"]
SENTENCES = [
    "Die Daten werden vom {office} bereitgestellt und regelmäßig aktualisiert.",
    "Der Datensatz enthält {subject} für {qualifier} im Zeitraum {period}.",
    "Grundlage sind Messungen und Erhebungen der Landeshauptstadt.",
    "Die Geometrien liegen im Koordinatenreferenzsystem WGS 84 vor.",
    "Für die Nachnutzung gilt die Datenlizenz Deutschland – Namensnennung – Version 2.0.",
    "Hinweise zur Datenqualität finden sich in der Beschreibung der Ressourcen.",
    "Die Werte sind als Stundenmittel, Tagesmittel und Jahresmittel verfügbar.",
]
TAGS = ["Umwelt", "Verkehr", "Mobilität", "Energie", "Klima", "Bildung", "Gesundheit", "Sport",
        "Kultur", "Wirtschaft", "Bevölkerung", "Geodaten", "Echtzeit", "Sensorik", "Smart City"]
FORMATS = ["CSV", "JSON", "GeoJSON", "WMS", "WFS", "XLSX", "PDF", "SHP"]
LICENSES = ["dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0"]
THEMES = ["ENVI", "TRAN", "REGI", "ENER", "SOCI", "EDUC"]
# Dresden's bounding box (lon/lat, WGS84)
BBOX = (13.58, 50.97, 13.96, 51.18)


def location(rng: random.Random) -> dict:
    lon = rng.uniform(BBOX[0], BBOX[2])
    lat = rng.uniform(BBOX[1], BBOX[3])
    if rng.random() < 0.8:
        return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    w, h = rng.uniform(0.005, 0.03), rng.uniform(0.004, 0.02)
    ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def dataset(i: int, rng: random.Random, org_ids: dict[str, str], prefix: str = "bench") -> dict:
    office_name, office_title = rng.choice(OFFICES)
    subject, qualifier, period = rng.choice(SUBJECTS), rng.choice(QUALIFIERS), rng.choice(PERIODS)
    words = dict(office=office_title, subject=subject, qualifier=qualifier, period=period)
    notes = " ".join(s.format(**words) for s in rng.sample(SENTENCES, 4))
    formats = rng.sample(FORMATS, rng.randint(1, 3))
    return {
        "name": f"{prefix}-{i:06d}",
        "title": f"{subject} {qualifier} {period}",
        "notes": notes,
        "owner_org": org_ids[office_name],
        "tags": [{"name": t} for t in rng.sample(TAGS, rng.randint(1, 4))],
        # fields of the DCAT-AP.de dataset schema (schemas/dataset.yaml)
        "spatial": json.dumps(location(rng)),
        # (own random stream: the main one, and so earlier figures, stay as they were)
        "license_id": random.Random(i).choice(LICENSES),
        "theme": random.Random(i + 1).sample(THEMES, 1 + i % 2),
        "frequency": random.Random(i + 2).choice(["DAILY", "MONTHLY", "ANNUAL", "IRREG"]),
        "contact_email": "opendata@example.org",
        "resources": [
            {"url": f"https://opendata.example.org/{prefix}/{i}/{n}.{fmt.lower()}", "format": fmt,
             "name": f"{subject} ({fmt})"}
            for n, fmt in enumerate(formats)
        ],
    }
