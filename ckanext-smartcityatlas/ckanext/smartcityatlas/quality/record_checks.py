# SPDX-License-Identifier: AGPL-3.0-or-later
"""What happens to a dataset when it is saved: DCAT-AP.de validation, then
the quality score from the record and the fresh findings. Both are stored in
the saving transaction; the record is read once."""
from __future__ import annotations

import datetime
import logging

from ckan import model

from ckanext.smartcityatlas.quality import dataset_quality, quality_store, score
from ckanext.smartcityatlas.quality import conformance
from ckanext.smartcityatlas.capability import Registry

register = Registry()

log = logging.getLogger(__name__)


# A caller that reads the saved record anyway (the harvesters' base reads it
# for the search index) sets this in the action's context and runs
# ``check_saved`` with that dict in the same transaction: the same checks on
# the same dict, without the hook's own package_show (a dictization and a
# schema validation per saved dataset).
DEFER = "sca_defer_record_checks"


def on_saved(context: dict, data: dict) -> None:
    """after_dataset_create / after_dataset_update."""
    package_id = data.get("id")
    if not package_id or not conformance.applies_to(data) or context.get(DEFER):
        return
    _check(package_id, None, context.pop("sca_validation", None))


def check_saved(pkg: dict, findings: conformance.Findings | None = None
                ) -> conformance.Findings | None:
    """The on-save checks of a record saved with ``DEFER``; ``pkg`` is its
    package_show dict, read after the save, ``findings`` its validation if
    already done (the harvest worker). The fresh findings (None when
    validation on save is off or the record is no DCAT dataset)."""
    if not pkg.get("id") or not conformance.applies_to(pkg):
        return None
    return _check(pkg["id"], pkg, findings)


def validates(pkg: dict) -> bool:
    """Whether the on-save checks validate this record (validation on save
    is on, and it is a DCAT dataset)."""
    return conformance.applies_to(pkg) and conformance.enabled()


def _check(package_id: str, pkg: dict | None, findings) -> conformance.Findings | None:
    fresh = None
    if conformance.enabled():
        if not isinstance(findings, conformance.Findings):
            pkg = pkg or conformance.package_dict(package_id)
            findings = conformance.validate_dataset_dict(pkg)
        conformance.store(package_id, findings)
        status = findings.status
        fresh = findings
    else:
        stored = conformance.stored_findings(package_id)
        status = stored["status"] if stored else None
    dataset_quality.score_and_store(pkg or conformance.package_dict(package_id), status)
    return fresh


@register.periodic_task("quality_staleness")
def refresh_staleness(now: datetime.datetime | None = None) -> int:
    """Scheduler task: staleness changes with time, not only with saves.
    Rescore the datasets whose stale flag flipped; returns how many."""
    now = now or datetime.datetime.utcnow()
    changed = 0
    for package_id, stored_stale, frequency, last_update in quality_store.stale_candidates():
        pkg = {"frequency": frequency, "modified": last_update.isoformat() if last_update else None}
        if score.is_stale(pkg, now) == stored_stale:
            continue
        full = conformance.package_dict(package_id)
        found = conformance.stored_findings(package_id)
        dataset_quality.score_and_store(full, found["status"] if found else None, now)
        changed += 1
    model.Session.commit()
    if changed:
        log.info("quality: %d datasets changed staleness", changed)
    return changed


def recheck(package_id: str) -> tuple[conformance.Findings, score.Score]:
    """Validate and score one dataset again (``ckan sca validation-refresh``)."""
    pkg = conformance.package_dict(package_id)
    findings = conformance.validate_dataset_dict(pkg)
    conformance.store(package_id, findings)
    return findings, dataset_quality.score_and_store(pkg, findings.status)
