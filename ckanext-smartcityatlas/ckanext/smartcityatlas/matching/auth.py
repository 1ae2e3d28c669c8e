# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may ask for matches: anyone, like package_search; sources and
candidates are read with the caller's permissions."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_match(context, data_dict):
    """Anyone, like package_search: sources and candidates are read with the caller's permissions."""
    return {"success": True}
