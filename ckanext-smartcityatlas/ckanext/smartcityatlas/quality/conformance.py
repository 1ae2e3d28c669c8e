# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every dataset is validated against DCAT-AP.de when it is saved.

However a record was made (form, API, harvester), ``after_dataset_create``
and ``after_dataset_update`` (``record_checks``) serialise it with the portal's RDF profile
(``ckanext.dcat.rdf.profiles``, i.e. what ``/dataset/<id>.ttl`` publishes)
and validate it offline (``dcat.validation``), adding what a harvested
record lacks or lost at its import (``dcat.import_flags``). The findings are stored in
the same transaction as the record (``validation_store``), so they are never
older than the record, and read by ``sca_validation_show`` and the data
contacts' workspace.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import logging

import rdflib

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.dcat import import_flags, shacl
from ckanext.smartcityatlas.quality import conformance_store

log = logging.getLogger(__name__)

# only DCAT datasets: actors, projects and harvest sources are no dcat:Dataset
VALIDATED_TYPES = ("dataset",)
# readable paths in findings (dct:license instead of the full IRI)
PREFIXES = {
    "http://purl.org/dc/terms/": "dct:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://dcat-ap.de/def/dcatde/": "dcatde:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/2006/vcard/ns#": "vcard:",
    "http://www.w3.org/ns/adms#": "adms:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://spdx.org/rdf/terms#": "spdx:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/ns/locn#": "locn:",
    "http://data.europa.eu/r5r/": "dcatap:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2002/07/owl#": "owl:",
}


@dataclasses.dataclass
class Findings:
    profile: str
    computed_at: datetime.datetime
    results: list[dict]
    # set when the record could not be serialised or validated at all
    error: str | None = None

    @property
    def violations(self) -> list[dict]:
        return [r for r in self.results if r["severity"] == "Violation"]

    @property
    def warnings(self) -> list[dict]:
        return [r for r in self.results if r["severity"] == "Warning"]

    @property
    def conforms(self) -> bool:
        return self.error is None and not self.violations

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.violations:
            return "violations"
        return "warnings" if self.warnings else "conforms"


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.smartcityatlas.validation.on_save"))


def profile_name() -> str:
    name = tk.config.get("ckanext.smartcityatlas.validation.profile")
    if name not in shacl.PROFILES:
        raise tk.ValidationError({"ckanext.smartcityatlas.validation.profile": [
            f"unknown profile {name!r}; one of {', '.join(shacl.PROFILES)}"]})
    return name


def applies_to(pkg_dict: dict) -> bool:
    return (pkg_dict.get("type") or "dataset") in VALIDATED_TYPES


def _compact(iri: str) -> str:
    for base, prefix in PREFIXES.items():
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


class _ValidationGraph(rdflib.Graph):
    """A record's graph made only to be validated, never written out: the
    profiles' namespace prefixes (some twenty per record, bound one by one)
    are not needed."""

    def bind(self, *args, **kwargs):
        pass


def _graph(pkg_dict: dict) -> rdflib.Graph:
    serializer = copy.copy(_serializer(tk.config.get("ckanext.dcat.rdf.profiles"),
                                       tk.config.get("ckanext.dcat.compatibility_mode")))
    # a graph of its own for this record; a plain one, as validation takes
    # it (the serializer's ConjunctiveGraph would have to be copied)
    serializer.g = _ValidationGraph()
    serializer.graph_from_dataset(pkg_dict)
    return serializer.g


@functools.lru_cache(maxsize=4)
def _serializer(profiles: str | None, compatibility_mode):
    """ckanext-dcat's serializer with the portal's profiles, made once per
    configuration: loading the profiles looks them up among every installed
    package's entry points (some 10 ms per saved dataset otherwise)."""
    from ckanext.dcat.processors import RDFSerializer

    return RDFSerializer()


def validate_dataset_dict(pkg_dict: dict) -> Findings:
    """Validate a dataset dict as package_show returns it (it needs an
    ``id``: harvesters assign one before creating). Never raises for bad
    records: what cannot be serialised is an ``error`` finding."""
    name = profile_name()
    now = datetime.datetime.utcnow()
    try:
        report = shacl.validate(_graph(pkg_dict), name, scratch=True)
    except Exception as exc:  # a broken record must not break its save
        log.exception("DCAT-AP.de validation of %s failed", pkg_dict.get("id"))
        return Findings(name, now, [], error=f"{type(exc).__name__}: {exc}")
    results = [
        {
            "severity": r.severity,
            "message": r.message,
            "path": _compact(r.path),
            "value": r.value,
            "focus": r.focus,
        }
        for r in report.results
        if r.severity in ("Violation", "Warning")
    ]
    # what a harvested record lacks or lost at its import, for the data contact
    results += import_flags.findings(pkg_dict)
    # stable order: violations first, then by path
    results.sort(key=lambda r: (r["severity"] != "Violation", r["path"], r["message"], r["value"]))
    return Findings(name, now, results)


def package_dict(package_id: str) -> dict:
    """The record as it is now, inside the saving transaction (not the index)."""
    return tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False, "for_view": False}, {"id": package_id})


def store(package_id: str, findings: Findings) -> None:
    results = findings.results
    if findings.error is not None:
        results = [{"severity": "Violation", "message": findings.error, "path": "", "value": "", "focus": ""}]
    conformance_store.save(package_id, findings.profile, findings.status, results, findings.computed_at)


def stored_findings(package_id: str) -> dict | None:
    """What ``sca_validation_show`` returns for a stored record, or None."""
    row = conformance_store.load(package_id)
    if row is None:
        return None
    results = row["results"]
    return {
        "id": package_id,
        "profile": row["profile"],
        "status": row["status"],
        "conforms": row["status"] in ("conforms", "warnings"),
        "computed_at": row["computed_at"].isoformat(),
        "violations": [r for r in results if r["severity"] == "Violation"],
        "warnings": [r for r in results if r["severity"] == "Warning"],
    }
