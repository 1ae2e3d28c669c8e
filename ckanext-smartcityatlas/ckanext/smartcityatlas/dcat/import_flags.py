# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a harvested record lost or lacks since its import, and what that
means for the DCAT exports (docs/harvesting.md, "Repair, degrade, report").

The harvesters keep records they could not fully repair rather than lose
them, and say so on the record (``sca_import_flags``, JSON):

* ``missing``: properties DCAT-AP.de requires that the source does not
  give (schema field → the value that stands in, "" for none). While such a
  field still holds that value the record is searchable on the portal but
  kept out of every DCAT export (catalog endpoints, ``/dataset/<id>.ttl``),
  so the portal never publishes an invalid record; a curator's value ends it;
* ``degraded``: values left out or replaced at the import (what, where, why);
* an unknown licence is recorded as ``other-closed`` (not open), the
  source's own text kept in ``sca_original_license``.

``findings`` turns them into entries of the record's DCAT-AP.de findings
(``quality.conformance``), so the data contact sees them on the dashboard
and in the form.
"""
from __future__ import annotations

import json

FIELD = "sca_import_flags"
ORIGINAL_LICENCE = "sca_original_license"
# the dcat-ap.de list's conservative entry for a licence nobody recognises
NOT_OPEN = "other-closed"
# what DCAT-AP.de requires of a dataset that a harvested record may lack:
# schema field → property
REQUIRED = {"title": "dct:title", "notes": "dct:description"}
# codes of the findings (form_feedback words them in the user's language)
MISSING, LICENCE, DEGRADED = "import_missing", "import_licence", "import_degraded"


def encode(missing: dict[str, str], degraded: list[dict]) -> str:
    """The field's value ("" when there is nothing to say)."""
    data = {}
    if missing:
        data["missing"] = dict(sorted(missing.items()))
    if degraded:
        data["degraded"] = degraded
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""


def decode(pkg: dict) -> dict:
    raw = pkg.get(FIELD)
    if isinstance(raw, dict):
        return raw
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def missing(pkg: dict) -> list[str]:
    """The required properties (DCAT paths) the record still lacks: empty,
    or still the value that stood in for it at the import."""
    stand_ins = decode(pkg).get("missing") or {}
    out = []
    for field, path in REQUIRED.items():
        value = str(pkg.get(field) or "").strip()
        if not value or (field in stand_ins and stand_ins[field] and value == stand_ins[field]):
            out.append(path)
    return out


def withheld(pkg: dict) -> bool:
    """Whether the DCAT exports leave the record out."""
    return (pkg.get("type") or "dataset") == "dataset" and bool(missing(pkg))


def findings(pkg: dict) -> list[dict]:
    """Entries for the record's DCAT-AP.de findings (``quality.conformance``)."""
    out = [_finding("Violation", MISSING, path, "",
                    f"{path}: the source gives none, which DCAT-AP.de requires; the record is kept out "
                    "of the DCAT exports until it has one")
           for path in missing(pkg)]
    original = pkg.get(ORIGINAL_LICENCE)
    if pkg.get("license_id") == NOT_OPEN and original:
        out.append(_finding("Warning", LICENCE, "dct:license", str(original),
                            "the source's licence is not in the dcat-ap.de list: recorded as "
                            f"'{NOT_OPEN}' (not open); choose the licence it means, or map it in the "
                            "harvest source's configuration"))
    for entry in decode(pkg).get("degraded") or []:
        if isinstance(entry, dict):
            out.append(_finding("Warning", DEGRADED, entry.get("path") or "", entry.get("value") or "",
                                f"{entry.get('field')}: {entry.get('reason')}"))
    return out


def _finding(severity: str, code: str, path: str, value: str, message: str) -> dict:
    return {"severity": severity, "message": message, "path": path, "value": value, "focus": "",
            "code": code}
