# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schema of the environment dashboard's action (input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import (Field, integer, iso_date, one_of, optional, text,
                                                        unknown_ignored)
from ckanext.smartcityatlas.environment.figures import PHENOMENA

# the longest period one request may ask for (a year and a leap day)
MAX_DAYS = 366
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def sca_environment_show() -> dict:
    return {
        "district": Field("only this district (its name as in the city's outlines); default: all districts",
                          optional, text(200)),
        "year": Field(f"a calendar year {EARLIEST_YEAR}–{LATEST_YEAR} (default: the year of the newest "
                      "values); ignored when start and end are given", optional,
                      integer(EARLIEST_YEAR, LATEST_YEAR)),
        "start": Field(f"first local day of the period (YYYY-MM-DD), with end; at most {MAX_DAYS} days",
                       optional, iso_date),
        "end": Field("last local day of the period (YYYY-MM-DD), with start", optional, iso_date),
        "phenomenon": Field(f"only one of {', '.join(PHENOMENA)} (default: all)", optional, one_of(PHENOMENA)),
        "__extras": [unknown_ignored],
    }
