# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest commands under ``ckan sca``."""
import click


@click.command("harvest-consumer")
@click.argument("kind", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(kind: str):
    """Run the harvest gather or fetch consumer (idle-safe with redis-py 8)."""
    from ckanext.smartcityatlas.harvest import consumers

    consumers.run(kind)
