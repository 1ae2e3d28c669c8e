# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca validation-refresh``: recompute stored findings and scores."""
from __future__ import annotations

import collections

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("validation-refresh")
@click.argument("ids", nargs=-1)
def validation_refresh(ids: tuple[str, ...]):
    """Validate and score datasets again: all active datasets,
    or the given ids/names (after an upgrade, or after changing
    ckanext.smartcityatlas.validation.profile)."""
    from ckan import model

    from ckanext.smartcityatlas.quality import record_checks
    from ckanext.smartcityatlas.quality import conformance

    query = model.Session.query(model.Package.id).filter(
        model.Package.type.in_(conformance.VALIDATED_TYPES))
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


@register.command
@click.command("digest-send")
@click.option("--organization", "organization", default=None, help="only this office (name or id)")
@click.option("--force", is_flag=True, help="send now even if no digest is due (still only what is new)")
def digest_send(organization: str | None, force: bool):
    """Send the e-mail digests that are due (the scheduler does this on its own)."""
    from ckanext.smartcityatlas.quality import digest

    for name, outcome in sorted(digest.run(force=force, only=organization).items()):
        click.echo(f"{name}: {outcome}")


@register.command
@click.command("link-check")
@click.option("--limit", type=int, default=None, help="resources to check at most (default: batch_size)")
def link_check_command(limit: int | None):
    """Check the due resource links now (the scheduler does this on its own)."""
    from ckanext.smartcityatlas.quality import link_check

    stats = link_check.run_batch(limit=limit)
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(stats.items())) or "nothing due")
