# SPDX-License-Identifier: AGPL-3.0-or-later
"""The choices of the entity schemas' vocabulary fields (value → label in
each language), for facets, filters and explanations."""
from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk


@functools.lru_cache(maxsize=16)
def field_choices(field: str) -> dict:
    """value → label (a language dict) of ``field`` in the project or actor schema."""
    for schema_type in ("project", "actor"):
        schema = tk.h.scheming_get_dataset_schema(schema_type) or {}
        for f in schema.get("dataset_fields", []):
            if f["field_name"] == field and f.get("choices"):
                return {c["value"]: c["label"] for c in f["choices"]}
    return {}
