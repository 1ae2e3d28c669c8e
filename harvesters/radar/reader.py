# SPDX-License-Identifier: AGPL-3.0-or-later
"""Radar exports (CSV, XLSX, JSON) → a header and numbered rows.

Hostile files give a clear ``ReadError``: an XLSX is a zip, so its members
are counted and their uncompressed sizes summed before anything is
unpacked (zip bombs), and XML members that declare a DTD are refused
(entity expansion). Sizes of the download itself are capped by the base's
fetcher. Cells: merged ranges are filled with their value (merged header
cells, a measure merged over its projects' rows), formulas without a
computed value are dropped with a note, dates stay dates.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import zipfile
from typing import Callable

from ckanext.smartcityatlas.harvesters.parse_error import describe

MAX_ROWS = 20000
MAX_COLUMNS = 200
MAX_ZIP_MEMBERS = 2000
HEADER_SCAN_ROWS = 10
FORMATS = ("csv", "xlsx", "json")
XLSX_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)


class ReadError(ValueError):
    """The file cannot be read as a radar export; nothing is imported. The
    message says what failed and where, never the file's content
    (harvesters/parse_error.py)."""


@dataclasses.dataclass
class Table:
    columns: list[str]
    # (row number as a person sees it: the spreadsheet row, or the JSON entry), cells
    rows: list[tuple[int, list]]
    notes: list[str] = dataclasses.field(default_factory=list)


def detect_format(body: bytes, content_type: str | None, url: str, forced: str | None = None) -> str:
    if forced:
        return forced
    if body[:4] == b"PK\x03\x04":
        return "xlsx"
    ctype = (content_type or "").split(";")[0].strip().lower()
    path = url.split("?")[0].lower()
    if ctype in XLSX_TYPES or path.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    head = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if ctype.endswith("json") or path.endswith(".json") or head[:1] in (b"[", b"{"):
        return "json"
    if head[:5].lower() in (b"<!doc", b"<html") or ctype in ("text/html", "application/xhtml+xml"):
        raise ReadError("the address returned HTML, not a radar export (CSV, XLSX or JSON)")
    return "csv"


def read(body: bytes, fmt: str, header_score: Callable[[list[str]], int], max_bytes: int) -> Table:
    """``header_score(cells)``: how many cells name a known column (the row
    with the most, among the first rows, is the header)."""
    if not body.strip():
        raise ReadError("the file is empty")
    if fmt == "xlsx":
        grid, notes = _xlsx_grid(body, max_bytes)
    elif fmt == "csv":
        grid, notes = _csv_grid(body)
    elif fmt == "json":
        return _json_table(body)
    else:
        raise ReadError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return _table(grid, notes, header_score)


def _table(grid: list[tuple[int, list]], notes: list[str], header_score) -> Table:
    best, best_score = None, 0
    for i, (_number, cells) in enumerate(grid[:HEADER_SCAN_ROWS]):
        score = header_score([_text(c) for c in cells])
        if score > best_score:
            best, best_score = i, score
    if best is None or best_score < 2:
        raise ReadError("no header row: none of the first rows names the radar columns "
                        "(e.g. Radar-ID and Titel; see the mapping file)")
    columns = [_text(c) for c in grid[best][1]]
    rows = [(n, cells) for n, cells in grid[best + 1:]]
    if len(rows) > MAX_ROWS:
        raise ReadError(f"more than {MAX_ROWS} rows")
    return Table(columns=columns, rows=rows, notes=notes)


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _formula_text(value) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


# ---- CSV -------------------------------------------------------------------------

def _csv_grid(body: bytes) -> tuple[list[tuple[int, list]], list[str]]:
    notes = []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
        notes.append("the file is not UTF-8; read as Windows-1252")
    if "\x00" in text[:4096]:
        raise ReadError("the file is binary, not CSV, XLSX or JSON")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    grid = []
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(rows, 1):
            if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise ReadError(f"more than {MAX_ROWS} rows")
            if len(cells) > MAX_COLUMNS:
                raise ReadError(f"row {number} has more than {MAX_COLUMNS} columns")
            values = []
            for col, cell in enumerate(cells):
                if _formula_text(cell.strip()):
                    notes.append(f"row {number}, column {col + 1}: a formula ({cell.strip()[:40]!r}) "
                                 "is not a value; cell ignored")
                    cell = ""
                values.append(cell)
            grid.append((number, values))
    except csv.Error as exc:
        raise ReadError(f"the CSV cannot be read: {describe(exc)} (line {rows.line_num})") from exc
    return grid, notes


# ---- XLSX ------------------------------------------------------------------------

def _check_zip(body: bytes, max_bytes: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(f"the XLSX file is damaged (not a readable zip archive: {describe(exc)})") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise ReadError(f"the XLSX file has more than {MAX_ZIP_MEMBERS} parts")
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise ReadError(f"the XLSX file unpacks to {total // 1_000_000} MB, more than the size cap "
                        f"({max_bytes // 1_000_000} MB; max_size_mb)")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise ReadError("the zip archive is not an XLSX workbook (no worksheet)")
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as fh:
            head = fh.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise ReadError("a part of the XLSX file declares a DTD; refused")


def _xlsx_grid(body: bytes, max_bytes: int) -> tuple[list[tuple[int, list]], list[str]]:
    import openpyxl

    _check_zip(body, max_bytes)
    try:
        values_wb = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
        formulas_wb = openpyxl.load_workbook(io.BytesIO(body), data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise ReadError(f"the XLSX file cannot be read: {describe(exc)}") from exc
    sheet = values_wb.worksheets[0]
    formula_sheet = formulas_wb.worksheets[0]
    if sheet.max_row > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ReadError(f"more than {MAX_ROWS} rows")
    if sheet.max_column > MAX_COLUMNS:
        raise ReadError(f"more than {MAX_COLUMNS} columns")
    notes = []
    merged = {}
    for rng in sheet.merged_cells.ranges:
        top_left = sheet.cell(rng.min_row, rng.min_col).value
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[(row, col)] = top_left
    grid = []
    for row_cells, formula_cells in zip(sheet.iter_rows(), formula_sheet.iter_rows()):
        values = []
        for cell, fcell in zip(row_cells, formula_cells):
            value = merged.get((cell.row, cell.column), cell.value)
            if value is None and _formula_text(fcell.value):
                notes.append(f"row {cell.row}, column {cell.column_letter}: a formula ({fcell.value[:40]!r}) "
                             "without a computed value (save the file in a spreadsheet program); cell ignored")
            elif isinstance(value, str) and value.startswith("#") and fcell.data_type == "f":
                notes.append(f"row {cell.row}, column {cell.column_letter}: the formula gives the error "
                             f"{value}; cell ignored")
                value = None
            if isinstance(value, datetime.datetime):
                value = value.date() if value.time() == datetime.time(0) else value
            values.append(value)
        grid.append((row_cells[0].row if row_cells else len(grid) + 1, values))
    return grid, notes


# ---- JSON ------------------------------------------------------------------------

def _json_table(body: bytes) -> Table:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise ReadError(f"the JSON cannot be read: {describe(exc)}") from exc
    if isinstance(data, dict):
        entries = next((data[k] for k in ("entries", "eintraege", "Einträge", "rows", "data")
                        if isinstance(data.get(k), list)), None)
        if entries is None:
            raise ReadError('the JSON must be a list of entries or an object with "entries"')
    elif isinstance(data, list):
        entries = data
    else:
        raise ReadError('the JSON must be a list of entries or an object with "entries"')
    if len(entries) > MAX_ROWS:
        raise ReadError(f"more than {MAX_ROWS} entries")
    columns: list[str] = []
    for entry in entries:
        if isinstance(entry, dict):
            columns.extend(k for k in entry if k not in columns)
    if len(columns) > MAX_COLUMNS:
        raise ReadError(f"more than {MAX_COLUMNS} different keys")
    rows, notes = [], []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            notes.append(f"entry {number} is not an object; skipped")
            continue
        cells = []
        for column in columns:
            value = entry.get(column)
            if isinstance(value, (dict,)):
                value = None
                notes.append(f"entry {number}, {column!r}: an object is not a value; ignored")
            elif isinstance(value, list):
                value = [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
            elif _formula_text(value):
                notes.append(f"entry {number}, {column!r}: a formula is not a value; ignored")
                value = None
            cells.append(value)
        rows.append((number, cells))
    return Table(columns=[str(c) for c in columns], rows=rows, notes=notes)
