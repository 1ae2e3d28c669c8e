# SPDX-License-Identifier: AGPL-3.0-or-later
"""The choices of the entity schemas' vocabulary fields (value → label in
each language), for facets, filters and explanations."""
from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.language import language


@functools.lru_cache(maxsize=16)
def field_choices(field: str) -> dict:
    """value → label (a language dict) of ``field`` in the project or actor schema."""
    for schema_type in ("project", "actor"):
        schema = tk.h.scheming_get_dataset_schema(schema_type) or {}
        for f in schema.get("dataset_fields", []):
            if f["field_name"] == field and f.get("choices"):
                return {c["value"]: c["label"] for c in f["choices"]}
    return {}


def choice_labels(field: str) -> dict[str, str]:
    """value → label of ``field`` in the page language."""
    lang = language()
    return {value: tk.h.scheming_language_text(label, prefer_lang=lang)
            for value, label in field_choices(field).items()}
