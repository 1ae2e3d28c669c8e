# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca demo-load``"""
from pathlib import Path

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("demo-load")
@click.option("--folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with actors.yaml and projects.yaml (default: the city's demo folder)")
def demo_load(folder):
    """Load the city's demo atlas; unchanged entries are left alone."""
    from ckanext.smartcityatlas.demo import loader

    if folder is None and not loader.demo_folder().exists():
        click.echo("demo atlas: this city has no demo folder")
        return
    report = loader.load(folder)
    click.echo(f"demo atlas: {report.summary()}")
    for name, errors in report.failed.items():
        click.echo(f"  refused {name}: {errors}", err=True)
    if report.failed:
        raise click.exceptions.Exit(1)
