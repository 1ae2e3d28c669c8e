# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read validation findings: whoever may read the record."""
import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_validation_show(context, data_dict):
    """Whoever may read the dataset (package_show)."""
    try:
        tk.check_access("package_show", dict(context), data_dict)
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to read this dataset")}
    return {"success": True}


@register.auth
def sca_quality_show(context, data_dict):
    """Logged-in users who may read the dataset (package_show)."""
    return sca_validation_show(context, data_dict)


@register.auth
@tk.auth_allow_anonymous_access
def sca_link_status_show(context, data_dict):
    """Whoever may read the dataset (package_show), anonymous callers too: a citizen may see why
    a public download fails."""
    return sca_validation_show(context, data_dict)


@register.auth("sca_quality_history")
@register.auth
def sca_quality_list(context, data_dict):
    """Members of the organisation (any capacity) and sysadmins; without an
    organisation, any logged-in user (who then sees their own offices)."""
    from ckan import authz

    user = context.get("user")
    if not user or authz.auth_is_anon_user(context):
        return {"success": False, "msg": tk._("Only members of an organisation can see quality scores")}
    org_id = data_dict.get("organization")
    if org_id and not authz.has_user_permission_for_group_or_org(org_id, user, "read"):
        return {"success": False, "msg": tk._("Only members of this organisation can see its quality scores")}
    return {"success": True}
