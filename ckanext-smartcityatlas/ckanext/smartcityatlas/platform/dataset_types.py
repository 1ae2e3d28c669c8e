# SPDX-License-Identifier: AGPL-3.0-or-later
"""Only dataset types the portal knows can be saved.

CKAN saves any ``type`` a caller sends and treats an unknown one with its
default schema. Such a record breaks every page that lists it (the dataset
search, the organisation and user pages, the dashboard: CKAN links it to the
``<type>.read`` page, which does not exist, and answers 500 for everyone),
and review before publishing (quality/review.py), which is configured per
type, did not see it: an editor published ``"type": "Dataset"`` without a
review. So a type no IDatasetForm plugin registered is refused on create and
update, naming the field.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def registered() -> set[str]:
    """The dataset types with pages and a schema (CKAN's own ``dataset`` always)."""
    types = {"dataset"}
    for plugin in p.PluginImplementations(p.IDatasetForm):
        types.update(plugin.package_types())
    return types


def check(data_dict) -> None:
    kind = data_dict.get("type") if isinstance(data_dict, dict) else None
    if kind is None or kind == "":
        return  # CKAN keeps the stored type or takes "dataset"
    known = registered()
    if not isinstance(kind, str) or kind not in known:
        raise tk.ValidationError({"type": [tk._("Unknown dataset type; use one of: {types}.").format(
            types=", ".join(sorted(known)))]})


@register.chained_saves
def known_types_only(up, context, data_dict, action):
    check(data_dict)
    return up(context, data_dict)
