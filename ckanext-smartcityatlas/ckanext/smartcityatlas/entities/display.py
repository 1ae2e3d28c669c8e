# SPDX-License-Identifier: AGPL-3.0-or-later
"""What package_show and the entity pages show to whom."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.entities import privacy


def hide_editor_notes(context, pkg_dict) -> None:
    """For everyone but the record's editors: no editor warnings, and
    district-level locations instead of address points."""
    if pkg_dict.get("type") not in ("actor", "project"):
        return
    if context.get("ignore_auth") or _may_update(context, pkg_dict):
        # package_show may answer from the (coarsened) search index cache
        if pkg_dict.pop("location_coarsened", False):
            privacy.restore_exact(pkg_dict)
        return
    pkg_dict.pop("sca_warnings", None)
    if privacy.wants_coarse(pkg_dict) and not pkg_dict.get("location_coarsened"):
        privacy.coarsen_for_public(pkg_dict)


def hide_in_search_results(search_results, search_params) -> None:
    """Search results come from the index; editor notes never go out there."""
    for result in search_results.get("results", []):
        if isinstance(result, dict):
            result.pop("sca_warnings", None)


def _may_update(context, pkg_dict) -> bool:
    try:
        tk.check_access("package_update", {"user": context.get("user")}, {"id": pkg_dict["id"]})
        return True
    except tk.NotAuthorized:
        return False
