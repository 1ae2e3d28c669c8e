# SPDX-License-Identifier: AGPL-3.0-or-later
"""The harvesters' calls into the validation storage
(``quality.conformance``, the portal's one place for DCAT-AP.de findings)
and into the on-save checks (``quality.record_checks``).

The base saves with ``DEFER_CHECKS`` and runs the on-save checks itself
(``check_saved``) on the dict it reads after the save for the search index:
the same checks on the same dict as the action's hook would run, in the same
transaction, without the hook's own package_show.

Findings computed before a save (strictness ``reject_violations``) are not
handed to the save as ``context["sca_validation"]``: they describe the dict
before CKAN's validation filled it in, and the stored findings must describe
the saved record, so the save validates once more (about a millisecond).
"""
from __future__ import annotations

from ckanext.smartcityatlas.harvesters import worker as harvest_worker
from ckanext.smartcityatlas.quality import record_checks
from ckanext.smartcityatlas.quality import conformance

# in the context of a harvester's package_create/package_update: the save
# leaves the on-save checks to ``check_saved`` (record_checks.DEFER)
DEFER_CHECKS = record_checks.DEFER


def validate(pkg_dict: dict) -> conformance.Findings:
    """Findings (``.violations``, ``.warnings``: lists of dicts) for a dict shaped like package_show's."""
    return conformance.validate_dataset_dict(pkg_dict)


def after_save(pkg_dict: dict):
    """Findings of a saved dataset: what the save stored, else computed now."""
    stored = conformance.stored_findings(pkg_dict["id"])
    if stored is not None:
        return _Stored(stored.get("violations") or [], stored.get("warnings") or [])
    return validate(pkg_dict)


def start_checks(pkg_dict: dict, job_id: str | None, harvester=None) -> harvest_worker.Pending | None:
    """Start validating a saved record in the job's worker process
    (``harvesters/worker.py``); hand what this returns to ``check_saved``."""
    if not pkg_dict.get("id") or not record_checks.validates(pkg_dict):
        return None
    return harvest_worker.submit(pkg_dict, job_id, harvester)


def check_saved(pkg_dict: dict, pending: harvest_worker.Pending | None = None):
    """The on-save checks (validation stored, quality score) of a record
    saved with ``DEFER_CHECKS``, run on its package_show dict as saved (and
    validated in the worker if ``start_checks`` started it there); its
    findings as ``after_save`` would read them back, or None when nothing
    was validated (validation on save off, or no DCAT dataset)."""
    fresh = record_checks.check_saved(pkg_dict, pending.result() if pending is not None else None)
    if fresh is None:  # validation on save is off, or no DCAT dataset
        return None
    if fresh.error is not None:  # stored in another shape (the error as a violation)
        return after_save(pkg_dict)
    return _Stored(fresh.violations, fresh.warnings)


class _Stored:
    def __init__(self, violations: list[dict], warnings: list[dict]):
        self.violations = violations
        self.warnings = warnings


def describe(finding: dict) -> str:
    path = (finding.get("path") or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    value = finding.get("value")
    text = finding.get("message") or ""
    if value:
        text += f" ({value})"
    return f"{path}: {text}" if path else text
