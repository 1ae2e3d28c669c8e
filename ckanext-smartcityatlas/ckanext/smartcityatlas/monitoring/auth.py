# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read the status history and the monitoring."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import allowed

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_status_history(context, data_dict):
    """Whoever may see the project."""
    return allowed("package_show", context, {"id": (data_dict or {}).get("id")})


@register.auth
@tk.auth_allow_anonymous_access
def sca_monitoring(context, data_dict):
    """Public: it lists only the measures the caller may see."""
    return {"success": True}


@register.auth
@tk.auth_allow_anonymous_access
def sca_monitor_show(context, data_dict):
    """Public: every figure is the public view (what anonymous visitors may see)."""
    return {"success": True}
