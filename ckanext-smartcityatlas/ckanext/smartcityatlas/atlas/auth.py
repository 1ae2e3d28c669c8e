# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may call the atlas actions: anyone, like package_search; what a caller
sees is limited by CKAN's permission labels in every result."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth("sca_search")
@register.auth("sca_geojson")
@register.auth("sca_network")
@tk.auth_allow_anonymous_access
def public(context, data_dict):
    """Anyone, like package_search: results hold only the records the caller may see."""
    return {"success": True}
