# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read a radar run's report and resolve a partner name."""
from __future__ import annotations

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import allowed

register = Registry()


@register.auth
def sca_radar_report(context, data_dict):
    """Whoever may see the harvest job."""
    return allowed("harvest_job_show", context, {"id": (data_dict or {}).get("id")})


@register.auth
def sca_radar_resolve_partner(context, data_dict):
    """Editors of the project; creating an actor also needs the right to
    create it in the organisation it goes to (the action checks that)."""
    return allowed("package_update", context, {"id": (data_dict or {}).get("id")})
