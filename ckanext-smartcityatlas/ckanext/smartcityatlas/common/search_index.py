# SPDX-License-Identifier: AGPL-3.0-or-later
"""A dataset's search index entry, written as CKAN writes it, on CKAN 2.12 and 2.11.

CKAN 2.12 reads a dataset once with the default and once with its custom
schema (``logic.package_show_default_and_custom_schemas``) and indexes both
(``logic.index_update_package_dicts``); CKAN 2.11 has neither: its index
takes package_show's unvalidated dict and validates it itself. The
harvesters and the actors' relations index through these functions, so the
extension runs on both (tests/deploy/test_wheel_install.py).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import logic

# CKAN 2.12's index functions (absent in 2.11)
NATIVE = hasattr(logic, "package_show_default_and_custom_schemas")


def dataset_dicts(context: dict, pkg_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset as the index takes it and as package_show answers (its custom schema)."""
    if NATIVE:
        return logic.package_show_default_and_custom_schemas(context, pkg_id)
    return _unvalidated(context, pkg_id), tk.get_action("package_show")({**context, "use_cache": False},
                                                                        {"id": pkg_id})


def _unvalidated(context: dict, pkg_id: str) -> dict[str, Any]:
    """What CKAN 2.11's index takes (as its own ``SynchronousSearchPlugin`` reads it)."""
    return tk.get_action("package_show")({**context, "validate": False, "use_cache": False}, {"id": pkg_id})


def index_dicts(dicts: tuple[dict[str, Any], dict[str, Any]], defer_commit: bool = False) -> None:
    """Write the index entry from ``dataset_dicts``' answer."""
    if NATIVE:
        logic.index_update_package_dicts(dicts, defer_commit)
        return
    from ckan.lib import search

    search.index_for("Package").update_dict(dict(dicts[0]), defer_commit)


def update(context: dict, pkg_id: str, defer_commit: bool = False) -> None:
    """Index the dataset as the database has it."""
    if NATIVE:
        logic.index_update_package(context, pkg_id, defer_commit=defer_commit)
        return
    from ckan.lib import search

    search.index_for("Package").update_dict(_unvalidated(context, pkg_id), defer_commit)


def remove(pkg_id: str) -> None:
    from ckan.lib import search

    search.index_for("Package").remove_dict({"id": pkg_id})
