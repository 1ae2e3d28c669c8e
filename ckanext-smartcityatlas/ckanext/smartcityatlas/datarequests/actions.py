# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data requests ("Datenwünsche"): the public asks for missing data, the
responsible office (or the central open-data team) answers in public."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import _

from ckanext.smartcityatlas.datarequests import routing, schema, store
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def public(row: dict) -> dict:
    """What everyone may see: never the requester's address."""
    org = model.Group.get(row["owner_org"]) if row.get("owner_org") else None
    dataset = None
    if row["status"] == "published" and row.get("package_id"):
        pkg = model.Package.get(row["package_id"])
        if pkg is not None and pkg.state == "active" and not pkg.private:
            dataset = {"id": pkg.id, "name": pkg.name, "title": pkg.title}
    return {
        "id": row["id"], "title": row["title"], "description": row["description"], "status": row["status"],
        "organization": {"name": org.name, "title": org.title} if org is not None else None,
        "dataset": dataset, "reason": row.get("reason") if row["status"] == "declined" else None,
        "created": row["created"].isoformat(), "updated": row["updated"].isoformat(),
        "answered": row["answered"].isoformat() if row.get("answered") else None,
    }


@register.action
@validated(schema.sca_datarequest_create)
def sca_datarequest_create(context, data_dict):
    """Ask for data the portal does not have (anyone, also anonymously).

    :param title: what data, at most 200 characters
    :param description: what for, in which form, at most 4,000 characters
    :param organization: the office you think is responsible (optional; else the central open-data team)
    :param email: optional, never public, only to tell you about status changes; deleted after the
        retention time
    :param website: must stay empty (a field hidden from people, filled by bots)
    :returns: the request as the public list shows it
    """
    tk.check_access("sca_datarequest_create", context, data_dict)
    row = store.insert(title=data_dict["title"].strip(), description=data_dict["description"].strip(),
                       owner_org=routing.responsible(data_dict.get("organization")),
                       requester_email=data_dict.get("email"))
    routing.notify_office(row)
    return public(row)


@register.action
@tk.side_effect_free
@validated(schema.sca_datarequest_list)
def sca_datarequest_list(context, data_dict):
    """The public list of data requests, newest first.

    :param status: ``open``, ``in_review``, ``published``, ``declined`` or ``all`` (default)
    :param organization: only the requests of this office (name or id)
    :param q: words that title or description contain, in any word form
        German knows ("Bäume" finds "Baum") or as a part of a word
    :param limit: default 20, at most 100
    :param offset: default 0
    :returns: ``{"count", "results"}``
    """
    tk.check_access("sca_datarequest_list", context, data_dict)
    status = data_dict["status"]
    org_id = None
    if data_dict.get("organization"):
        group = model.Group.get(data_dict["organization"])
        if group is None or not group.is_organization:
            raise tk.ObjectNotFound(_("Organisation not found"))
        org_id = group.id
    count, rows = store.listing(None if status == "all" else status, org_id, data_dict["limit"],
                                data_dict["offset"], data_dict.get("q"))
    return {"count": count, "results": [public(r) for r in rows]}


@register.action
@tk.side_effect_free
@validated(schema.sca_datarequest_show)
def sca_datarequest_show(context, data_dict):
    """One data request as the public list shows it; ``can_edit`` tells the caller whether they may
    answer it.

    :param id: the request
    """
    tk.check_access("sca_datarequest_show", context, data_dict)
    row = store.get(data_dict["id"])
    if row is None:
        raise tk.ObjectNotFound(_("Data request not found"))
    from ckanext.smartcityatlas.datarequests.auth import may_handle

    return {**public(row), "can_edit": may_handle(context.get("user"), row["owner_org"])}


@register.action
@validated(schema.sca_datarequest_update)
def sca_datarequest_update(context, data_dict):
    """Answer a data request (the responsible office, the open-data team, sysadmins).

    :param id: the request
    :param status: ``open``, ``in_review``, ``published`` (needs ``dataset``) or ``declined``
        (needs ``reason``)
    :param dataset: the public dataset that fulfils the request (name or id)
    :param reason: why it is declined (public)
    :param organization: hand the request to another office (name or id)
    :returns: the request as the public list shows it (``answered``: when it was first published or
        declined; a later edit or reopening keeps it); the requester is told of a new status by
        e-mail if they left an address, a new office is told of the request
    """
    tk.check_access("sca_datarequest_update", context, data_dict)
    row = store.get(data_dict["id"])
    if row is None:
        raise tk.ObjectNotFound(_("Data request not found"))
    errors: dict[str, list[str]] = {}
    status = data_dict.get("status") or row["status"]
    values: dict = {"status": status, "updated_by": context.get("user")}
    if status == "published":
        pkg = model.Package.get(data_dict.get("dataset") or row.get("package_id") or "")
        if pkg is None or pkg.state != "active" or pkg.private or pkg.type != "dataset":
            errors["dataset"] = [_("Please name the published (public) dataset that fulfils the request.")]
        else:
            values["package_id"] = pkg.id
    reason = (data_dict.get("reason") or "").strip()
    if status == "declined" and not (reason or row.get("reason")):
        errors["reason"] = [_("Please give a reason (it is shown publicly).")]
    if reason:
        values["reason"] = reason
    moved = False
    if data_dict.get("organization"):
        group = model.Group.get(data_dict["organization"])
        if group is None or not group.is_organization or group.state != "active":
            errors["organization"] = [_("Organisation not found")]
        elif group.id != row["owner_org"]:
            values["owner_org"], moved = group.id, True
    if errors:
        raise tk.ValidationError(errors)
    if status in store.ANSWERED and row.get("answered") is None:
        values["answered"] = store.now()
    store.update(row["id"], **values)
    updated = store.get(row["id"])
    if updated["status"] != row["status"]:
        routing.notify_requester(updated)
    if moved:
        routing.notify_office(updated)
    return public(updated)


@register.periodic_task("purge_datarequest_contacts")
def purge_old_contacts() -> int:
    """Scheduler task: delete requesters' addresses after the retention time."""
    days = tk.config.get("ckanext.smartcityatlas.datarequest.contact_retention_days")
    return store.purge_contacts(store.now() - datetime.timedelta(days=days))
