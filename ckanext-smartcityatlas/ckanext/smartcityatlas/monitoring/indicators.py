# SPDX-License-Identifier: AGPL-3.0-or-later
"""The smart-city monitor's indicators, computed from the portal's own data
in the spirit of the CITYkeys indicator framework (docs/monitor.md).

Every indicator has an id, a title, a unit, its formula, its source and its
update rule (German and English), and yields a value and a breakdown
(``[{key, label, value}]``). All figures are the public view
(``portal_figures``): what an anonymous visitor can read, whoever asks, so
the current value and the stored quarterly history are comparable.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import statistics
from typing import Callable

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.monitoring import portal_figures as figures

IMPLEMENTED = ("running", "completed")
ANSWERED = ("published", "declined")
CONFORMING = ("conforms", "warnings")
UPDATE_SNAPSHOT = {
    "de": "Laufend aus dem Portal berechnet; am Quartalsende als Wert des Quartals gespeichert (täglicher Schnappschuss).",
    "en": "Computed from the portal on request; stored as the quarter's value (daily snapshot, the last one of a "
          "quarter stays).",
}
UPDATE_STATUS = {
    "de": "Laufend; frühere Quartale aus der Statushistorie der Einträge, sofern kein Schnappschuss vorliegt.",
    "en": "On request; earlier quarters from the records' status history where no snapshot exists.",
}
DATAREQUEST_LABELS = {"open": {"de": "Offen", "en": "Open"}, "in_review": {"de": "In Prüfung", "en": "In review"},
                      "published": {"de": "Veröffentlicht", "en": "Published"},
                      "declined": {"de": "Abgelehnt", "en": "Declined"}}
VALIDATION_LABELS = {"conforms": {"de": "Konform", "en": "Conforms"},
                     "warnings": {"de": "Konform mit Hinweisen", "en": "Conforms with warnings"},
                     "violations": {"de": "Verstöße", "en": "Violations"},
                     "error": {"de": "Prüfung fehlgeschlagen", "en": "Validation failed"}}


@dataclasses.dataclass(frozen=True)
class Indicator:
    id: str
    title: dict
    unit: dict
    formula: dict
    source: dict
    compute: Callable[["Reads"], tuple[float | None, list[dict]]]
    update: dict = dataclasses.field(default_factory=lambda: UPDATE_SNAPSHOT)
    # the capability the data comes from; the indicator is left out without it
    needs: str | None = None
    # earlier quarters can be derived from the projects' status history
    from_status_history: bool = False

    def definition(self) -> dict:
        return {"id": self.id, "title": self.title, "unit": self.unit, "formula": self.formula,
                "source": self.source, "update": self.update, "origin": "portal"}


def _de_en(de: str, en: str) -> dict:
    return {"de": de, "en": en}


def share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _labelled(counts: dict, labels: dict) -> list[dict]:
    """Breakdown rows, largest first; a key without a label is its own label."""
    return [{"key": key, "label": labels.get(key) or _de_en(key, key), "value": value}
            for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _tally(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


class Reads:
    """The portal data the indicators share, each read once per computation."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or datetime.date.today()

    @functools.cached_property
    def projects(self) -> list[dict]:
        return figures.projects()

    @functools.cached_property
    def measures(self) -> list[dict]:
        return [p for p in self.projects if p.get("project_kind") == "measure"]

    @functools.cached_property
    def datasets(self) -> list[dict]:
        return figures.datasets()

    @functools.cached_property
    def scores(self) -> dict[str, int]:
        return figures.quality_scores([d["id"] for d in self.datasets])

    @functools.cached_property
    def organizations(self) -> dict[str, dict]:
        return {i["name"]: _de_en(i["display_name"], i["display_name"])
                for i in figures.facet_counts("+dataset_type:dataset", "organization")}

    @functools.cached_property
    def datarequests(self) -> list[dict]:
        return figures.datarequests()


def choice_labels(field: str) -> dict:
    from ckanext.smartcityatlas.entities.choices import field_choices

    return {value: label if isinstance(label, dict) else _de_en(label, label)
            for value, label in field_choices(field).items()}


def measures_implemented(reads: Reads):
    by_status = _tally(m.get("status") for m in reads.measures if m.get("status"))
    return share(sum(by_status.get(s, 0) for s in IMPLEMENTED), sum(by_status.values())), \
        _labelled(by_status, choice_labels("status"))


def projects_by_status(reads: Reads):
    by_status = _tally(p.get("status") for p in reads.projects if p.get("status"))
    return sum(by_status.values()), _labelled(by_status, choice_labels("status"))


def fields_of_action(reads: Reads):
    counts = _tally(f for p in reads.projects for f in set(p.get("fields_of_action") or []))
    return len(counts), _labelled(counts, choice_labels("fields_of_action"))


def actors_by_sector(reads: Reads):
    items = figures.facet_counts("+dataset_type:actor", "helix_sector")
    labels = choice_labels("helix_sector")
    return figures.count("+dataset_type:actor"), _labelled({i["name"]: i["count"] for i in items}, labels)


def actor_districts(reads: Reads):
    items = figures.facet_counts("+dataset_type:actor", "sca_district_names")
    return len(items), _labelled({i["name"]: i["count"] for i in items}, {})


def _partner_counts(reads: Reads) -> list[int]:
    return [len(p.get("partners") or []) for p in reads.projects if p.get("project_kind") != "measure"]


def partners_mean(reads: Reads):
    counts = _partner_counts(reads)
    return (round(statistics.fmean(counts), 2) if counts else None), []


def partners_median(reads: Reads):
    counts = _partner_counts(reads)
    return (statistics.median(counts) if counts else None), []


def projects_with_partners(reads: Reads):
    counts = _partner_counts(reads)
    return share(sum(1 for c in counts if c >= 1), len(counts)), []


def open_datasets(reads: Reads):
    counts = _tally(d.get("organization") or "" for d in reads.datasets)
    return len(reads.datasets), _labelled(counts, reads.organizations)


def quality_mean(reads: Reads):
    by_org: dict[str, list[int]] = {}
    for d in reads.datasets:
        if d["id"] in reads.scores:
            by_org.setdefault(d.get("organization") or "", []).append(reads.scores[d["id"]])
    every = [s for scores in by_org.values() for s in scores]
    means = {org: round(statistics.fmean(scores), 1) for org, scores in by_org.items()}
    return (round(statistics.fmean(every), 1) if every else None), _labelled(means, reads.organizations)


def dcat_conformance(reads: Reads):
    statuses = figures.validation_statuses([d["id"] for d in reads.datasets])
    counts = _tally(s for s in statuses.values() if s in VALIDATION_LABELS)
    return share(sum(counts.get(s, 0) for s in CONFORMING), sum(counts.values())), \
        _labelled(counts, VALIDATION_LABELS)


def sensor_coverage(reads: Reads):
    covered = figures.sensor_districts(reads.today)
    total = len(city_config.current().districts)
    return share(len(covered), total), _labelled(covered, {})


def datarequests_answered(reads: Reads):
    counts = _tally(r["status"] for r in reads.datarequests)
    return share(sum(counts.get(s, 0) for s in ANSWERED), sum(counts.values())), \
        _labelled(counts, DATAREQUEST_LABELS)


def datarequests_days(reads: Reads):
    # the first answer: a later edit, or reopening the request, does not move it
    days = [(r["answered"] - r["created"]).total_seconds() / 86400 for r in reads.datarequests
            if r.get("answered") is not None]
    return (round(statistics.median(days), 1) if days else None), []


PERCENT = _de_en("%", "%")
COUNT = _de_en("Anzahl", "count")
FROM_ATLAS = _de_en("Atlas: Projekte und Maßnahmen (öffentliche Einträge)", "Atlas: projects and measures (public records)")
FROM_ACTORS = _de_en("Atlas: Akteure (öffentliche Einträge)", "Atlas: actors (public records)")
FROM_DATASETS = _de_en("Datenkatalog des Portals (öffentliche Datensätze)", "The portal's catalogue (public datasets)")
FROM_DATAREQUESTS = _de_en("Datenwünsche (/datenwuensche)", "Data requests (/datenwuensche)")

INDICATORS = (
    Indicator("measures_implemented", _de_en("Maßnahmen in Umsetzung oder abgeschlossen",
                                             "Measures running or completed"), PERCENT,
              _de_en("Maßnahmen mit Status „laufend“ oder „abgeschlossen“ ÷ alle Maßnahmen × 100; Aufschlüsselung: "
                     "Maßnahmen je Status",
                     "measures with status running or completed ÷ all measures × 100; breakdown: measures per status"),
              FROM_ATLAS, measures_implemented, UPDATE_STATUS, from_status_history=True),
    Indicator("projects_by_status", _de_en("Einträge des Programms (Maßnahmen, Projekte, Aktivitäten)",
                                           "Entries of the programme (measures, projects, activities)"), COUNT,
              _de_en("Anzahl der Projekteinträge mit Status; Aufschlüsselung je Status",
                     "number of project records with a status; breakdown per status"),
              FROM_ATLAS, projects_by_status, UPDATE_STATUS, from_status_history=True),
    Indicator("fields_of_action", _de_en("Handlungsfelder mit Projekten", "Fields of action with projects"),
              _de_en("Handlungsfelder", "fields of action"),
              _de_en("Anzahl der Handlungsfelder mit mindestens einem Eintrag; Aufschlüsselung: Einträge je "
                     "Handlungsfeld (ein Eintrag kann mehreren angehören)",
                     "number of fields of action with at least one record; breakdown: records per field of action "
                     "(a record may belong to several)"), FROM_ATLAS, fields_of_action),
    Indicator("actors_by_sector", _de_en("Akteure", "Actors"), COUNT,
              _de_en("Anzahl der Akteure; Aufschlüsselung je Sektor (Quadruple Helix)",
                     "number of actors; breakdown per sector (quadruple helix)"), FROM_ACTORS, actors_by_sector),
    Indicator("actor_districts", _de_en("Stadtteile mit Akteuren", "Districts with actors"),
              _de_en("Stadtteile", "districts"),
              _de_en("Anzahl der Stadtteile mit mindestens einem Akteur; Aufschlüsselung: Akteure je Stadtteil",
                     "number of districts with at least one actor; breakdown: actors per district"),
              FROM_ACTORS, actor_districts),
    Indicator("partners_per_project_mean", _de_en("Partner je Projekt (Mittelwert)",
                                                  "Partners per project (mean)"),
              _de_en("Partner", "partners"),
              _de_en("Summe der Partner aller Projekte, Aktivitäten und Themen ÷ ihre Anzahl (ohne Maßnahmen)",
                     "sum of the partners of all projects, activities and topics ÷ their number (measures left out)"),
              FROM_ATLAS, partners_mean),
    Indicator("partners_per_project_median", _de_en("Partner je Projekt (Median)", "Partners per project (median)"),
              _de_en("Partner", "partners"),
              _de_en("Median der Partnerzahl der Projekte, Aktivitäten und Themen",
                     "median of the number of partners of projects, activities and topics"),
              FROM_ATLAS, partners_median),
    Indicator("projects_with_partners", _de_en("Projekte mit mindestens einem Partner",
                                               "Projects with at least one partner"), PERCENT,
              _de_en("Projekte mit ≥ 1 Partner ÷ alle Projekte × 100 (ohne Maßnahmen)",
                     "projects with ≥ 1 partner ÷ all projects × 100 (measures left out)"),
              FROM_ATLAS, projects_with_partners),
    Indicator("open_datasets", _de_en("Offene Datensätze", "Open datasets"), COUNT,
              _de_en("Anzahl der öffentlichen Datensätze; Aufschlüsselung je Dienststelle (Organisation)",
                     "number of public datasets; breakdown per office (organisation)"),
              FROM_DATASETS, open_datasets),
    Indicator("dataset_quality", _de_en("Mittlere Qualität der Datensätze", "Mean quality of the datasets"),
              _de_en("Punkte (0–100)", "points (0–100)"),
              _de_en("Mittelwert der gespeicherten Qualitätspunkte der öffentlichen Datensätze; Aufschlüsselung: "
                     "Mittelwert je Dienststelle",
                     "mean of the stored quality scores of the public datasets; breakdown: mean per office"),
              _de_en("Qualitätsprüfung beim Speichern (/dashboard/quality)", "Quality checks on save (/dashboard/quality)"),
              quality_mean, needs="quality"),
    Indicator("dcat_conformance", _de_en("Datensätze konform zu DCAT-AP.de", "Datasets conforming to DCAT-AP.de"),
              PERCENT,
              _de_en("Öffentliche Datensätze ohne Verstöße (konform, auch mit Hinweisen) ÷ geprüfte öffentliche "
                     "Datensätze × 100",
                     "public datasets without violations (conforming, also with warnings) ÷ validated public "
                     "datasets × 100"),
              _de_en("DCAT-AP.de-Prüfung (SHACL) beim Speichern", "DCAT-AP.de validation (SHACL) on save"),
              dcat_conformance, needs="quality"),
    Indicator("sensor_coverage", _de_en("Stadtteile mit aktiven Sensoren", "Districts with active sensors"), PERCENT,
              _de_en(f"Stadtteile mit Tageswerten mindestens eines öffentlichen Sensordatensatzes in den letzten "
                     f"{figures.ACTIVE_DAYS} Tagen ÷ alle Stadtteile × 100",
                     f"districts with daily values of at least one public sensor dataset within the last "
                     f"{figures.ACTIVE_DAYS} days ÷ all districts × 100"),
              _de_en("Sensordatensätze, Tabelle „Tageswerte je Stadtteil“ (DataStore)",
                     "Sensor datasets, table “daily values per district” (DataStore)"),
              sensor_coverage, needs="sensors"),
    Indicator("datarequests_answered", _de_en("Beantwortete Datenwünsche", "Data requests answered"), PERCENT,
              _de_en("Datenwünsche mit Status „veröffentlicht“ oder „abgelehnt“ ÷ alle Datenwünsche × 100",
                     "data requests published or declined ÷ all data requests × 100"),
              FROM_DATAREQUESTS, datarequests_answered, needs="datarequests"),
    Indicator("datarequests_days_to_answer", _de_en("Zeit bis zur Antwort auf Datenwünsche (Median)",
                                                    "Time to answer data requests (median)"),
              _de_en("Tage", "days"),
              _de_en("Median über beantwortete Datenwünsche von (erste Antwort − Eingang) in Tagen",
                     "median over answered data requests of (first answer − received) in days"),
              FROM_DATAREQUESTS, datarequests_days, needs="datarequests"),
)


def active() -> list[Indicator]:
    """The indicators whose capability is on."""
    return [i for i in INDICATORS if i.needs is None or capability.enabled(i.needs)]


def compute(today: datetime.date | None = None) -> list[dict]:
    """Every active indicator's current value and breakdown (public view)."""
    reads = Reads(today)
    out = []
    for indicator in active():
        value, breakdown = indicator.compute(reads)
        out.append({"id": indicator.id, "value": value, "breakdown": breakdown})
    return out
