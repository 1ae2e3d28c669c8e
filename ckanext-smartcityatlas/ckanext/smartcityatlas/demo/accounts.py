# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo's data contact: a functional account (no person) that is an
editor of the office owning the demo datasets, so a visitor of the demo can
see the portal as a Fachamt's data contact does (login lands on the quality
dashboard). Its password is generated, printed once and stored nowhere, as
the sysadmin's."""
from __future__ import annotations

import secrets

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.caller import site_context

NAME = "demo-datenkontakt"
EMAIL = "demo-datenkontakt@example.org"


def ensure_data_contact(organization: str) -> str | None:
    """Create the account if missing (its password is returned, else None)
    and make it an editor of ``organization``."""
    context = site_context()
    password = None
    try:
        tk.get_action("user_show")(context, {"id": NAME})
    except tk.ObjectNotFound:
        password = secrets.token_urlsafe(18)
        tk.get_action("user_create")(context, {"name": NAME, "email": EMAIL, "password": password,
                                               "fullname": "Datenkontakt (Demo)"})
    tk.get_action("organization_member_create")(site_context(), {"id": organization, "username": NAME,
                                                                 "role": "editor"})
    return password
