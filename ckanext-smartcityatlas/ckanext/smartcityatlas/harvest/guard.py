# SPDX-License-Identifier: AGPL-3.0-or-later
"""Only sysadmins may point a harvest source at a local file.

A ``file://`` source reads the portal's own file system, so creating one or
changing a source's address to one is a sysadmin's decision; the harvesters
additionally check at every harvest that the source was created by a
sysadmin (``harvesters/base.py``). Harvest sources are datasets of type
``harvest``, so the check sits on package_create/package_update (which
ckanext-harvest's harvest_source_create/update call).

The same place takes a radar file uploaded in the source form or the API
(``radar/upload.py``): checked and stored only for someone allowed to save
the source, kept only if the source was saved.

Both actions also read a harvested dataset once after its save when the
harvester asks (``saved_record``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.harvest import saved_record


def _check(context: dict, data_dict: dict) -> None:
    if data_dict.get("type") != "harvest" and "source_type" not in data_dict:
        return
    url = str(data_dict.get("url") or "").strip().lower()
    if not url.startswith("file:"):
        return
    user = model.User.get(context.get("user") or "")
    if user is None or not user.sysadmin:
        raise tk.ValidationError({"url": [tk._("Only sysadmins can harvest local files (file://).")]})


def _is_source(data_dict: dict) -> bool:
    return data_dict.get("type") == "harvest" or "source_type" in data_dict


def _save(up, context, data_dict, action: str):
    if not _is_source(data_dict):
        return up(context, data_dict)
    from ckanext.smartcityatlas.radar import upload

    existing = upload.existing_source(data_dict) if action == "package_update" else None
    file = upload.uploaded_file(data_dict)
    if file is None:
        upload.check_url(data_dict, existing)
        _check(context, data_dict)
        return up(context, data_dict)
    # authorised before anything is read or stored
    tk.check_access(action, dict(context), {"id": existing.id} if existing is not None else data_dict)
    stored = upload.store(context, data_dict, file, existing)
    try:
        result = up(context, data_dict)
    except Exception:
        upload.discard(stored)
        raise
    saved_id = result if isinstance(result, str) else (result or {}).get("id")
    upload.commit(stored, saved_id or (existing.id if existing is not None else ""))
    return result


@tk.chained_action
def package_create(up, context, data_dict):
    result = _save(up, context, data_dict, "package_create")
    saved_record.after_save(context, result)
    return result


@tk.chained_action
def package_update(up, context, data_dict):
    result = _save(up, context, data_dict, "package_update")
    saved_record.after_save(context, result)
    return result
