# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schema of ``sca_status_show`` (input_schema.py): no parameters."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import unknown_ignored


def sca_status_show() -> dict:
    return {"__extras": [unknown_ignored]}
