# SPDX-License-Identifier: AGPL-3.0-or-later
"""The status history of a project and the monitoring of the measures."""
from __future__ import annotations

import datetime
import json

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.monitoring import monitor, overview, schema, status_store
from ckanext.smartcityatlas.capability import Registry

register = Registry()

MAX_MEASURES = 1000


@register.action
@tk.side_effect_free
@validated(schema.sca_status_history)
def sca_status_history(context, data_dict):
    """The status timeline of a project: ``id`` (id or URL name). Each entry:
    status, effective_date (from when it holds), recorded_at, source."""
    tk.check_access("sca_status_history", context, data_dict)
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    if pkg.get("type") != "project":
        raise tk.ValidationError({"id": [tk._("Not a project")]})
    rows = status_store.timeline(pkg["id"])
    if not rows and pkg.get("status"):  # saved before the history existed
        rows = [{"status": pkg["status"], "effective_date": pkg.get("status_updated"), "recorded_at": None,
                 "source": ""}]
    return [{"status": r["status"], "effective_date": _iso(r["effective_date"]),
             "recorded_at": _iso(r["recorded_at"]), "source": r["source"] or ""} for r in rows]


def _iso(value):
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


@register.action
@tk.side_effect_free
@validated(schema.sca_monitoring)
def sca_monitoring(context, data_dict):
    """The measures the caller may see with current status, last update and
    the status at the end of each of the last ``quarters`` (1–20, default 8)
    up to the quarter of ``today`` (YYYY-MM-DD, default: today)."""
    tk.check_access("sca_monitoring", context, data_dict)
    found = tk.get_action("package_search")(dict(context), {
        "fq": "+dataset_type:project +project_kind:measure", "rows": MAX_MEASURES, "include_private": True,
        "sort": "title_string asc"})
    measures = found["results"]
    counts = _project_counts(context, [m["id"] for m in measures])
    today = data_dict.get("today") or datetime.date.today()
    return overview.overview(measures, status_store.timelines([m["id"] for m in measures]), counts,
                               overview.last_quarters(today, data_dict["quarters"]))


def _project_counts(context, measure_ids: list[str]) -> dict[str, int]:
    if not measure_ids:
        return {}
    found = tk.get_action("package_search")(dict(context), {
        "fq": "+dataset_type:project", "rows": 0, "include_private": True,
        "facet.field": json.dumps(["sca_measure_id"]), "facet.limit": -1})
    facets = (found.get("search_facets") or {}).get("sca_measure_id", {}).get("items", [])
    return {item["name"]: item["count"] for item in facets}


@register.action
@tk.side_effect_free
@validated(schema.sca_monitor_show)
def sca_monitor_show(context, data_dict):
    """The smart-city monitor: every indicator (CITYkeys-style, computed from
    the portal, and the city's own from its DataStore table) with id, title,
    unit, formula, source, update rule, current value, breakdown and the
    value of each of the last ``quarters`` (1–20, default 8) up to the
    quarter of ``today`` (YYYY-MM-DD, default: today). Always the public
    view: private records are never counted, whoever asks. ``problems``
    lists rows of the city's table that were skipped."""
    tk.check_access("sca_monitor_show", context, data_dict)
    return monitor.show(data_dict["quarters"], data_dict.get("today"))
