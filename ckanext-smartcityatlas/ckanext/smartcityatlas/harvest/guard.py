# SPDX-License-Identifier: AGPL-3.0-or-later
"""Only sysadmins may point a harvest source at a local file.

A ``file://`` source reads the portal's own file system, so creating one or
changing a source's address to one is a sysadmin's decision; the harvesters
additionally check at every harvest that the source was created by a
sysadmin (``harvesters/base.py``). Harvest sources are datasets of type
``harvest``, so the check sits on package_create/package_update (which
ckanext-harvest's harvest_source_create/update call).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model


def _check(context: dict, data_dict: dict) -> None:
    if data_dict.get("type") != "harvest" and "source_type" not in data_dict:
        return
    url = str(data_dict.get("url") or "").strip().lower()
    if not url.startswith("file:"):
        return
    user = model.User.get(context.get("user") or "")
    if user is None or not user.sysadmin:
        raise tk.ValidationError({"url": [tk._("Only sysadmins can harvest local files (file://).")]})


@tk.chained_action
def package_create(up, context, data_dict):
    _check(context, data_dict)
    return up(context, data_dict)


@tk.chained_action
def package_update(up, context, data_dict):
    _check(context, data_dict)
    return up(context, data_dict)
