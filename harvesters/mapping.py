# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mapping tables: what sources write → the codes our dataset schema stores.

The tables are configuration (``mappings/default.yaml``), overridable by the
city (``ckanext.smartcityatlas.harvest.mappings``, a YAML/JSON file of the
same layout) and by each source (``"mappings"`` in its configuration). A
value that is already canonical (a dcat-ap.de licence id, an EU code or its
IRI) passes unchanged; a value found in a table is a *repair* and is
recorded (record, field, from → to) for the job report. A literal that
names a list entry by its label (German or English, any case: "öffentlich",
"Monthly", "Datenlizenz Deutschland Namensnennung 2.0") or an entry's
IRI under a deprecated address of its list (``…/mdr/resource/authority/…``,
``https://www.dcat-ap.de/…``) has one meaning too and is a repair. Anything
else is *degraded*: left out (or, for a licence, recorded as not open) and
reported.
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
KINDS = ("licenses", "themes", "formats", "frequencies", "languages", "access_rights")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@dataclasses.dataclass(frozen=True)
class Repair:
    record: str  # the record's identifier (guid)
    field: str
    old: str
    new: str
    # a degradation: why the value was left out or replaced
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.old!r} → {self.new!r}"

    def degraded(self) -> str:
        """The job report's text of a degradation (``new`` empty: left out)."""
        reason = self.reason or "is not in the mapping tables"
        if self.new:
            return f"{self.field}: {self.old!r} {reason}; recorded as {self.new!r}"
        return f"{self.field}: {self.old!r} {reason}; left out"


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
        "access_rights": {a.lower(): a for a in vocab.ACCESS_RIGHTS},
    }


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    """Per kind: normalised label (German and English, of the EU and
    dcat-ap.de lists and of the form's choices) → canonical code. A label
    two entries share is left out (it has no one meaning)."""
    canonical = _canonical()
    sources = {
        "licenses": [(label, lic) for lic, labels in vocab.license_labels().items() for label in labels],
        "themes": [(label, code) for code, labels in vocab.THEMES.items() for label in labels]
        + [(label, code) for code, labels in vocab.eu_table(vocab.THEME_TABLE, vocab.THEME).items()
           for label in labels.values()],
        "formats": [(label, code) for label, (code, _media) in vocab.FORMATS.items()]
        + [(label, code) for code, labels in vocab.eu_table(vocab.FILE_TYPE_TABLE, vocab.FILE_TYPE).items()
           for label in labels.values()],
        "frequencies": [(label, code) for code, labels in vocab.FREQUENCIES.items() for label in labels]
        + [(label, code) for code, labels in vocab.eu_table(vocab.FREQUENCY_TABLE, vocab.FREQUENCY).items()
           for label in labels.values()],
        "languages": [(label, code) for code, labels in {**vocab.LANGUAGES, **vocab.MORE_LANGUAGES}.items()
                      for label in labels],
        "access_rights": [(label, code) for code, labels in vocab.ACCESS_RIGHTS.items() for label in labels]
        + [(label, code) for code, labels in vocab.eu_table(vocab.ACCESS_RIGHT_TABLE, vocab.ACCESS_RIGHT).items()
           for label in labels.values()],
    }
    out: dict[str, dict[str, str]] = {}
    for kind, pairs in sources.items():
        table: dict[str, str] = {}
        shared: set[str] = set()
        for label, code in pairs:
            code = canonical[kind].get(code.lower())
            key = _key(label)
            if code is None or key in shared:
                continue
            if table.get(key, code) != code:
                shared.add(key)
                del table[key]
                continue
            table[key] = code
        out[kind] = table
    return out


# addresses of the lists' entries that are deprecated or mistyped (older
# Publications Office paths, https, dcat-ap.de with www); the last segment
# is the code, checked against the list
_DEPRECATED_BASES = {
    kind: re.compile(r"^https?://publications\.europa\.eu/(?:mdr/)?(?:resource/)?(?:authority|dataset)/"
                     + table + r"/(?P<code>[^/#?]+)/?$", re.I)
    for kind, table in (("themes", "data-theme"), ("formats", "file-type"), ("frequencies", "frequency"),
                        ("languages", "language"), ("access_rights", "access-right"))
}
_DEPRECATED_BASES["licenses"] = re.compile(r"^https?://(?:www\.)?dcat-ap\.de/def/licenses/(?P<code>.+?)/?$", re.I)


# codes the EU table still lists but marks deprecated; mapped by the tables
DEPRECATED_FREQUENCIES = {"UPDATE_CONT", "OTHER", "OP_DATPRO"}
_BASES = {
    "licenses": (vocab.LICENSES, "https://www.dcat-ap.de/def/licenses/"),
    "themes": (vocab.THEME,),
    "formats": (vocab.FILE_TYPE,),
    "frequencies": (vocab.FREQUENCY,),
    "languages": (vocab.LANGUAGE,),
    "access_rights": (vocab.ACCESS_RIGHT,),
}
_TABLE_NAMES = {"formats": "file-type", "frequencies": "frequency", "languages": "language",
                "themes": "data-theme", "licenses": "licenses", "access_rights": "access-right"}


class Mapper:
    """Looks values up in the merged tables and records repairs."""

    def __init__(self, *overrides: dict):
        self.tables = {kind: dict(default_tables().get(kind, {})) for kind in KINDS}
        for extra in overrides:
            for kind, table in (extra or {}).items():
                self.tables[kind].update(table)
        self.repairs: list[Repair] = []
        # degradations: left out (new == "") or replaced (a licence recorded as not open)
        self.unmapped: list[Repair] = []
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
        hit = _labels()[kind].get(_key(text))
        if hit is not None:
            return hit, True
        # under an older address of its list (not the current one: its code was looked up above)
        deprecated = _DEPRECATED_BASES[kind].match(text) if code == text else None
        if deprecated:
            code, _repaired = self.lookup(kind, deprecated.group("code"))
            if code is not None:
                return code, True
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

    def drop(self, record: str, field: str, old, reason: str = "") -> None:
        """A value left out (degraded): ``reason`` says why (default: not in the tables)."""
        self.unmapped.append(Repair(record, field, str(old), "", reason))

    def degrade(self, record: str, field: str, old, new: str, reason: str) -> None:
        """A value replaced by a conservative one (an unknown licence: not open)."""
        self.unmapped.append(Repair(record, field, str(old), new, reason))

    def flag(self, message: str) -> None:
        """A property DCAT-AP.de requires that the record lacks: it is
        imported, flagged and kept out of the DCAT exports (job report)."""
        self.notes.append(("flagged", message))

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


def form_format(value: str) -> str | None:
    """An EU file-type code → what the form stores (its curated label, or the code)."""
    code = str(value)
    if code.startswith(vocab.FILE_TYPE):
        code = code[len(vocab.FILE_TYPE):]
    for label, (eu_code, _media) in vocab.FORMATS.items():
        if code in (eu_code, label):
            return label
    return code if code in vocab.eu_table(vocab.FILE_TYPE_TABLE, vocab.FILE_TYPE) else None


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


def media_type_of_format(value: str) -> str | None:
    """A file type's name or code where a media type belongs (``"ZIP"``,
    ``"csv"``: real catalogues write them into ``dcat:mediaType``) → its media type."""
    text = str(value).strip().upper()
    for name, (code, media) in vocab.FORMATS.items():
        if media and text in (name.upper(), code):
            return media
    return None


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
