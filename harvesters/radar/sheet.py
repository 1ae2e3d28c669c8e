# SPDX-License-Identifier: AGPL-3.0-or-later
"""The mapping file (``mappings/radar.yaml``) and what a row says.

A city maps its own column and category names without code: the default
mapping, then the city's file (``ckanext.smartcityatlas.radar.mapping``),
then the source's ``radar_mapping``; later entries win. Cell values are read
the way city offices write them: German and Excel dates, numbers as text
with thousands separators, several values in one cell.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib.resources
import re
import unicodedata
from pathlib import Path

import yaml

MAPPING_FILE = Path(__file__).resolve().parents[1] / "mappings" / "radar.yaml"
FIELDS = ("radar_id", "title", "entry_type", "status", "status_date", "summary", "notes", "themes",
          "fields_of_action", "topics", "measure", "lead", "partners", "start_date", "end_date",
          "district", "model_district", "address", "lat", "lon", "coordinates", "url",
          "funding_programme", "budget_eur", "sdgs", "actor_kind", "helix_sector")
CATEGORIES = ("entry_types", "statuses", "themes", "fields_of_action", "topics", "roles", "actor_kinds",
              "helix_sectors")
ACTOR = "actor"  # the entry type of rows that are actors, not projects
# category → (schema file, field, preset) whose choices match without an entry
_SCHEMA_CHOICES = {
    "entry_types": ("project.yaml", "project_kind", None),
    "statuses": ("project.yaml", "status", None),
    "themes": (None, None, "sca_themes"),
    "fields_of_action": (None, None, "sca_fields_of_action"),
    "topics": (None, None, "sca_topics"),
    "roles": ("project.yaml", "partners.role", None),
    "actor_kinds": ("actor.yaml", "actor_kind", None),
    "helix_sectors": (None, None, "sca_helix_sector"),
}
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def key(text) -> str:
    """Case-, space-, umlaut- and dash-insensitive form of a name."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("–", "-"), ("—", "-"), ("‐", "-")):
        text = text.replace(old, new)
    return " ".join(text.split()).strip(" :*")


@functools.lru_cache(maxsize=1)
def default_mapping() -> dict:
    return yaml.safe_load(MAPPING_FILE.read_text(encoding="utf-8"))


def _schema(name: str) -> dict:
    schemas = importlib.resources.files("ckanext.smartcityatlas.schemas")
    return yaml.safe_load(schemas.joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def schema_project() -> dict:
    return _schema("project.yaml")


@functools.lru_cache(maxsize=1)
def schema_choices() -> dict[str, dict[str, str]]:
    """Per category: normalised code and labels (de, en) → code."""
    presets = _schema("presets.yaml")
    out = {}
    for category, (file, field, preset) in _SCHEMA_CHOICES.items():
        fields = {f["field_name"]: f for f in _schema(file)["dataset_fields"]} if file else {}
        if preset:
            spec = next(p["values"] for p in presets["presets"] if p["preset_name"] == preset)
        elif "." in field:
            parent, child = field.split(".")
            spec = next(s for s in fields[parent]["repeating_subfields"] if s["field_name"] == child)
        else:
            spec = fields[field]
        table = {}
        for choice in spec.get("choices", []):
            table[key(choice["value"])] = choice["value"]
            for label in (choice.get("label") or {}).values():
                table[key(label)] = choice["value"]
        if category == "entry_types":  # rows that are actors (docs/radar.md)
            table.update({key(ACTOR): ACTOR, key("Akteur"): ACTOR})
        out[category] = table
    return out


def check_mapping(data, where: str) -> dict:
    """A mapping of the file's layout; ValueError with a clear message."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the radar mapping must be an object")
    unknown = sorted(set(data) - {"columns", "list_separators", *CATEGORIES})
    if unknown:
        raise ValueError(f"{where}: unknown radar mapping sections: {', '.join(unknown)}")
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(
            f in FIELDS and isinstance(v, list) and all(isinstance(n, str) for n in v) for f, v in columns.items()):
        raise ValueError(f"{where}: columns must map atlas fields ({', '.join(FIELDS)}) to lists of column names")
    choices = schema_choices()
    for category in CATEGORIES:
        table = data.get(category, {})
        if not isinstance(table, dict):
            raise ValueError(f"{where}: {category} must map names to codes")
        codes = set(choices[category].values())
        for name, code in table.items():
            if code not in codes:
                raise ValueError(f"{where}: {category}: {name!r} → {code!r} is not one of {', '.join(sorted(codes))}")
    seps = data.get("list_separators", [";"])
    if not isinstance(seps, list) or not seps or not all(isinstance(s, str) and s for s in seps):
        raise ValueError(f"{where}: list_separators must be a list of strings")
    return data


def city_mapping() -> dict:
    import ckan.plugins.toolkit as tk

    path = tk.config.get("ckanext.smartcityatlas.radar.mapping")
    if not path:
        return {}
    return _city_mapping(path)


@functools.lru_cache(maxsize=4)
def _city_mapping(path: str) -> dict:
    return check_mapping(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}, path)


class RadarMapping:
    def __init__(self, *layers: dict):
        self.columns: dict[str, str] = {}  # normalised column name → field
        self.tables = {c: dict(schema_choices()[c]) for c in CATEGORIES}
        self.separators = [";"]
        for layer in layers:
            for field, names in (layer.get("columns") or {}).items():
                for name in names:
                    self.columns[key(name)] = field
            for category in CATEGORIES:
                for name, code in (layer.get(category) or {}).items():
                    self.tables[category][key(name)] = code
            if layer.get("list_separators"):
                self.separators = list(layer["list_separators"])

    @classmethod
    def for_source(cls, source_mapping: dict | None) -> "RadarMapping":
        return cls(default_mapping(), city_mapping(), source_mapping or {})

    def field_of(self, column: str) -> str | None:
        return self.columns.get(key(column))

    def header_score(self, cells: list[str]) -> int:
        fields = {self.field_of(c) for c in cells if c}
        fields.discard(None)
        return len(fields) if {"radar_id", "title"} <= fields else min(len(fields), 1)

    def category(self, category: str, value) -> str | None:
        return self.tables[category].get(key(value))

    def split(self, value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list):
            parts = [str(v) for v in value]
        else:
            parts = [str(value)]
            for sep in self.separators:
                parts = [piece for part in parts for piece in part.split(sep)]
        return [" ".join(p.split()) for p in parts if p and p.strip()]


# ---- cell values -------------------------------------------------------------------

_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")
_QUARTER = re.compile(r"^Q([1-4])[ /]?(\d{4})$", re.I)


def parse_date(value) -> datetime.date | None:
    """A date from a cell: a date, an Excel serial number (also as text),
    ``31.01.2025``, ``2025-01-31``, ``01/2025`` or ``Q1 2025``; None if hopeless."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _excel_serial(value)
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{5}(?:[.,]\d+)?", text):
            return _excel_serial(float(text.replace(",", ".")))
        m = _DE_DATE.match(text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            return datetime.date(year + 2000 if year < 100 else year, month, day)
        m = _ISO_DATE.match(text)
        if m:
            return datetime.date(*(int(g) for g in m.groups()))
        m = _MONTH.match(text)
        if m:
            return datetime.date(int(m.group(2)), int(m.group(1)), 1)
        m = _QUARTER.match(text)
        if m:
            return datetime.date(int(m.group(2)), 3 * int(m.group(1)) - 2, 1)
    except ValueError:
        return None
    return None


def _excel_serial(number: float) -> datetime.date | None:
    if not 1 <= number < 2958466:  # 1900-01-01 … 9999-12-31
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_number(value) -> float | None:
    """``1.234.567,89 €``, ``1234567.89``, ``12 500 EUR``, ``-``; None if not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"(?i)(eur|euro|€)", "", str(value)).replace("\u00a0", " ").replace(" ", "").strip()
    if not text or not re.fullmatch(r"-?[\d.,]+", text):
        return None
    if "," in text:  # German: '.' groups thousands, ',' is the decimal mark
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def parse_coordinate(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", ".").rstrip("°")
    try:
        return float(text)
    except ValueError:
        return None


def cell_json(value):
    """A cell as JSON (dates as ISO text, numbers as numbers)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" not in value else value.strip()
    return value


@dataclasses.dataclass
class Row:
    number: int
    fields: dict  # atlas field → cell value (JSON)
