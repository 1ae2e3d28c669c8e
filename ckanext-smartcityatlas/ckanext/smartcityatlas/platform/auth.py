# SPDX-License-Identifier: AGPL-3.0-or-later
"""Authorization of the platform actions."""
import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_status_show(context, data_dict):
    """Anyone; versions, timings and reasons only for sysadmins."""
    # Public by design (monitoring); details are trimmed in the action.
    return {"success": True}
