# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anyone may submit; only admins of the owning organisation (and sysadmins)
see and moderate submissions."""
import ckan.plugins.toolkit as tk
from ckan import authz
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_correction_create(context, data_dict):
    """Anyone, also anonymously."""
    return {"success": True}


def admin_org_ids(user: str | None) -> list[str] | None:
    """Organisations user administers; None means all (sysadmin)."""
    if authz.is_sysadmin(user):
        return None
    if not user:
        return []
    orgs = tk.get_action("organization_list_for_user")({"user": user}, {"permission": "admin"})
    return [o["id"] for o in orgs]


@register.auth
def sca_correction_list(context, data_dict):
    """Admins of an organisation (the submissions of their organisations) and sysadmins (all)."""
    orgs = admin_org_ids(context.get("user"))
    if orgs is None or orgs:
        return {"success": True}
    return {"success": False, "msg": tk._("Only administrators of an organisation can moderate submissions.")}


@register.auth
def sca_correction_update(context, data_dict):
    """Admins of the organisation that owns the entry concerned, and sysadmins."""
    from ckanext.smartcityatlas.corrections import store

    orgs = admin_org_ids(context.get("user"))
    if orgs is None:
        return {"success": True}
    row = store.get(data_dict.get("id") or "")
    if row and row["owner_org"] in orgs:
        return {"success": True}
    return {"success": False, "msg": tk._("Only administrators of the owning organisation can moderate this submission.")}
