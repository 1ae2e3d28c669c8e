# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anyone may ask for data and read the requests; the responsible office
(editors and admins of its organisation), the central open-data team
(editors and admins of its organisation) and sysadmins handle them."""
import ckan.plugins.toolkit as tk
from ckan import authz
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.auth
@tk.auth_allow_anonymous_access
def sca_datarequest_create(context, data_dict):
    """Anyone, also anonymously."""
    return {"success": True}


@register.auth
@tk.auth_allow_anonymous_access
def sca_datarequest_list(context, data_dict):
    """Anyone: the requests are public (the requesters' addresses never are)."""
    return {"success": True}


@register.auth
@tk.auth_allow_anonymous_access
def sca_datarequest_show(context, data_dict):
    """Anyone: the requests are public (the requesters' addresses never are)."""
    return {"success": True}


def may_handle(user: str | None, owner_org: str | None) -> bool:
    from ckanext.smartcityatlas.datarequests import routing

    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    central = routing.central_org_id()
    return any(org and authz.has_user_permission_for_group_or_org(org, user, "update_dataset")
               for org in (owner_org, central))


@register.auth
def sca_datarequest_update(context, data_dict):
    """The responsible office and the central open-data team (editors and admins of their
    organisations), and sysadmins."""
    from ckanext.smartcityatlas.datarequests import store

    row = store.get(data_dict.get("id") or "")
    if row is not None and may_handle(context.get("user"), row["owner_org"]):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the responsible office or the open-data team can change a data request.")}
