# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca environment-summary``: the daily summary of every sensor
dataset's hourly district table (``sensors/day_summary.py``), for tables
written before the summary existed; ``deploy/sca up`` runs it."""
from __future__ import annotations

import click

from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.command
@click.command("environment-summary")
@click.option("--all", "everything", is_flag=True, help="Summarise every table anew, not only the missing ones.")
def environment_summary(everything: bool):
    """Summarise the hourly district tables that have no complete daily
    summary yet (with --all: every one). Idempotent; the harvests keep the
    summaries up to date afterwards."""
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.environment import actions
    from ckanext.smartcityatlas.sensors import day_summary, phenomena

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    entries = actions.sources({"user": site, "ignore_auth": True}, tuple(phenomena.phenomena()))
    done = set() if everything else day_summary.complete(e["table"] for e in entries)
    rows = tables = 0
    for entry in entries:
        if entry["table"] in done:
            continue
        rows += day_summary.rebuild(entry["table"], phenomena.phenomena()[entry["phenomenon"]].energetic)
        tables += 1
    click.echo(f"environment summary: {tables} tables summarised ({rows} rows), {len(done)} already complete")
