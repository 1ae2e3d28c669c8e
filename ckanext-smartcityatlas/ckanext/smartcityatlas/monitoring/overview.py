# SPDX-License-Identifier: AGPL-3.0-or-later
"""The monitoring of the measures: current status, last update and the
status at the end of each quarter (the strategy's "Monitoring der
Umsetzungsmaßnahmen")."""
from __future__ import annotations

import datetime


def last_quarters(today: datetime.date, count: int) -> list[dict]:
    """The last ``count`` quarters up to today's, oldest first: label, start, end."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = (datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)) \
            - datetime.timedelta(days=1)
        out.append({"label": f"{year} Q{quarter}", "start": start, "end": end})
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return list(reversed(out))


def as_date(value) -> datetime.date | None:
    """A date from a date, a time or an ISO text (its first ten characters)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def status_at(timeline: list[dict], day: datetime.date) -> str | None:
    current = None
    for row in timeline:  # ordered by effective date
        effective = as_date(row["effective_date"])
        if effective is not None and effective <= day:
            current = row["status"]
    return current


def overview(measures: list[dict], timelines: dict[str, list[dict]], project_counts: dict[str, int],
             quarters: list[dict]) -> dict:
    rows = []
    for m in measures:
        timeline = timelines.get(m["id"]) or []
        if not timeline and m.get("status"):
            timeline = [{"status": m["status"], "effective_date": m.get("status_updated")}]
        changes = [as_date(r["effective_date"]) for r in timeline if as_date(r["effective_date"])]
        last_change = max(changes) if changes else None
        rows.append({
            "id": m["id"], "name": m["name"], "title": m["title"], "private": m.get("private", False),
            "status": m.get("status"), "status_updated": m.get("status_updated") or None,
            "last_change": last_change.isoformat() if last_change else None,
            "metadata_modified": m.get("metadata_modified"),
            "projects": project_counts.get(m["id"], 0),
            "quarters": [status_at(timeline, q["end"]) for q in quarters],
            "changes": len(timeline),
        })
    return {"quarters": [{"label": q["label"], "start": q["start"].isoformat(), "end": q["end"].isoformat()}
                         for q in quarters], "measures": rows}
