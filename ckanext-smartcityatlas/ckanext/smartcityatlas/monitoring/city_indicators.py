# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city's own indicators, from a DataStore table without code.

``ckanext.smartcityatlas.monitor.city_indicators`` names a DataStore
resource (id or alias) with the columns ``indicator_id``, ``title_de``,
``title_en``, ``unit``, ``period``, ``value`` and ``source``: one row per
indicator and quarter (``period`` as ``2026-Q3``/``2026 Q3`` or a date
``YYYY-MM-DD``, which counts for its quarter). The table is read as an
anonymous visitor reads it (a private table shows nothing). A row that does
not fit is skipped and reported with its number and field, never an error
of the page; an indicator's current value is its latest quarter's. The
problems' messages are English msgids, translated when the monitor is
shown (``translated``): the computed monitor is cached for every language.
"""
from __future__ import annotations

import datetime
import logging
import math
import re

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.monitoring import indicator_history
from ckanext.smartcityatlas.monitoring.portal_figures import public_context

log = logging.getLogger(__name__)

OPTION = "ckanext.smartcityatlas.monitor.city_indicators"
COLUMNS = ("indicator_id", "title_de", "title_en", "unit", "period", "value", "source")
MAX_ROWS = 5000
MAX_TEXT = 300
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
QUARTER_PATTERN = re.compile(r"\s*(\d{4})\s*[- ]?\s*Q([1-4])\s*", re.I)


def _(message: str) -> str:
    """Marks a problem message for the catalogue (deploy/lib/i18n.py); ``translated`` translates it."""
    return message


def translated(problems: list[dict]) -> list[dict]:
    """The problems with their messages in the visitor's language."""
    return [{**problem, "message": tk._(problem["message"])} for problem in problems]


def _period(value) -> dict | None:
    """The quarter of a period cell: {label, start, end}, or None."""
    text = str(value if value is not None else "")
    match = QUARTER_PATTERN.fullmatch(text)
    try:
        if match:
            year, quarter = int(match.group(1)), int(match.group(2))
            day = datetime.date(year, 3 * quarter, 1)
        else:
            day = datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
    if not 1900 <= day.year <= 2999:
        return None
    return indicator_history.quarter_of(day)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value) -> str:
    return str(value).strip()[:MAX_TEXT] if value is not None else ""


def check_row(number: int, row: dict, builtin_ids: set[str]) -> tuple[dict | None, list[dict]]:
    """One table row as {id, title, unit, source, period, value}, or the problems found."""
    problems = []

    def problem(field: str, message: str):
        problems.append({"row": number, "field": field, "message": message})

    ident = _text(row.get("indicator_id"))
    if not ID_PATTERN.fullmatch(ident):
        problem("indicator_id", _("lower-case letters, digits, - and _, at most 60 characters"))
    elif ident in builtin_ids:
        problem("indicator_id", _("the id of a built-in indicator"))
    if not _text(row.get("title_de")):
        problem("title_de", _("missing"))
    period = _period(row.get("period"))
    if period is None:
        problem("period", _("a quarter (2026-Q3) or a date (YYYY-MM-DD)"))
    value = _number(row.get("value"))
    if value is None:
        problem("value", _("a number"))
    if problems:
        return None, problems
    title_de = _text(row.get("title_de"))
    unit = _text(row.get("unit"))
    return {"id": ident, "title": {"de": title_de, "en": _text(row.get("title_en")) or title_de},
            "unit": {"de": unit, "en": unit}, "source": _text(row.get("source")),
            "period": period, "value": value}, []


def configured() -> str:
    return (tk.config.get(OPTION) or "").strip()


def read(builtin_ids: set[str]) -> tuple[list[dict], list[dict]]:
    """The city's indicators ({definition, history: {period label: value}})
    and the problems of the table ([{row, field, message}])."""
    resource = configured()
    if not resource:
        return [], []
    if not p.plugin_loaded("datastore"):
        return [], [{"row": None, "field": OPTION, "message": _("the DataStore is not enabled")}]
    try:
        found = tk.get_action("datastore_search")(public_context(), {
            "resource_id": resource, "limit": MAX_ROWS, "sort": "_id"})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as exc:
        log.warning("monitor: city indicators %s not readable: %s", resource, exc)
        return [], [{"row": None, "field": OPTION, "message": _("the table is missing or not public")}]
    missing = [c for c in COLUMNS if c not in {f["id"] for f in found.get("fields", [])}]
    if missing:
        return [], [{"row": None, "field": c, "message": _("column missing")} for c in missing]
    by_id: dict[str, dict] = {}
    problems: list[dict] = []
    for number, row in enumerate(found["records"], start=1):
        checked, found_problems = check_row(number, row, builtin_ids)
        problems.extend(found_problems)
        if checked is None:
            continue
        entry = by_id.setdefault(checked["id"], {
            "id": checked["id"], "title": checked["title"], "unit": checked["unit"], "origin": "city",
            "formula": {"de": "", "en": ""}, "source": {"de": checked["source"], "en": checked["source"]},
            "update": {"de": "Von der Stadt in der DataStore-Tabelle gepflegt.",
                       "en": "Maintained by the city in the DataStore table."},
            "history": {}})
        # a later row of the same quarter replaces an earlier one
        entry["history"][checked["period"]["label"]] = {"value": checked["value"], "end": checked["period"]["end"]}
    return list(by_id.values()), problems
