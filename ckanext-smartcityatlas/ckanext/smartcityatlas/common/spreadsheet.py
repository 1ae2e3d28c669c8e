# SPDX-License-Identifier: AGPL-3.0-or-later
"""CSV that spreadsheets open safely: one cell rule for every CSV the portal
writes (atlas open data, atlas exports, the quality dashboard)."""
from __future__ import annotations

import csv
import io
from typing import Iterable

# a spreadsheet evaluates cells starting with these (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def csv_cell(value) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula
    (=, +, -, @, tab, CR …) gets a leading apostrophe (OWASP's advice);
    numbers stay numbers."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def german_csv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """``;``-separated with a byte-order mark, as German spreadsheet programs
    expect; the cells are written as given (make record text safe with
    ``csv_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
