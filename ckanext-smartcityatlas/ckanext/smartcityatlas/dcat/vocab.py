# SPDX-License-Identifier: AGPL-3.0-or-later
"""Controlled vocabularies of DCAT-AP.de and the mapping tables of the
dataset schema: what the form stores → which IRI the RDF carries.

Form values are short codes (``CSV``, ``dl-by-de/2.0``, ``ENVI``) so that
search facets and URLs stay readable; the profiles turn them into IRIs here.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

EU = "http://publications.europa.eu/resource/authority/"
THEME = EU + "data-theme/"
FREQUENCY = EU + "frequency/"
LANGUAGE = EU + "language/"
FILE_TYPE = EU + "file-type/"
ACCESS_RIGHT = EU + "access-right/"
PLANNED_AVAILABILITY = EU + "planned-availability/"
DISTRIBUTION_STATUS = EU + "distribution-status/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENSES = "http://dcat-ap.de/def/licenses/"
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
GEOCODING_LEVEL = GEOCODING + "Level/"
DE_HASH = "http://dcat-ap.de/def/hashAlgorithms/"
SPDX = "http://spdx.org/rdf/terms#"
ADMS_STATUS = "http://purl.org/adms/status/"

VOCAB = Path(__file__).resolve().parent / "shapes" / "vocab"

# Format label (CKAN's ``format``) → (EU file type code, IANA media type or None).
# The labels are what the form offers; an unknown label is exported as the
# EU code of the same name if there is one (K32 wants EU file types).
FORMATS: dict[str, tuple[str, str | None]] = {
    "CSV": ("CSV", "text/csv"),
    "JSON": ("JSON", "application/json"),
    "GeoJSON": ("GEOJSON", "application/geo+json"),
    "XML": ("XML", "application/xml"),
    "RDF/XML": ("RDF_XML", "application/rdf+xml"),
    "Turtle": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PDF": ("PDF", "application/pdf"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ODT": ("ODT", "application/vnd.oasis.opendocument.text"),
    "ZIP": ("ZIP", "application/zip"),
    "SHP": ("SHP", None),
    "GPKG": ("GPKG", "application/geopackage+sqlite3"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "GML": ("GML", "application/gml+xml"),
    "WMS": ("WMS_SRVC", None),
    "WFS": ("WFS_SRVC", None),
    "GTFS": ("GTFS", None),
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
    "TIFF": ("TIFF", "image/tiff"),
    "SPARQL": ("SPARQLQ", "application/sparql-query"),
}

THEMES = {
    "AGRI": ("Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Wirtschaft und Finanzen", "Economy and finance"),
    "EDUC": ("Bildung, Kultur und Sport", "Education, culture and sport"),
    "ENER": ("Energie", "Energy"),
    "ENVI": ("Umwelt", "Environment"),
    "GOVE": ("Regierung und öffentlicher Sektor", "Government and public sector"),
    "HEAL": ("Gesundheit", "Health"),
    "INTR": ("Internationale Themen", "International issues"),
    "JUST": ("Justiz, Rechtssystem und öffentliche Sicherheit", "Justice, legal system and public safety"),
    "REGI": ("Regionen und Städte", "Regions and cities"),
    "SOCI": ("Bevölkerung und Gesellschaft", "Population and society"),
    "TECH": ("Wissenschaft und Technologie", "Science and technology"),
    "TRAN": ("Verkehr", "Transport"),
}

FREQUENCIES = {
    "CONT": ("kontinuierlich", "continuous"),
    "HOURLY": ("stündlich", "hourly"),
    "DAILY": ("täglich", "daily"),
    "WEEKLY": ("wöchentlich", "weekly"),
    "MONTHLY": ("monatlich", "monthly"),
    "QUARTERLY": ("vierteljährlich", "quarterly"),
    "ANNUAL": ("jährlich", "annual"),
    "IRREG": ("unregelmäßig", "irregular"),
    "NEVER": ("nie", "never"),
    "UNKNOWN": ("unbekannt", "unknown"),
}

LANGUAGES = {"DEU": ("Deutsch", "German"), "ENG": ("Englisch", "English")}

ACCESS_RIGHTS = {
    "PUBLIC": ("öffentlich", "public"),
    "RESTRICTED": ("eingeschränkt", "restricted"),
    "NON_PUBLIC": ("nicht öffentlich", "non-public"),
}

AVAILABILITIES = {
    "STABLE": ("stabil", "stable"),
    "AVAILABLE": ("verfügbar", "available"),
    "TEMPORARY": ("vorübergehend", "temporary"),
    "EXPERIMENTAL": ("experimentell", "experimental"),
}

# Form value → (DCAT-AP.de 2.0 hash-algorithm IRI, SPDX IRI for 3.0)
HASH_ALGORITHMS = {
    "sha256": (DE_HASH + "sha/256", SPDX + "checksumAlgorithm_sha256"),
    "sha512": (DE_HASH + "sha/512", SPDX + "checksumAlgorithm_sha512"),
    "sha1": (DE_HASH + "sha/1", SPDX + "checksumAlgorithm_sha1"),
    "md5": (DE_HASH + "md/5", SPDX + "checksumAlgorithm_md5"),
}


def format_iris(label: str | None) -> tuple[str | None, str | None]:
    """Format label → (EU file-type IRI, IANA media-type IRI)."""
    if not label:
        return None, None
    if label.startswith(FILE_TYPE):
        return label, None
    entry = FORMATS.get(label) or _format_case_insensitive(label)
    if entry:
        code, media = entry
        return FILE_TYPE + code, (IANA + media if media else None)
    code = re.sub(r"[^A-Z0-9_]", "_", label.upper())
    return FILE_TYPE + code, None


def _format_case_insensitive(label: str):
    for key, value in FORMATS.items():
        if key.lower() == label.lower() or value[0] == label.upper():
            return value
    return None


def media_type_iri(mimetype: str | None) -> str | None:
    if not mimetype:
        return None
    if mimetype.startswith(("http://", "https://")):
        return mimetype
    return IANA + mimetype if re.match(r"^[\w.+-]+/[\w.+-]+$", mimetype) else None


def license_iri(license_id: str | None) -> str | None:
    """CKAN licence id (the dcat-ap.de local name, e.g. ``dl-by-de/2.0``) → IRI."""
    if not license_id or license_id == "notspecified":
        return None
    if license_id.startswith(("http://", "https://")):
        return license_id
    return LICENSES + license_id


def license_id_from_iri(iri: str | None) -> str | None:
    if not iri:
        return None
    iri = str(iri).replace("https://www.dcat-ap.de/", "http://dcat-ap.de/")
    return iri[len(LICENSES):] if iri.startswith(LICENSES) else iri


def code_iri(base: str, value: str | None) -> str | None:
    if not value:
        return None
    return value if value.startswith(("http://", "https://")) else base + value


def code_from_iri(base: str, value) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value[len(base):] if value.startswith(base) else value


@functools.lru_cache(maxsize=1)
def dcatde_licenses() -> list[dict]:
    """The dcat-ap.de licence list (shipped vocabulary) as CKAN licence
    dicts: id = local name under ``LICENSES``, German title, the licence's
    own URL, and whether GovData counts it as open."""
    import rdflib
    from rdflib.namespace import FOAF, RDF, SKOS

    graph = rdflib.Graph().parse(VOCAB / "dcat-ap-de-licenses-20200715.rdf", format="xml")
    scheme = rdflib.URIRef(LICENSES.rstrip("/"))
    govdata_open = rdflib.URIRef("http://govdata.de/mqa/#isOpenLicense")
    out = []
    for concept in sorted(set(graph.subjects(SKOS.inScheme, scheme)), key=str):
        if (concept, RDF.type, SKOS.Concept) not in graph:
            continue
        labels = {lbl.language: str(lbl) for lbl in graph.objects(concept, SKOS.prefLabel)}
        title = labels.get("de") or labels.get("en") or next(iter(labels.values()), str(concept))
        url = next((str(u) for u in graph.objects(concept, FOAF.homepage)), "") or str(concept)
        is_open = any(str(v).lower() == "true" for v in graph.objects(concept, govdata_open))
        license_id = str(concept)[len(LICENSES):]
        out.append({
            "id": license_id,
            "title": title,
            "url": url,
            "od_conformance": "approved" if is_open else "not reviewed",
            "osd_conformance": "not reviewed",
            "status": "active",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "is_okd_compliant": is_open,
        })
    return out


# The contributor lists (dcatde:contributorID) each profile's shapes import.
CONTRIBUTOR_LISTS = {"2.0": "dcat-ap-de-contributors-20220623.rdf", "3.0": "dcat-ap-de-contributors-20240606.rdf"}


@functools.lru_cache(maxsize=None)
def contributors(profile: str) -> dict[str, str]:
    """IRI → German label of the dcat-ap.de contributor list that profile
    ("2.0" or "3.0") checks against (docs/city.md names them per Land)."""
    import rdflib
    from rdflib.namespace import SKOS

    graph = rdflib.Graph().parse(VOCAB / CONTRIBUTOR_LISTS[profile], format="xml")
    out: dict[str, str] = {}
    for concept in graph.subjects(SKOS.inScheme, rdflib.URIRef(CONTRIBUTORS.rstrip("/"))):
        labels = {label.language: str(label) for label in graph.objects(concept, SKOS.prefLabel)}
        out[str(concept)] = labels.get("de") or next(iter(labels.values()), str(concept))
    return dict(sorted(out.items()))


@functools.lru_cache(maxsize=1)
def geocoding_levels() -> list[str]:
    """Codes of the political geocoding levels (``municipality``, …)."""
    text = (VOCAB / "dcat-ap-de-politicalGeocoding-Level-1_0.ttl").read_text(encoding="utf-8")
    return re.findall(re.escape(GEOCODING_LEVEL) + r"(\w+)>", text)


@functools.lru_cache(maxsize=1)
def license_labels() -> dict[str, list[str]]:
    """Licence id → what names it in the dcat-ap.de list: its labels
    (preferred and alternative, any language) and the licence's own web
    page (``https://www.govdata.de/dl-de/by-2-0``)."""
    import rdflib
    from rdflib.namespace import FOAF, SKOS

    graph = rdflib.Graph().parse(VOCAB / "dcat-ap-de-licenses-20200715.rdf", format="xml")
    out: dict[str, list[str]] = {}
    for concept in set(graph.subjects(SKOS.inScheme, rdflib.URIRef(LICENSES.rstrip("/")))):
        if not str(concept).startswith(LICENSES):
            continue
        names = [str(v) for pred in (SKOS.prefLabel, SKOS.altLabel, FOAF.homepage)
                 for v in graph.objects(concept, pred)]
        out[str(concept)[len(LICENSES):]] = names
    return out


@functools.lru_cache(maxsize=None)
def eu_table(filename: str, base: str) -> dict[str, dict[str, str]]:
    """Codes of a shipped EU table (e.g. ``eu-file-type-20221214-0.ttl``)
    → their labels by language, so records harvested with codes beyond the
    curated form lists still validate."""
    import rdflib
    from rdflib.namespace import SKOS

    graph = rdflib.Graph().parse(VOCAB / filename, format="turtle")
    out: dict[str, dict[str, str]] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        text = str(concept)
        if text.startswith(base):
            out.setdefault(text[len(base):], {})[label.language or ""] = str(label)
    return dict(sorted(out.items()))


FILE_TYPE_TABLE = "eu-file-type-20221214-0.ttl"
FREQUENCY_TABLE = "eu-frequency-20220615-0-plus.ttl"
THEME_TABLE = "eu-data-theme-20220715-0.ttl"
ACCESS_RIGHT_TABLE = "eu-access-right-20220316-0.ttl"
# Further ISO 639-2/B codes of the EU language table offered after DEU/ENG
# (the table itself has no offline copy).
MORE_LANGUAGES = {
    "FRA": ("Französisch", "French"), "POL": ("Polnisch", "Polish"), "CES": ("Tschechisch", "Czech"),
    "ITA": ("Italienisch", "Italian"), "SPA": ("Spanisch", "Spanish"), "NLD": ("Niederländisch", "Dutch"),
    "DAN": ("Dänisch", "Danish"), "SWE": ("Schwedisch", "Swedish"), "UKR": ("Ukrainisch", "Ukrainian"),
    "RUS": ("Russisch", "Russian"), "TUR": ("Türkisch", "Turkish"), "ARA": ("Arabisch", "Arabic"),
    "HSB": ("Obersorbisch", "Upper Sorbian"), "DSB": ("Niedersorbisch", "Lower Sorbian"),
    "MUL": ("mehrsprachig", "multiple languages"), "ZXX": ("kein sprachlicher Inhalt", "no linguistic content"),
}
