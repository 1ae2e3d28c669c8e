# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca monitor-demo``: a filled smart-city monitor on the demo portal.

Takes a real snapshot of the current quarter, then gives the seven quarters
before it a demo history (origin ``demo``, labelled as such on the page and
in the API): a steady rise towards today's value. The status indicators get
none: their earlier quarters come from the real status history. A quarter that has a real
snapshot keeps it; running the command again changes nothing else. The
city's own indicators come from a demo DataStore table (``city_indicators.py``).
"""
from __future__ import annotations

import datetime

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()

QUARTERS = 8
# the demo's first quarter starts at this share of today's value
START_SHARE = 0.45


def demo_value(current: float | None, step: int, steps: int) -> float | None:
    """The value ``step`` quarters into the demo history (0 = the oldest),
    rising linearly to ``current`` at ``steps``."""
    if current is None:
        return None
    share = START_SHARE + (1 - START_SHARE) * step / steps
    # counts stay whole numbers
    return float(round(current * share)) if float(current).is_integer() else round(current * share, 1)


def fill(today: datetime.date) -> int:
    """Store the demo history before ``today``'s quarter; returns the rows written."""
    from ckan import model

    from ckanext.smartcityatlas.monitoring import indicator_history, indicators, overview

    indicator_history.snapshot(today)
    quarters = overview.last_quarters(today, QUARTERS)
    past = quarters[:-1]
    stored = indicator_history.rows([q["label"] for q in quarters])
    from_status = {i.id for i in indicators.INDICATORS if i.from_status_history}
    current = {ident: rows[quarters[-1]["label"]]["value"] for ident, rows in stored.items()
               if quarters[-1]["label"] in rows and ident not in from_status
               and rows[quarters[-1]["label"]]["value"] is not None}
    written = 0
    for ident, value in current.items():
        for step, quarter in enumerate(past):
            row = stored.get(ident, {}).get(quarter["label"])
            if row is not None and row["origin"] != indicator_history.DEMO:
                continue
            indicator_history.store(ident, quarter, demo_value(value, step, len(past)), [], indicator_history.DEMO)
            written += 1
    model.Session.commit()
    return written


@register.command
@click.command("monitor-demo")
def monitor_demo():
    """Snapshot the monitor now and add a demo history of earlier quarters (labelled demo), and a
    small demo table of the city's own indicators (city_indicators.py)."""
    from ckanext.smartcityatlas.demo import city_indicators

    today = datetime.date.today()
    rows = city_indicators.ensure(today)
    written = fill(today)
    click.echo(f"monitor demo: {written} demo values of earlier quarters; {rows} rows of demo city indicators "
               f"(DataStore alias {city_indicators.ALIAS})")
