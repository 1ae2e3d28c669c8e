# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tables of the environment dashboard, built once from the answer of
``sca_environment_show``: the page renders them and ``/atlas/umwelt.csv``
writes them, so a download holds exactly what the page shows.

A cell is a raw value; its column's ``kind`` says how it is written:
``text``, ``int``, ``number`` (one decimal), ``percent`` (a share 0–1).
"""
from __future__ import annotations

import dataclasses

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.spreadsheet import csv_cell, german_csv


@dataclasses.dataclass
class Column:
    label: str
    kind: str = "number"


@dataclasses.dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list]


def _basis_columns() -> list[Column]:
    return [Column(tk._("Sensors"), "int"), Column(tk._("Completeness"), "percent"),
            Column(tk._("Hours covered"), "percent")]


def _basis(figures: dict) -> list:
    return [figures.get("sensors"), figures.get("completeness"), figures.get("hours_share")]


def _areas(section: dict) -> list[tuple[str, dict]]:
    """The city first, then the districts in their ranking."""
    out = [(tk._("Whole city"), section["city"])] if section.get("city") else []
    return out + [(row["district"], row) for row in section.get("districts") or []]


def particulate(phen_id: str, section: dict, limits: dict) -> Table:
    unit = limits["unit"]
    if phen_id == "pm10":
        label = tk._("PM10")
        columns = [Column(tk._("Area"), "text"), Column(tk._("Mean of the daily means ({unit})").format(unit=unit)),
                   Column(tk._("Days above the EU daily limit ({v} {unit})").format(
                       v=limits["eu_daily"], unit=unit), "int"),
                   Column(tk._("Days above the WHO guideline ({v} {unit})").format(
                       v=limits["who_daily"], unit=unit), "int")]
        cells = lambda f: [f.get("mean"), f.get("exceedance_days_eu"), f.get("exceedance_days_who")]  # noqa: E731
    else:
        label = tk._("PM2.5")
        columns = [Column(tk._("Area"), "text"), Column(tk._("Mean of the daily means ({unit})").format(unit=unit)),
                   Column(tk._("Days above the WHO guideline ({v} {unit})").format(
                       v=limits["who_daily"], unit=unit), "int")]
        cells = lambda f: [f.get("mean"), f.get("exceedance_days_who")]  # noqa: E731
    columns += [Column(tk._("Days counted"), "int"), *_basis_columns()]
    rows = [[name, *cells(f), f.get("valid_days"), *_basis(f)] for name, f in _areas(section)]
    return Table(phen_id, tk._("{label}: districts ranked by the mean of the daily means").format(label=label),
                 columns, rows)


def noise(section: dict) -> Table:
    columns = [Column(tk._("Area"), "text"), Column("Lday (dB(A))"), Column("Levening (dB(A))"),
               Column("Lnight (dB(A))"), Column("Lden (dB(A))"), *_basis_columns()]
    rows = [[name, f.get("lday"), f.get("levening"), f.get("lnight"), f.get("lden"), *_basis(f)]
            for name, f in _areas(section)]
    return Table("noise", tk._("Noise: districts ranked by Lden"), columns, rows)


def trend(area: str, pm: dict[str, dict | None]) -> Table | None:
    """Monthly means of the counted days of one area, PM10 and PM2.5 side by side."""
    months: dict[str, dict] = {}
    for phen_id, figures in pm.items():
        for row in (figures or {}).get("monthly") or []:
            months.setdefault(row["period"], {})[phen_id] = row
    if not months:
        return None
    columns = [Column(tk._("Month"), "text"), Column(tk._("PM10 (µg/m³)")), Column(tk._("PM10: days counted"), "int"),
               Column(tk._("PM2.5 (µg/m³)")), Column(tk._("PM2.5: days counted"), "int")]
    rows = [[month, *[v for phen_id in ("pm10", "pm25") for v in (
        (months[month].get(phen_id) or {}).get("mean"), (months[month].get(phen_id) or {}).get("valid_days"))]]
            for month in sorted(months)]
    return Table("trend", tk._("{area}: monthly means of the counted days").format(area=area), columns, rows)


def hours(area: str, figures: dict | None) -> Table | None:
    if not figures:
        return None
    columns = [Column(tk._("Hour of day (local time)"), "text"), Column(tk._("Energetic mean (dB(A))")),
               Column(tk._("Hourly values"), "int")]
    rows = [[f"{h['hour']:02d}:00–{(h['hour'] + 1) % 24:02d}:00", h["level"], h["hours"]] for h in figures["by_hour"]]
    return Table("hours", tk._("{area}: noise by hour of day").format(area=area), columns, rows)


def build(result: dict) -> list[Table]:
    """Every table the page shows, in its order."""
    phenomena, limits = result["phenomena"], result["limits"]
    out: list[Table] = []
    for phen_id in ("pm10", "pm25"):
        if phenomena.get(phen_id):
            out.append(particulate(phen_id, phenomena[phen_id], limits[phen_id]))
    if phenomena.get("noise"):
        out.append(noise(phenomena["noise"]))
    area = result["district"] or tk._("Whole city")
    chosen = "district" if result["district"] else "city"
    table = trend(area, {p: (phenomena.get(p) or {}).get(chosen) for p in ("pm10", "pm25")})
    if table:
        out.append(table)
    table = hours(area, (phenomena.get("noise") or {}).get(chosen))
    if table:
        out.append(table)
    return out


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "number":
        return f"{value:.1f}".replace(".", ",")
    if kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",")
    if kind == "int":
        return str(int(value))
    return csv_cell(str(value))


def csv_body(table: Table) -> bytes:
    """One table as a spreadsheet-safe CSV (common/spreadsheet.py: ``;``,
    BOM, decimal commas, no cell a spreadsheet would run as a formula);
    shares as percentages 0–100."""
    header = [csv_cell(c.label + (" (%)" if c.kind == "percent" else "")) for c in table.columns]
    rows = [[_csv_value(v, c.kind) for v, c in zip(row, table.columns)] for row in table.rows]
    return german_csv(header, rows).encode("utf-8")
