# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest commands under ``ckan sca``."""
import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("harvest-consumer")
@click.argument("kind", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(kind: str):
    """Run the harvest gather or fetch consumer (idle-safe with redis-py 8)."""
    from ckanext.smartcityatlas.harvesters import consumers

    consumers.run(kind)


@register.command
@click.command("harvest-report")
@click.argument("job_id")
@click.option("--all", "show_all", is_flag=True, help="also repairs and warnings, not only what needs a person")
def harvest_report(job_id: str, show_all: bool):
    """Print what a harvest job did, record by record (sca_harvest_job_report)."""
    import ckan.plugins.toolkit as tk

    report = tk.get_action("sca_harvest_job_report")({"ignore_auth": True}, {"id": job_id})
    stats = ", ".join(f"{k}: {v}" for k, v in sorted(report["stats"].items()))
    click.echo(f"job {report['job_id']} ({report['status']}): {stats}")
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(report["counts"].items()))
    if counts:
        click.echo(f"notes: {counts}")
    for message in report["gather"]:
        click.echo(f"  {message}")
    attention = ("error", "violation", "degraded", "flagged", "duplicate", "withdrawn", "curated")
    for record in report["records"]:
        notes = [n for n in record["notes"] if show_all or n["kind"] in attention]
        if not notes:
            continue
        click.echo(f"{record['guid']} [{record['status'] or '?'}]")
        for note in notes:
            click.echo(f"  [{note['kind']}] {note['message']}")
