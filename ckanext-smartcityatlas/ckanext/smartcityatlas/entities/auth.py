# SPDX-License-Identifier: AGPL-3.0-or-later
"""Authorization of the entity actions: whoever may see the entity may ask."""
import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_actor_projects(context, data_dict):
    """Whoever may see the actor (package_show); only projects the caller may see are listed."""
    return _may_show(context, data_dict)


@register.auth
@tk.auth_allow_anonymous_access
def sca_project_actors(context, data_dict):
    """Whoever may see the project (package_show); only actors the caller may see are listed."""
    return _may_show(context, data_dict)


def _may_show(context, data_dict):
    # Unknown ids are the action's business (Not Found), not an auth failure.
    return {"success": True}
