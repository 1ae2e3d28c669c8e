# SPDX-License-Identifier: AGPL-3.0-or-later
"""Review before publishing: editors save drafts (private); making a record
public needs an organisation admin, a sysadmin or a configured reviewer.

Enforced in the auth functions that every path goes through (the form, the
API's package_create/update/patch/revise, bulk publishing), chained onto
CKAN's own, so an editor cannot publish through the API either. Editing a
record that is already public stays open to editors (it was reviewed once);
the activity stream records who changed and who published it.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckanext.smartcityatlas.capability import Registry

register = Registry()

# What CKAN's boolean_validator (the ``private`` field of every dataset
# schema) reads as true or false, exactly: it lower-cases but does not strip,
# and turns every other value into False, i.e. public. Deciding with
# tk.asbool instead ("on", " true", "TRUE " are true for asbool) let an
# editor publish a record CKAN saved as public while this check saw a draft.
_TRUE = ("true", "yes", "t", "y", "1")
_FALSE = ("false", "no", "f", "n", "0", "")


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.smartcityatlas.review.enabled"))


def reviewed_types() -> list[str]:
    return tk.aslist(tk.config.get("ckanext.smartcityatlas.review.dataset_types"))


def may_publish(user_name: str | None, org_id: str | None) -> bool:
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    if user_name in tk.aslist(tk.config.get("ckanext.smartcityatlas.review.reviewers")):
        return True
    return bool(org_id) and authz.users_role_for_group_or_org(org_id, user_name) == "admin"


def _denied() -> dict:
    return {"success": False, "msg": tk._(
        "Only an organisation admin or a reviewer can publish this dataset; save it as private (draft) "
        "and ask them to publish it")}


def stored_private(value: Any) -> bool:
    """The ``private`` CKAN will store for ``value`` (None: not given, i.e.
    public on create); a value CKAN would silently turn into "public" although
    it is neither a boolean nor one of its words is refused."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE:
        return True
    if isinstance(value, str) and value.lower() in _FALSE:
        return False
    raise tk.ValidationError({"private": [tk._(
        "Please give true or false (private draft or public record).")]})


@register.auth
@tk.chained_auth_function
def package_create(next_auth, context, data_dict):
    result = next_auth(context, data_dict)
    data_dict = data_dict or {}
    # the "new dataset" page asks without data; only a real create decides
    creating = "name" in data_dict or "private" in data_dict
    if not result.get("success") or not creating:
        return result
    private = stored_private(data_dict.get("private"))  # CKAN creates public records by default
    if not enabled() or (data_dict.get("type") or "dataset") not in reviewed_types():
        return result
    if not private and not may_publish(context.get("user"), data_dict.get("owner_org")):
        return _denied()
    return result


@register.auth
@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    result = next_auth(context, data_dict)
    data_dict = data_dict or {}
    if not result.get("success"):
        return result
    # None: CKAN's update schema ignores it (the record stays as it is)
    publishing = data_dict.get("private") is not None and not stored_private(data_dict["private"])
    if not publishing or not enabled():
        return result
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if pkg is None or pkg.type not in reviewed_types() or not pkg.private:
        return result
    if not may_publish(context.get("user"), data_dict.get("owner_org") or pkg.owner_org):
        return _denied()
    return result


@register.auth
@tk.chained_auth_function
def bulk_update_public(next_auth, context, data_dict):
    result = next_auth(context, data_dict)
    if not result.get("success") or not enabled():
        return result
    if not may_publish(context.get("user"), (data_dict or {}).get("org_id")):
        return _denied()
    return result
