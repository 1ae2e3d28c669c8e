# SPDX-License-Identifier: AGPL-3.0-or-later
"""Radar files written the way city offices write them (CSV with ';' and
BOM, XLSX with merged header cells and Excel dates, JSON), radar sources,
radar jobs run in-process, and the projects they made."""
from __future__ import annotations

import csv
import datetime
import io
import json

import ckan.plugins as p
from ckan.tests import factories, helpers

COLUMNS = ["Radar-ID", "Titel", "Typ", "Status", "Stand", "Kurzbeschreibung", "Maßnahme", "Federführung",
           "Partner", "Stadtteil", "Adresse", "Breite", "Länge", "Themenblock", "Themen", "Beginn", "Ende",
           "Budget (EUR)"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(rows: list[dict], columns=COLUMNS, delimiter=";", bom=True, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    text = out.getvalue()
    return (("\ufeff" if bom and encoding == "utf-8" else "") + text).encode(encoding)


def xlsx_bytes(rows: list[list], header: list[list], merges: list[str] = (), title: str | None = None) -> bytes:
    """A workbook: an optional merged title row, the header rows (merged
    cells as ranges), then the rows (Python dates stay Excel dates)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Radar"
    if title:
        ws.append([title])
    for line in header:
        ws.append(line)
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def create_source(url: str, org: dict, config: dict | None = None, name: str | None = None,
                  user: dict | None = None) -> dict:
    user = user or factories.Sysadmin()
    return helpers.call_action(
        "harvest_source_create", context={"user": user["name"]},
        name=name or f"radar-{org['name']}", title="Smart-City-Radar", url=url, source_type="sca_radar",
        owner_org=org["id"], config=json.dumps(config or {}), frequency="MANUAL")


def run_job(source: dict) -> dict:
    """Run one job of ``source`` in-process; the radar report (+ the generic one)."""
    from ckanext.harvest.model import HarvestJob, HarvestSource
    from ckanext.harvest.tests.lib import run_harvest_job

    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    run_harvest_job(job, p.get_plugin("sca_radar"))
    report = helpers.call_action("sca_radar_report", {"ignore_auth": True}, id=job.id)
    report["generic"] = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    return report


def projects(source_id: str | None = None) -> dict[str, dict]:
    """Projects by radar id (of a source, or all)."""
    fq = "+dataset_type:project" + (f" +harvest_source_id:{source_id}" if source_id else "")
    found = helpers.call_action("package_search", {"ignore_auth": True}, fq=fq, rows=1000,
                                include_private=True)["results"]
    return {pkg.get("radar_id"): helpers.call_action("package_show", {"ignore_auth": True}, id=pkg["id"])
            for pkg in found}


def activity_count(package_id: str) -> int:
    return len(helpers.call_action("package_activity_list", {"ignore_auth": True}, id=package_id, limit=100))
