# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actions for public submissions and their moderation."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan.common import _

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.corrections import schema, store
from ckanext.smartcityatlas.corrections.auth import admin_org_ids
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def _public(row: dict) -> dict:
    return {k: row[k] for k in ("id", "package_id", "kind", "status", "created")} | {
        "created": row["created"].isoformat()}


def _full(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime.datetime) else v) for k, v in row.items()}


@register.action
@validated(schema.sca_correction_create)
def sca_correction_create(context, data_dict):
    """Suggest a new entry, correct or object to one (anyone, also anonymously).

    :param kind: ``suggest_new``, ``correction`` or ``objection``
    :param package_id: the actor or project concerned (not for suggest_new)
    :param message: what should change, at most 5,000 characters
    :param contact_name: optional, never public
    :param contact_email: optional, never public; deleted after the retention time
    :param website: must stay empty (a field hidden from people, filled by bots)
    :returns: ``{"id", "status", ...}`` without the contact data
    """
    tk.check_access("sca_correction_create", context, data_dict)
    kind = data_dict["kind"]
    package_id, owner_org = None, None
    if kind in ("correction", "objection"):
        try:
            entity = tk.get_action("package_show")({"user": context.get("user")}, {"id": data_dict.get("package_id") or ""})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            entity = None
        if entity is None or entity.get("type") not in ("actor", "project"):
            raise tk.ValidationError({"package_id": [_("Please name the entry you want to correct.")]})
        package_id, owner_org = entity["id"], entity.get("owner_org")
    else:
        default = city_config.current().settings.get("default_organization")
        try:
            owner_org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": default})["id"]
        except tk.ObjectNotFound:
            owner_org = None  # only sysadmins will see it
    row = store.insert(package_id=package_id, owner_org=owner_org, kind=kind, message=data_dict["message"].strip(),
                       contact_name=(data_dict.get("contact_name") or "").strip() or None,
                       contact_email=data_dict.get("contact_email"))
    return _public(row)


@register.action
@tk.side_effect_free
@validated(schema.sca_correction_list)
def sca_correction_list(context, data_dict):
    """Submissions for the organisations the caller administers (sysadmins: all).

    :param status: ``open`` (default), ``accepted``, ``rejected`` or ``all``
    :param limit: default 50, at most 500
    :param offset: default 0
    """
    tk.check_access("sca_correction_list", context, data_dict)
    status = data_dict["status"]
    rows = store.listing(admin_org_ids(context.get("user")), None if status == "all" else status,
                         data_dict["limit"], data_dict["offset"])
    return {"results": [_full(r) for r in rows]}


@register.action
@validated(schema.sca_correction_update)
def sca_correction_update(context, data_dict):
    """Moderate a submission: accept (the admin then edits the entry by hand)
    or reject, with an optional note.

    :param id: the submission
    :param status: ``accepted`` or ``rejected``
    :param moderator_note: optional
    """
    tk.check_access("sca_correction_update", context, data_dict)
    row = store.get(data_dict["id"])
    if row is None:
        raise tk.ObjectNotFound(_("Submission not found."))
    store.update(row["id"], status=data_dict["status"], moderator_note=data_dict.get("moderator_note"),
                 moderated_by=context.get("user"), moderated=store.now())
    return _full(store.get(row["id"]))


@register.periodic_task("purge_submission_contacts")
def purge_old_contacts() -> int:
    """Scheduler task: delete submitters' contact data after the retention time."""
    days = tk.config.get("ckanext.smartcityatlas.corrections.contact_retention_days")
    return store.purge_contacts(store.now() - datetime.timedelta(days=days))
