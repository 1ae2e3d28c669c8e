# SPDX-License-Identifier: AGPL-3.0-or-later
"""The harvesters' two calls into the validation storage.

``quality.dataset_validation`` (validate a dataset dict; store findings on
every save) is the portal's single place for DCAT-AP.de findings. Until it
is installed, the same check runs here: the dict is serialised with our
``dcatap_de`` profile and validated against ``v2.0-spec-konventionen``.
"""
from __future__ import annotations

import dataclasses

PROFILE = "v2.0-spec-konventionen"


@dataclasses.dataclass
class LocalFindings:
    violations: list[dict]
    warnings: list[dict]
    profile: str = PROFILE

    @property
    def conforms(self) -> bool:
        return not self.violations


def _storage():
    try:
        from ckanext.smartcityatlas.quality import dataset_validation
    except ImportError:
        return None
    return dataset_validation


def validate(pkg_dict: dict):
    """Findings (``.violations``, ``.warnings``: lists of dicts) for a dict as package_show returns it."""
    storage = _storage()
    if storage is not None:
        return storage.validate_dataset_dict(pkg_dict)
    from ckanext.dcat.processors import RDFSerializer
    from ckanext.smartcityatlas.dcat import validation

    ttl = RDFSerializer(profiles=["dcatap_de"]).serialize_dataset(pkg_dict, _format="turtle")
    report = validation.validate(ttl, PROFILE)

    def as_dict(r):
        return {"severity": r.severity, "message": r.message, "path": r.path,
                "value": r.value, "focus": r.focus}

    return LocalFindings([as_dict(r) for r in report.violations], [as_dict(r) for r in report.warnings])


def after_save(pkg_dict: dict):
    """Findings of a saved dataset: what the storage stored, or computed now."""
    storage = _storage()
    if storage is not None:
        stored = storage.stored_findings(pkg_dict["id"])
        if stored is not None:
            return LocalFindings(list(stored.get("violations") or []), list(stored.get("warnings") or []),
                                 stored.get("profile") or PROFILE)
    return validate(pkg_dict)


def context_for(findings) -> dict:
    """Action-context entries that hand computed findings to the storage."""
    return {"sca_validation": findings} if findings is not None and _storage() is not None else {}


def describe(finding: dict) -> str:
    path = finding.get("path") or ""
    value = finding.get("value")
    where = path.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if path else ""
    text = finding.get("message") or ""
    return f"{where}: {text}" + (f" ({value})" if value else "") if where else text
