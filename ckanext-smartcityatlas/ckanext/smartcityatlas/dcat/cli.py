# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca opendata-regenerate``, ``dcat-validate`` and ``dcat-records``."""
import sys

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("opendata-regenerate")
def opendata_regenerate():
    """Rewrite the atlas open-data files and datasets now (the worker does this on changes)."""
    from ckanext.smartcityatlas.dcat import opendata

    for name in opendata.regenerate():
        click.echo(f"atlas open data: {name}")


@register.command
@click.command("dcat-validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--profile", default="v2.0-spec-konventionen", show_default=True,
              type=click.Choice(["v2.0-spec", "v2.0-spec-konventionen", "v3.0-spec"]))
@click.option("--format", "fmt", default="turtle", show_default=True)
def dcat_validate(path, profile, fmt):
    """Validate an RDF file (e.g. a saved /catalog.ttl) against a DCAT-AP.de profile."""
    from ckanext.smartcityatlas.dcat import shacl

    with open(path, encoding="utf-8") as fh:
        report = shacl.validate(fh.read(), profile, fmt)
    click.echo(report.summary())
    sys.exit(0 if report.conforms else 1)


@register.command
@click.command("dcat-records")
@click.argument("what", type=click.Choice(["build", "size", "clear"]))
def dcat_records(what):
    """The stored RDF of each dataset that catalog pages are joined from:
    build it for every dataset now (the worker does this after changes),
    show its size, or clear it (pages build it again on use)."""
    from ckanext.smartcityatlas.dcat import record_store, record_warm

    if what == "build":
        counts = record_warm.build({record_warm.EVERYTHING})
        click.echo(f"DCAT records: {counts['read']} datasets read, {counts['built']} built, "
                   f"{counts['dropped']} texts dropped")
    elif what == "size":
        click.echo(record_store.size())
    else:
        click.echo(f"DCAT records: {record_store.clear()} texts removed")
