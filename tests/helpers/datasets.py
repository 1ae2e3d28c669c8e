# SPDX-License-Identifier: AGPL-3.0-or-later
"""Datasets: one that fills every field and uses every licence and format
of the mapping tables, a minimal one, created as a sysadmin; values written
past the validators; the portal's DCAT catalogue as a graph."""
import json

import rdflib

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import vocab

DRESDEN_AREA = {"type": "Polygon", "coordinates": [[[13.6, 50.97], [13.9, 50.97], [13.9, 51.15],
                                                    [13.6, 51.15], [13.6, 50.97]]]}


def full_dataset(org, unique, **extra):
    """Every optional field; one resource per licence, formats in turn."""
    licences = [lic["id"] for lic in vocab.dcatde_licenses()]
    formats = list(vocab.FORMATS)
    count = max(len(licences), len(formats))
    resources = []
    for i in range(count):
        resources.append({
            "url": f"https://example.org/data/{unique}/{i}",
            "name": f"Ressource {i}",
            "description": "Beschreibung der Ressource",
            "format": formats[i % len(formats)],
            "download_url": f"https://example.org/data/{unique}/{i}/download",
            "license": licences[i % len(licences)],
            "license_attribution": "Landeshauptstadt Dresden",
            "availability": list(vocab.AVAILABILITIES)[i % len(vocab.AVAILABILITIES)],
            "size": 1000 + i,
            "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "hash_algorithm": list(vocab.HASH_ALGORITHMS)[i % len(vocab.HASH_ALGORITHMS)],
            "issued": "2024-01-15",
            "modified": "2024-06-01T10:00:00",
        })
    data = {
        "type": "dataset", "name": f"full-{unique}", "title": f"Luftqualität {unique}",
        "title_en": f"Air quality {unique}",
        "notes": "Messwerte der Luftqualität im Stadtgebiet.",
        "description_en": "Air quality measurements in the city.",
        "tag_string": "Luft,Umwelt,Messwerte",
        "theme": list(vocab.THEMES), "owner_org": org["id"],
        "publisher_name": "Umweltamt", "publisher_url": "https://www.dresden.de/umwelt",
        "contact_name": "Open-Data-Team", "contact_email": "opendata@example.org",
        "contact_url": "https://example.org/kontakt",
        "roles": [{"role": r, "name": f"Stelle {r}", "url": "https://example.org/stelle",
                   "email": "stelle@example.org"} for r in ("originator", "maintainer", "contributor", "creator")],
        "license_id": "dl-by-de/2.0", "license_attribution": "Landeshauptstadt Dresden, Umweltamt",
        "spatial": json.dumps(DRESDEN_AREA), "spatial_text": "Dresden",
        "spatial_uri": "http://sws.geonames.org/2935022/",
        "temporal_start": "2020-01-01", "temporal_end": "2024-12-31",
        "frequency": "DAILY", "language": ["DEU", "ENG"],
        "issued": "2021-03-01", "modified": "2024-06-01",
        "identifier": f"urn:dresden:luft:{unique}", "url": "https://example.org/luft",
        "conforms_to": ["https://www.w3.org/TR/vocab-dcat-2/"],
        "documentation": ["https://example.org/luft/doku"],
        "provenance": "Automatische Messstationen des Umweltamts.",
        "legal_basis": "§ 11 Umweltinformationsgesetz",
        "applicable_legislation": ["http://data.europa.eu/eli/reg_impl/2023/138/oj"],
        "access_rights": "PUBLIC",
        "resources": resources,
    }
    data.update(extra)
    return data


def minimal_dataset(org, unique, **extra):
    data = {"type": "dataset", "name": f"min-{unique}", "title": f"Minimal {unique}",
            "notes": "Nur Pflichtfelder.", "owner_org": org["id"], "license_id": "dl-zero-de/2.0",
            "resources": [{"url": f"https://example.org/min/{unique}.csv", "format": "CSV"}]}
    data.update(extra)
    return data


def create(data):
    return helpers.call_action("package_create", context={"user": factories.Sysadmin()["name"]}, **data)


def catalog_graph(app, path="/catalog.ttl", **params):
    response = app.get(path, query_string=params, status=200)
    return rdflib.Graph().parse(data=response.body, format="turtle")


def write_past_validation(pkg_id: str, url: str | None = None, extras: dict | None = None,
                          resource_urls: dict | None = None):
    """What older or harvested records may hold: values the validators of
    today refuse, written past them into the database."""
    from ckan import model
    from ckan.lib.search import rebuild

    pkg = model.Package.get(pkg_id)
    if url is not None:
        pkg.url = url
    pkg.extras = {**pkg.extras, **(extras or {})}
    for res_id, value in (resource_urls or {}).items():
        model.Resource.get(res_id).url = value
    model.Session.commit()
    rebuild(pkg_id)
