# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca monitor-snapshot``: store the smart-city monitor's values now."""
from __future__ import annotations

import datetime

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("monitor-snapshot")
def monitor_snapshot():
    """Compute every indicator (public view) and store it as the current
    quarter's value; past quarters stay as they are. The scheduler does this
    once a day on its own."""
    from ckanext.smartcityatlas.monitoring import indicator_history

    today = datetime.date.today()
    stored = indicator_history.snapshot(today)
    click.echo(f"monitor: {stored} indicators stored for {indicator_history.quarter_of(today)['label']}")
