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
    _ensure_data_contact(folder or loader.demo_folder())


def _ensure_data_contact(folder: Path) -> None:
    from ckanext.smartcityatlas.demo import accounts, loader

    offices = [d["owner_org"] for d in loader.read_datasets(folder) if d.get("owner_org")]
    if not offices:
        return
    password = accounts.ensure_data_contact(offices[0])
    if password:
        click.echo(f"Created the demo data contact '{accounts.NAME}' (editor of {offices[0]}) with password: "
                   f"{password}")
        click.echo("This password is shown only once (reset: ckan user setpass).")
    else:
        click.echo(f"Demo data contact '{accounts.NAME}' (editor of {offices[0]}) exists; password unchanged.")
