# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a harvest source's address may be: the rules in one place.

Harvest sources are datasets of type ``harvest``, so the check sits on
package_create/package_update, which every path that saves a source goes
through (ckanext-harvest's harvest_source_create/update/patch, package_patch,
package_revise, the source form). ``check_url`` reads the address with the
fetcher's own ``split_url`` (common/fetch.py), so it judges the spelling
that would be fetched, never a stripped or lower-cased copy:

* control characters and whitespace anywhere: refused (``urlsplit`` drops
  some of them: ``"\\x01file:///etc/passwd"`` is ``file:`` to the fetcher);
* ``http``/``https`` with a host name: allowed. Which addresses a name may
  reach is decided when connecting (fetch.py): DNS answers change, so a
  check here would only give a false sense of safety;
* ``file:``: only sysadmins (it reads the portal's own file system); the
  harvesters also check at every harvest that the source was created by a
  sysadmin (``harvesters/base.py``);
* ``sca-upload:``: only the address the source already has (a radar file
  uploaded in the source form, ``harvesters/radar/upload.py``; typed in, it could name
  another source's file);
* every other scheme: refused.

A radar file uploaded in the source form or the API is taken by its own
chain of the same actions (``harvesters/radar/upload.py``, around this one):
the address it stores is the one this check lets pass.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def check_url(context: dict, data_dict: dict, existing) -> None:
    """ValidationError on ``url`` unless the address may be saved by the
    caller (``existing``: the source being updated, or None)."""
    from ckanext.smartcityatlas.harvesters.radar import upload

    url = data_dict.get("url")
    if url is None or url == "":
        return  # the schema says that it is missing
    if not isinstance(url, str):
        raise _invalid(tk._("The address must be a text."))
    position = fetch.unsafe_character(url)
    if position is not None:
        raise _invalid(tk._("The address contains a control character or a space (character {position}); "
                            "remove it.").format(position=position))
    try:
        parts = fetch.split_url(url)
    except fetch.FetchError:
        raise _invalid(tk._("This is not a valid address."))
    if parts.scheme in ("http", "https"):
        if not parts.hostname:
            raise _invalid(tk._("The address has no host name."))
    elif parts.scheme == "file":
        user = model.User.get(context.get("user") or "")
        if user is None or not user.sysadmin:
            raise _invalid(tk._("Only sysadmins can harvest local files (file://)."))
    elif upload.is_upload(url):
        if existing is None or url != existing.url:
            raise _invalid(tk._("This address is set by uploading a file; upload the file "
                                "again or give an http(s) address."))
    else:
        raise _invalid(tk._("Only http and https addresses can be harvested."))


def _invalid(message: str) -> tk.ValidationError:
    return tk.ValidationError({"url": [message]})


def _is_source(data_dict: dict) -> bool:
    return data_dict.get("type") == "harvest" or "source_type" in data_dict


@register.chained_saves
def guard_source_address(up, context, data_dict, action: str):
    from ckanext.smartcityatlas.harvesters.radar import upload

    # an update of a source is one whatever the caller says its type is
    # (package_update takes the stored type)
    existing = upload.existing_source(data_dict) if action == "package_update" else None
    if existing is None and not _is_source(data_dict):
        return up(context, data_dict)
    if data_dict.get("url") != context.get(upload.STORED_URL):  # not the file this save just stored
        check_url(context, data_dict, existing)
    return up(context, data_dict)
