# SPDX-License-Identifier: AGPL-3.0-or-later
"""Field ownership: what a curator edited after a harvest is theirs.

After every harvest write, the hash of each harvested field *as stored*
(package_show after the write) is kept in the dataset's ``sca_field_hashes``
companion, i.e. in the harvest object extra of the current object (no
second package write, no extra activity). At the next re-harvest a field
whose stored value no longer has that hash was edited by hand: it keeps the
curator's value unless the source configuration says ``overwrite_curated``
(true, or a list of fields). A curated field stays curated: its recorded
hash remains the one of the last harvested value.
"""
from __future__ import annotations

import hashlib
import json

# Dataset fields the harvesters write and a curator may edit. Provenance
# fields (sca_*) and the organisation are always the harvester's.
OWNED_FIELDS = (
    "title", "title_en", "notes", "description_en", "tags", "theme", "publisher_name",
    "publisher_url", "contact_name", "contact_email", "contact_url", "roles", "license_id",
    "license_attribution", "spatial", "spatial_text", "spatial_uri", "temporal_start",
    "temporal_end", "frequency", "language", "issued", "modified", "identifier", "url",
    "conforms_to", "documentation", "provenance", "legal_basis", "applicable_legislation",
    "access_rights", "resources",
)
RESOURCE_FIELDS = (
    "id", "url", "name", "description", "format", "mimetype", "download_url", "license",
    "license_attribution", "availability", "size", "hash", "hash_algorithm", "issued", "modified",
)


def normalise(field: str, value):
    """The comparable form of a field value (what package_show returns and
    what we send differ in form only: tag dicts vs names, JSON strings vs lists)."""
    if value in (None, "", [], {}):
        return None
    if field == "tags":
        return sorted(t["name"] if isinstance(t, dict) else str(t) for t in value) or None
    if field == "resources":
        return [{k: normalise(k, r.get(k)) for k in RESOURCE_FIELDS if r.get(k) not in (None, "")}
                for r in value] or None
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)
    if isinstance(value, (int, float)):
        return str(value)
    return value


def field_hash(field: str, value) -> str:
    data = json.dumps(normalise(field, value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def hashes(pkg: dict, fields=OWNED_FIELDS) -> dict[str, str]:
    return {field: field_hash(field, pkg.get(field)) for field in fields}


def curated_fields(current: dict, recorded: dict[str, str], fields=OWNED_FIELDS) -> list[str]:
    """Fields whose current value is not the one last harvested."""
    return [f for f in fields
            if f in recorded and field_hash(f, current.get(f)) != recorded[f]]


def merge(harvested: dict, current: dict, recorded: dict[str, str],
          overwrite: bool | list[str], fields=OWNED_FIELDS) -> tuple[dict, list[str], dict[str, str]]:
    """The dict to save: harvested values, except curated fields keep the
    current value. Returns (dict, kept fields, hashes to keep for them)."""
    out = dict(harvested)
    kept, keep_hashes = [], {}
    for field in curated_fields(current, recorded, fields):
        if overwrite is True or (isinstance(overwrite, list) and field in overwrite):
            continue
        out[field] = current.get(field)
        kept.append(field)
        keep_hashes[field] = recorded[field]
    return out, kept, keep_hashes
