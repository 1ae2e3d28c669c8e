# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who is asking: the action context of the request's user, their
permission labels, and the site user's context for background work."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.lib import plugins as lib_plugins


def caller_context() -> dict:
    """The logged-in user's action context, or the anonymous one (views)."""
    user = tk.current_user if tk.current_user and tk.current_user.is_authenticated else None
    return {"user": user.name if user else "", "auth_user_obj": user}


def permission_labels(context: dict) -> list[str] | None:
    """The caller's permission labels, exactly as package_search computes them
    (None: sysadmin or ignore_auth, sees everything)."""
    user = context.get("auth_user_obj")
    if context.get("ignore_auth") or (user and authz.is_sysadmin(getattr(user, "name", None))):
        return None
    return lib_plugins.get_permission_labels().get_user_dataset_labels(user)


def site_context() -> dict:
    """The site user's context: background jobs, the scheduler, CLI commands."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def allowed(action: str, context: dict, data: dict) -> dict:
    """An auth function's answer that defers to another action's check
    (``{"success": …}``: whoever may ``action`` on ``data``)."""
    try:
        tk.check_access(action, context, data)
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}
