# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read the status history and the monitoring."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def _allowed(action: str, context: dict, data: dict) -> dict:
    try:
        tk.check_access(action, context, data)
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


@register.auth
@tk.auth_allow_anonymous_access
def sca_status_history(context, data_dict):
    """Whoever may see the project."""
    return _allowed("package_show", context, {"id": (data_dict or {}).get("id")})


@register.auth
@tk.auth_allow_anonymous_access
def sca_monitoring(context, data_dict):
    """Public: it lists only the measures the caller may see."""
    return {"success": True}
