# SPDX-License-Identifier: AGPL-3.0-or-later
"""The smart-city monitor as one document: every indicator's definition,
current value, breakdown and quarterly history (``sca_monitor_show``).

History per quarter, in this order: the stored snapshot
(``indicator_history``, ``demo`` when the demo loaded it); for the
status indicators, else the status at the quarter's end from the projects'
status history; the current quarter always shows the current value.

Cached in Redis (``common/response_cache``) for
``ckanext.smartcityatlas.monitor.cache_seconds``: the key holds the index
version (any saved, deleted or re-permissioned record makes a new key) and
the history's version (a snapshot makes a new key); figures that change
without either (data requests, DataStore rows, the city's table) are at
most that old.
"""
from __future__ import annotations

import datetime
import json

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import response_cache
from ckanext.smartcityatlas.monitoring import city_indicators, indicator_history, indicators, overview, status_store

CACHE_OPTION = "ckanext.smartcityatlas.monitor.cache_seconds"
VIEW_NOTE = {"de": "Öffentliche Sicht: gezählt wird nur, was alle Besucherinnen und Besucher sehen können.",
             "en": "Public view: only what every visitor can see is counted."}


def _status_trend(projects: list[dict], quarters: list[dict]) -> dict[str, dict[str, float | None]]:
    """{indicator id: {period: value}} of the status indicators at each
    quarter's end, from the status history of today's public projects."""
    timelines = status_store.timelines([p["id"] for p in projects])
    out: dict[str, dict[str, float | None]] = {"measures_implemented": {}, "projects_by_status": {}}
    for q in quarters:
        statuses = []
        for pkg in projects:
            status = overview.status_at(timelines.get(pkg["id"]) or [], q["end"])
            if status:
                statuses.append((pkg.get("project_kind"), status))
        measures = [s for kind, s in statuses if kind == "measure"]
        implemented = sum(1 for s in measures if s in indicators.IMPLEMENTED)
        out["measures_implemented"][q["label"]] = indicators.share(implemented, len(measures))
        out["projects_by_status"][q["label"]] = len(statuses) or None
    return out


def _history(indicator_id: str, quarters: list[dict], stored: dict, derived: dict, current) -> list[dict]:
    out = []
    for i, q in enumerate(quarters):
        row = stored.get(q["label"])
        if i == len(quarters) - 1:
            entry = {"value": current, "origin": "current"}
        elif row is not None:
            entry = {"value": row["value"], "origin": row["origin"]}
        elif derived.get(q["label"]) is not None:
            entry = {"value": derived[q["label"]], "origin": "status_history"}
        else:
            entry = {"value": None, "origin": None}
        out.append({"period": q["label"], "end": q["end"].isoformat(), **entry})
    return out


def _city_history(entry: dict, quarters: list[dict]) -> list[dict]:
    return [{"period": q["label"], "end": q["end"].isoformat(),
             "value": entry["history"].get(q["label"], {}).get("value"),
             "origin": "city" if q["label"] in entry["history"] else None} for q in quarters]


def build(quarters_back: int, today: datetime.date) -> dict:
    quarters = overview.last_quarters(today, quarters_back)
    reads = indicators.Reads(today)
    stored = indicator_history.rows([q["label"] for q in quarters])
    derived = _status_trend(reads.projects, quarters[:-1])
    out = []
    for indicator in indicators.active():
        value, breakdown = indicator.compute(reads)
        out.append({**indicator.definition(), "value": value, "breakdown": breakdown,
                    "history": _history(indicator.id, quarters, stored.get(indicator.id, {}),
                                        derived.get(indicator.id, {}), value)})
    city, problems = city_indicators.read({i.id for i in indicators.INDICATORS})
    for entry in city:
        latest = max(entry["history"].items(), key=lambda kv: kv[1]["end"])
        out.append({**{k: v for k, v in entry.items() if k != "history"}, "value": latest[1]["value"],
                    "period": latest[0], "breakdown": [], "history": _city_history(entry, quarters)})
    return {"view": "public", "view_note": VIEW_NOTE, "today": today.isoformat(),
            "quarters": [q["label"] for q in quarters], "indicators": out, "problems": problems,
            "demo_history": any(h["origin"] == indicator_history.DEMO for i in out for h in i["history"])}


def show(quarters_back: int, today: datetime.date | None = None) -> dict:
    """The monitor, from the cache when an equal request was answered in
    the last cache_seconds and nothing indexed or snapshotted since."""
    today = today or datetime.date.today()
    ttl = tk.asint(tk.config.get(CACHE_OPTION, 300))
    key = response_cache.key("sca_monitor_show", {"quarters": quarters_back, "today": today.isoformat()}, None,
                             indicator_history.version(), city_indicators.configured())
    body = response_cache.get_or_build(
        key, lambda: json.dumps(build(quarters_back, today), ensure_ascii=False).encode("utf-8"), ttl)
    out = json.loads(body)
    out["problems"] = city_indicators.translated(out["problems"])
    return out
