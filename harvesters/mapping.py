# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mapping tables: what sources write → the codes our dataset schema stores.

The tables are configuration (``mappings/default.yaml``), overridable by the
city (``ckanext.smartcityatlas.harvest.mappings``, a YAML/JSON file of the
same layout) and by each source (``"mappings"`` in its configuration). A
value that is already canonical (a dcat-ap.de licence id, an EU code or its
IRI) passes unchanged; a value found in a table is a *repair* and is
recorded (record, field, from → to) for the job report; anything else is
*unmapped* and reported too.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import re
from pathlib import Path

import yaml

from ckanext.smartcityatlas.dcat import vocab

DEFAULT_TABLES = Path(__file__).resolve().parent / "mappings" / "default.yaml"
KINDS = ("licenses", "themes", "formats", "frequencies", "languages")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@dataclasses.dataclass(frozen=True)
class Repair:
    record: str  # the record's identifier (guid)
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old!r} → {self.new!r}"


def _key(value: str) -> str:
    return " ".join(_DASHES.sub("-", str(value)).split()).lower()


def load_tables(path: str | Path) -> dict:
    """A mapping file (YAML or JSON) → {kind: {normalised key: code}}; clear errors."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"mapping file {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"mapping file {path}: {exc}") from exc
    return check_tables(data or {}, str(path))


def check_tables(data, where: str) -> dict:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the mappings must be an object with {', '.join(KINDS)}")
    out = {}
    for kind, table in data.items():
        if kind not in KINDS:
            raise ValueError(f"{where}: unknown mapping table {kind!r} (known: {', '.join(KINDS)})")
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            raise ValueError(f"{where}: {kind} must map strings to strings")
        out[kind] = {_key(k): v for k, v in table.items()}
    return out


@functools.lru_cache(maxsize=1)
def default_tables() -> dict:
    return load_tables(DEFAULT_TABLES)


@functools.lru_cache(maxsize=8)
def _city_tables(path: str) -> dict:
    return load_tables(path)


def city_tables() -> dict:
    import ckan.plugins.toolkit as tk

    path = tk.config.get("ckanext.smartcityatlas.harvest.mappings")
    return _city_tables(path) if path else {}


@functools.lru_cache(maxsize=1)
def _canonical() -> dict[str, dict[str, str]]:
    """Per kind: normalised canonical value → canonical code."""
    licences = [lic["id"] for lic in vocab.dcatde_licenses()]
    file_types = list(vocab.eu_table(vocab.FILE_TYPE_TABLE, vocab.FILE_TYPE))
    frequencies = [c for c in vocab.eu_table(vocab.FREQUENCY_TABLE, vocab.FREQUENCY)
                   if c not in DEPRECATED_FREQUENCIES]
    languages = list(vocab.LANGUAGES) + list(vocab.MORE_LANGUAGES)
    return {
        "licenses": {lic.lower(): lic for lic in licences},
        "themes": {t.lower(): t for t in vocab.THEMES},
        "formats": {f.lower(): f for f in file_types},
        "frequencies": {f.lower(): f for f in frequencies},
        "languages": {lang.lower(): lang for lang in languages},
    }


# codes the EU table still lists but marks deprecated; mapped by the tables
DEPRECATED_FREQUENCIES = {"UPDATE_CONT", "OTHER", "OP_DATPRO"}
_BASES = {
    "licenses": (vocab.LICENSES, "https://www.dcat-ap.de/def/licenses/"),
    "themes": (vocab.THEME,),
    "formats": (vocab.FILE_TYPE,),
    "frequencies": (vocab.FREQUENCY,),
    "languages": (vocab.LANGUAGE,),
}
_TABLE_NAMES = {"formats": "file-type", "frequencies": "frequency", "languages": "language",
                "themes": "data-theme", "licenses": "licenses"}


class Mapper:
    """Looks values up in the merged tables and records repairs."""

    def __init__(self, *overrides: dict):
        self.tables = {kind: dict(default_tables().get(kind, {})) for kind in KINDS}
        for extra in overrides:
            for kind, table in (extra or {}).items():
                self.tables[kind].update(table)
        self.repairs: list[Repair] = []
        self.unmapped: list[Repair] = []  # new == "" : dropped or refused
        self.notes: list[tuple[str, str]] = []  # (kind, message): other notes of a harvester

    @classmethod
    def for_source(cls, source_mappings: dict | None) -> "Mapper":
        return cls(city_tables(), check_tables(source_mappings or {}, "source configuration"))

    def lookup(self, kind: str, value) -> tuple[str | None, bool]:
        """(code, repaired?), or (None, False) if the value is unknown."""
        if value is None:
            return None, False
        text = str(value).strip()
        canonical = _canonical()[kind]
        code = text
        for base in _BASES[kind]:
            if text.startswith(base):
                code = text[len(base):]
                break
        found = canonical.get(code.lower())
        if found is not None:  # the code or its IRI; another spelling is a repair
            return found, found != code
        table = self.tables[kind]
        for key in (text, f"{_TABLE_NAMES[kind]}/{code}", code):
            hit = table.get(_key(key))
            if hit is not None:
                return canonical.get(hit.lower(), hit), True
        if kind == "languages" and re.fullmatch(r"[A-Za-z]{3}", code):
            # any other code of the EU language table (no offline copy to check against)
            return code.upper(), code != code.upper()
        return None, False

    def map(self, kind: str, value, record: str, field: str) -> str | None:
        """The canonical code; a repair or an unmapped value is recorded."""
        code, repaired = self.lookup(kind, value)
        if code is None:
            self.unmapped.append(Repair(record, field, str(value), ""))
        elif repaired:
            self.repairs.append(Repair(record, field, str(value), code))
        return code

    def note(self, record: str, field: str, old, new) -> None:
        """A repair made elsewhere (dates, media types)."""
        self.repairs.append(Repair(record, field, str(old), str(new)))

    def drop(self, record: str, field: str, old) -> None:
        self.unmapped.append(Repair(record, field, str(old), ""))

    def date(self, value, record: str, field: str) -> str | None:
        """An ISO 8601 date or date-time from a real-world spelling (a repair
        is recorded), or None (a hopeless value is recorded as dropped)."""
        if value in (None, ""):
            return None
        text = str(value).strip()
        fixed = repair_date(text)
        if fixed is None:
            self.drop(record, field, text)
        elif fixed != text:
            self.note(record, field, text, fixed)
        return fixed


def media_type(value: str) -> str | None:
    """A media type (literal or IRI, IANA or not) → the bare ``type/subtype``."""
    text = str(value).strip()
    for prefix in (vocab.IANA, "http://www.iana.org/assignments/media-types/",
                   "https://www.iana.org/assignments/media-types/"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    text = text.split(";")[0].strip().lower()
    return text if re.match(r"^[a-z0-9][\w.+-]*/[\w.+-]+$", text) else None


_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                        r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def repair_date(text: str) -> str | None:
    """A date or date-time in ISO 8601, from common real-world spellings; None if hopeless."""
    text = text.strip()
    m = _DE_DATE.match(text)
    if m:
        day, month, year, hh, mm, ss = m.groups()
        parts = (year, month, day, hh, mm, ss, None)
    else:
        m = _ISO_LOOSE.match(text)
        if not m:
            return None
        parts = m.groups()
    year, month, day, hh, mm, ss, tz = parts
    try:
        date = datetime.date(int(year), int(month), int(day))
        if hh is None:
            return date.isoformat()
        time = datetime.time(int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None
    out = f"{date.isoformat()}T{time.isoformat()}"
    if tz:
        out += tz if tz == "Z" or ":" in tz else f"{tz[:3]}:{tz[3:]}"
    return out
