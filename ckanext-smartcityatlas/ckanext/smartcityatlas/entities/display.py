# SPDX-License-Identifier: AGPL-3.0-or-later
"""What package_show and the entity pages show to whom."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def hide_editor_notes(context, pkg_dict) -> None:
    """Warnings (e.g. location outside the city) are for the record's editors."""
    if pkg_dict.get("type") not in ("actor", "project") or "sca_warnings" not in pkg_dict:
        return
    if context.get("ignore_auth") or _may_update(context, pkg_dict):
        return
    pkg_dict.pop("sca_warnings", None)


def _may_update(context, pkg_dict) -> bool:
    try:
        tk.check_access("package_update", {"user": context.get("user")}, {"id": pkg_dict["id"]})
        return True
    except tk.NotAuthorized:
        return False
