# SPDX-License-Identifier: AGPL-3.0-or-later
"""List values as CKAN, ckanext-scheming, Solr, forms and harvesters hand
them over: one reading, so every capability treats bad input alike."""
from __future__ import annotations

import json


def as_list(value) -> list:
    """A list field's items without empty ones: a list, a JSON list text
    (``'["a", "b"]'``, as unvalidated dicts and the index keep them) or a
    single value. Text that starts like JSON but is none stays one item
    (nothing is dropped silently)."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    return [] if value in (None, "") else [value]


def values(data_dict: dict, key: str) -> list[str]:
    """A request parameter's values: a list, or text separated by commas."""
    value = data_dict.get(key)
    if value in (None, "", []):
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()]
