# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca validation-refresh``: recompute stored findings and scores."""
from __future__ import annotations

import collections

import click


@click.command("validation-refresh")
@click.argument("ids", nargs=-1)
def validation_refresh(ids: tuple[str, ...]):
    """Validate and score datasets again: all active datasets,
    or the given ids/names (after an upgrade, or after changing
    ckanext.smartcityatlas.validation.profile)."""
    from ckan import model

    from ckanext.smartcityatlas.quality import dataset_validation, record_checks

    query = model.Session.query(model.Package.id).filter(
        model.Package.type.in_(dataset_validation.VALIDATED_TYPES))
    if ids:
        query = query.filter(model.or_(model.Package.id.in_(ids), model.Package.name.in_(ids)))
    else:
        query = query.filter(model.Package.state == "active")
    counts: collections.Counter = collections.Counter()
    for (package_id,) in query.all():
        findings, _score = record_checks.recheck(package_id)
        model.Session.commit()
        counts[findings.status] += 1
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no datasets")
