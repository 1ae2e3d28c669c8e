# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the monitoring actions (common/input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import (Field, default, identifier, integer, iso_date, optional,
                                                        required, unknown_ignored)


def _one(description: str) -> dict:
    return {"id": Field(description, required(), identifier()), "__extras": [unknown_ignored]}


def sca_status_history() -> dict:
    return _one("the project's id or URL name")


def sca_monitoring() -> dict:
    return {"quarters": Field("quarters back, 1–20 (default 8)", default(8), integer(1, 20)),
            "today": Field("the quarters run up to this day's (YYYY-MM-DD, 1900–2999; default: today)", optional,
                           iso_date),
            "__extras": [unknown_ignored]}


def sca_monitor_show() -> dict:
    return {"quarters": Field("quarters of history, 1–20 (default 8), the current one last", default(8),
                              integer(1, 20)),
            "today": Field("the quarters run up to this day's (YYYY-MM-DD, 1900–2999; default: today)", optional,
                           iso_date),
            "__extras": [unknown_ignored]}
