# SPDX-License-Identifier: AGPL-3.0-or-later
"""The quality score of a dataset: a points table modelled on the EU
metadata quality assessment (data.europa.eu MQA) plus currency.

Each criterion has a dimension, its points, a German and English label and
the fix a data contact can make. ``docs/quality-score.md`` shows the same
table (a test keeps them in step). The score is computed when a record is
saved (after its DCAT-AP.de validation, whose findings give the
"DCAT-AP.de" criterion) and stored; pages never recompute it.

Where the MQA checks HTTP status codes of the access URLs, the "Access URL"
criterion counts a resource whose URL failed the link checker's last check
(``link_check``) as one without a working URL.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
from typing import Callable

from ckanext.smartcityatlas.dcat import vocab

# EU file types that are open (non-proprietary) and machine-readable, after
# the MQA's own lists, restricted to the formats the dataset form offers.
NON_PROPRIETARY = {"CSV", "JSON", "GEOJSON", "XML", "RDF_XML", "RDF_TURTLE", "JSON_LD", "ODS", "ODT",
                   "TXT", "HTML", "GPKG", "KML", "GML", "WMS_SRVC", "WFS_SRVC", "GTFS", "PNG", "TIFF",
                   "SPARQLQ", "ZIP", "PDF"}
MACHINE_READABLE = {"CSV", "JSON", "GEOJSON", "XML", "RDF_XML", "RDF_TURTLE", "JSON_LD", "XLSX", "XLS",
                    "ODS", "GPKG", "KML", "GML", "WMS_SRVC", "WFS_SRVC", "GTFS", "SHP", "SPARQLQ"}
# Days after which a dataset with this EU frequency is due again. Codes
# without a period (irregular, unknown, never, as needed …) never go stale.
PERIOD_DAYS = {
    "CONT": 1, "UPDATE_CONT": 1, "HOURLY": 1, "DAILY": 1, "DAILY_2": 1, "WEEKLY": 7, "WEEKLY_2": 7,
    "WEEKLY_3": 7, "BIWEEKLY": 14, "MONTHLY": 31, "MONTHLY_2": 31, "MONTHLY_3": 31,
    "BIMONTHLY": 62, "QUARTERLY": 92, "ANNUAL_3": 122, "ANNUAL_2": 183, "ANNUAL": 366,
    "BIENNIAL": 731, "TRIENNIAL": 1096, "QUADRENNIAL": 1461, "QUINQUENNIAL": 1827,
    "DECENNIAL": 3653, "BIDECENNIAL": 7305, "TRIDECENNIAL": 10958,
}
# a dataset is stale once this many periods passed since its last update
STALE_AFTER_PERIODS = 1.5
DIMENSIONS = {
    "findability": ("Auffindbarkeit", "Findability"),
    "accessibility": ("Zugänglichkeit", "Accessibility"),
    "interoperability": ("Interoperabilität", "Interoperability"),
    "reusability": ("Wiederverwendbarkeit", "Reusability"),
    "contextuality": ("Kontext", "Contextuality"),
    "currency": ("Aktualität", "Currency"),
}
RATINGS = ((87, "excellent"), (55, "good"), (30, "sufficient"), (0, "bad"))


def rating(value: int) -> str:
    """The rating of a 0–100 score."""
    return next(name for threshold, name in RATINGS if value >= threshold)


@dataclasses.dataclass(frozen=True)
class Record:
    """What the criteria look at: the dataset dict, its stored DCAT-AP.de
    findings, the contact of its organisation, and the time of scoring."""
    pkg: dict
    findings: dict | None
    org_contact: bool
    now: datetime.datetime
    # ids of resources whose URL failed the last link check
    broken: frozenset = frozenset()

    @property
    def resources(self) -> list[dict]:
        return self.pkg.get("resources") or []

    def formats(self) -> set[str]:
        return {_format_code(res.get("format")) for res in self.resources} - {None}


@dataclasses.dataclass(frozen=True)
class Criterion:
    id: str
    dimension: str
    points: int
    label: tuple[str, str]
    fix: tuple[str, str]
    # the form field the fix is made in (for links from the feedback box)
    field: str
    check: Callable[[Record], bool]


def _all_resources(key: str) -> Callable[[Record], bool]:
    return lambda r: bool(r.resources) and all(res.get(key) for res in r.resources)


@functools.lru_cache(maxsize=1)
def _eu_file_types() -> frozenset[str]:
    return frozenset(vocab.eu_table(vocab.FILE_TYPE_TABLE, vocab.FILE_TYPE))


def _format_code(label: str | None) -> str | None:
    file_type, _media = vocab.format_iris(label)
    return file_type.rsplit("/", 1)[-1] if file_type else None


def _media_type_given(res: dict) -> bool:
    """A media type, or a format of the vocabulary with none registered at
    IANA (WMS, SHP …)."""
    if res.get("mimetype"):
        return True
    return _format_code(res.get("format")) in _eu_file_types()


def last_update(pkg: dict) -> datetime.datetime | None:
    """When the data last changed: the declared ``modified``, else the
    record's own modification time."""
    for key in ("modified", "metadata_modified"):
        value = pkg.get(key)
        if not value:
            continue
        try:
            parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            continue
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return parsed
    return None


def is_stale(pkg: dict, now: datetime.datetime) -> bool:
    period = PERIOD_DAYS.get(pkg.get("frequency") or "")
    updated = last_update(pkg)
    if period is None or updated is None:
        return False
    return now - updated > datetime.timedelta(days=period * STALE_AFTER_PERIODS)


def _dcat_conforms(r: Record) -> bool:
    return bool(r.findings) and r.findings.get("status") in ("conforms", "warnings")


CRITERIA: tuple[Criterion, ...] = (
    Criterion("keywords", "findability", 30, ("Schlagwörter", "Keywords"),
              ("Mindestens ein Schlagwort angeben.", "Add at least one keyword."),
              "tag_string", lambda r: bool(r.pkg.get("tags"))),
    Criterion("themes", "findability", 30, ("Kategorien", "Categories"),
              ("Mindestens eine Kategorie (EU-Datenthema) wählen.", "Choose at least one category (EU data theme)."),
              "theme", lambda r: bool(r.pkg.get("theme"))),
    Criterion("spatial", "findability", 20, ("Räumlicher Bezug", "Spatial coverage"),
              ("Das Gebiet angeben, das die Daten abdecken (Geometrie, Name oder IRI).",
               "State the area the data covers (geometry, name or IRI)."),
              "spatial", lambda r: any(r.pkg.get(k) for k in ("spatial", "spatial_text", "spatial_uri"))),
    Criterion("temporal", "findability", 20, ("Zeitlicher Bezug", "Temporal coverage"),
              ("Den Zeitraum angeben, den die Daten abdecken.", "State the period the data covers."),
              "temporal_start", lambda r: bool(r.pkg.get("temporal_start") or r.pkg.get("temporal_end"))),
    Criterion("access_url", "accessibility", 50, ("Zugangs-URL", "Access URL"),
              ("Jeder Ressource eine erreichbare URL geben (die Linkprüfung meldet defekte Links).",
               "Give every resource a URL that works (the link checker reports broken links)."),
              "resources", lambda r: _all_resources("url")(r) and not any(
                  res.get("id") in r.broken for res in r.resources)),
    Criterion("download_url", "accessibility", 20, ("Download-URL", "Download URL"),
              ("Bei jeder Ressource die direkte Download-URL eintragen.", "Enter the direct download URL of every resource."),
              "resources", _all_resources("download_url")),
    Criterion("format", "interoperability", 20, ("Format", "Format"),
              ("Bei jeder Ressource das Format angeben.", "State the format of every resource."),
              "resources", _all_resources("format")),
    Criterion("media_type", "interoperability", 10, ("Medientyp", "Media type"),
              ("Bei jeder Ressource den Medientyp angeben (wird aus dem Format abgeleitet, wenn bekannt).",
               "State the media type of every resource (derived from the format where known)."),
              "resources", lambda r: bool(r.resources) and all(_media_type_given(res) for res in r.resources)),
    Criterion("format_vocabulary", "interoperability", 10, ("Format aus dem Vokabular", "Format from the vocabulary"),
              ("Formate aus der Liste der EU-Dateitypen wählen.", "Choose formats from the EU file-type list."),
              "resources", lambda r: bool(r.resources) and all(
                  _format_code(res.get("format")) in _eu_file_types() for res in r.resources)),
    Criterion("non_proprietary", "interoperability", 20, ("Offenes Format", "Non-proprietary format"),
              ("Mindestens eine Ressource in einem offenen Format anbieten (z. B. CSV statt XLSX).",
               "Offer at least one resource in an open format (e.g. CSV instead of XLSX)."),
              "resources", lambda r: bool(r.formats() & NON_PROPRIETARY)),
    Criterion("machine_readable", "interoperability", 20, ("Maschinenlesbar", "Machine-readable"),
              ("Mindestens eine Ressource maschinenlesbar anbieten (z. B. CSV, JSON, GeoJSON statt PDF).",
               "Offer at least one machine-readable resource (e.g. CSV, JSON, GeoJSON instead of PDF)."),
              "resources", lambda r: bool(r.formats() & MACHINE_READABLE)),
    Criterion("dcat_ap_de", "interoperability", 30, ("DCAT-AP.de-konform", "DCAT-AP.de compliant"),
              ("Die Verstöße der DCAT-AP.de-Prüfung beheben (siehe Prüfergebnis).",
               "Fix the violations of the DCAT-AP.de check (see the findings)."),
              "", _dcat_conforms),
    Criterion("license", "reusability", 20, ("Lizenz", "Licence"),
              ("Eine Lizenz angeben.", "State a licence."),
              "license_id", lambda r: bool(r.pkg.get("license_id"))),
    Criterion("license_vocabulary", "reusability", 10, ("Lizenz aus dem Vokabular", "Licence from the vocabulary"),
              ("Eine Lizenz aus der dcat-ap.de-Lizenzliste wählen.", "Choose a licence from the dcat-ap.de list."),
              "license_id", lambda r: bool(vocab.license_iri(r.pkg.get("license_id")))),
    Criterion("access_rights", "reusability", 10, ("Zugangsbeschränkung", "Access rights"),
              ("Angeben, ob der Zugang öffentlich oder eingeschränkt ist.", "State whether access is public or restricted."),
              "access_rights", lambda r: bool(r.pkg.get("access_rights"))),
    Criterion("contact_point", "reusability", 20, ("Kontaktstelle", "Contact point"),
              ("Eine Funktionsadresse als Kontakt angeben (beim Datensatz oder bei der Organisation).",
               "Give a functional contact address (on the dataset or its organisation)."),
              "contact_email", lambda r: bool(r.pkg.get("contact_email") or r.pkg.get("contact_url") or r.org_contact)),
    Criterion("publisher", "reusability", 10, ("Veröffentlichende Stelle", "Publisher"),
              ("Organisation oder veröffentlichende Stelle angeben.", "State the organisation or publisher."),
              "owner_org", lambda r: bool(r.pkg.get("owner_org") or r.pkg.get("publisher_name"))),
    Criterion("attribution", "contextuality", 5, ("Namensnennung", "Attribution"),
              ("Den Namensnennungstext für die Lizenz angeben.", "Enter the attribution text for the licence."),
              "license_attribution", lambda r: bool(r.pkg.get("license_attribution"))),
    Criterion("byte_size", "contextuality", 5, ("Dateigröße", "File size"),
              ("Bei jeder Ressource die Größe in Bytes angeben.", "State the size in bytes of every resource."),
              "resources", _all_resources("size")),
    Criterion("issued", "contextuality", 5, ("Veröffentlichungsdatum", "Issue date"),
              ("Das Datum der ersten Veröffentlichung angeben.", "State the date of first publication."),
              "issued", lambda r: bool(r.pkg.get("issued"))),
    Criterion("modified", "contextuality", 5, ("Änderungsdatum", "Modification date"),
              ("Das Datum der letzten Änderung der Daten angeben.", "State the date the data last changed."),
              "modified", lambda r: bool(r.pkg.get("modified"))),
    Criterion("frequency", "currency", 10, ("Aktualisierungsintervall", "Update frequency"),
              ("Angeben, wie oft die Daten aktualisiert werden.", "State how often the data are updated."),
              "frequency", lambda r: bool(r.pkg.get("frequency"))),
    Criterion("up_to_date", "currency", 20, ("Aktuell", "Up to date"),
              ("Die Daten aktualisieren (das angegebene Intervall ist überschritten) oder das Intervall korrigieren.",
               "Update the data (the declared interval has passed) or correct the interval."),
              "modified", lambda r: not is_stale(r.pkg, r.now)),
)
MAX_POINTS = sum(c.points for c in CRITERIA)


@dataclasses.dataclass
class Score:
    points: int
    max_points: int
    passed: list[str]
    failed: list[str]
    stale: bool
    last_update: datetime.datetime | None
    computed_at: datetime.datetime

    @property
    def score(self) -> int:
        """0–100: the share of the points reached."""
        return round(100 * self.points / self.max_points)

    @property
    def rating(self) -> str:
        return rating(self.score)


def compute(pkg: dict, findings: dict | None, org_contact: bool = False,
            now: datetime.datetime | None = None, broken: frozenset | set = frozenset()) -> Score:
    record = Record(pkg, findings, org_contact, now or datetime.datetime.utcnow(), frozenset(broken))
    passed, failed = [], []
    for criterion in CRITERIA:
        (passed if criterion.check(record) else failed).append(criterion.id)
    points = sum(c.points for c in CRITERIA if c.id in passed)
    return Score(points, MAX_POINTS, passed, failed, is_stale(pkg, record.now), last_update(pkg),
                 record.now)


def criterion(criterion_id: str) -> Criterion:
    return next(c for c in CRITERIA if c.id == criterion_id)
