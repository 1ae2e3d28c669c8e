# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who is responsible for a data request, and telling them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.platform import mail


def _organization(name_or_id: str | None) -> model.Group | None:
    if not name_or_id:
        return None
    group = model.Group.get(name_or_id)
    if group is None or not group.is_organization or group.state != "active":
        return None
    return group


def central_org_id() -> str | None:
    """The central open-data team's organisation (configuration, else the city's default)."""
    name = tk.config.get("ckanext.smartcityatlas.datarequest.central_organization") or \
        city_config.current().settings.get("default_organization")
    group = _organization(name)
    return group.id if group else None


def responsible(requested: str | None) -> str | None:
    """The organisation the requester named if it exists, else the central team."""
    group = _organization(requested)
    return group.id if group else central_org_id()


def office_contact(org_id: str | None) -> str | None:
    """The functional data contact of an organisation (organisation schema: contact_email)."""
    group = _organization(org_id)
    return (group.extras or {}).get("contact_email") if group else None


def notify_office(row: dict) -> bool:
    address = office_contact(row["owner_org"])
    if not address:
        return False
    link = mail.site_link(f"/datenwuensche/{row['id']}")
    body = (f"Guten Tag,\n\nim Open-Data-Portal ist ein neuer Datenwunsch für Ihr Amt eingegangen:\n\n"
            f"  {row['title']}\n\n{row['description']}\n\n"
            f"Bitte prüfen und beantworten Sie ihn hier (Status setzen, bei Veröffentlichung den Datensatz "
            f"verlinken, bei Ablehnung einen Grund nennen):\n{link}\n\n"
            f"Diese Nachricht wurde automatisch vom Open-Data-Portal versandt.\n")
    return mail.send(address, f"Neuer Datenwunsch: {row['title']}", body)


STATUS_TEXT = {"open": "offen", "in_review": "in Prüfung", "published": "veröffentlicht",
               "declined": "abgelehnt"}


def notify_requester(row: dict) -> bool:
    if not row.get("requester_email"):
        return False
    link = mail.site_link(f"/datenwuensche/{row['id']}")
    lines = [f"Guten Tag,\n\nIhr Datenwunsch „{row['title']}“ hat jetzt den Status: "
             f"{STATUS_TEXT.get(row['status'], row['status'])}."]
    if row["status"] == "published" and row.get("package_id"):
        pkg = model.Package.get(row["package_id"])
        if pkg is not None:
            lines.append(f"Die Daten finden Sie hier: {mail.site_link('/dataset/' + pkg.name)}")
    if row["status"] == "declined" and row.get("reason"):
        lines.append(f"Begründung: {row['reason']}")
    lines.append(f"Zum Datenwunsch: {link}\n\nSie erhalten diese Nachricht, weil Sie bei Ihrem Datenwunsch "
                 "eine E-Mail-Adresse angegeben haben. Die Adresse wird nicht veröffentlicht und nach "
                 "Ablauf der Aufbewahrungsfrist gelöscht.\n")
    return mail.send(row["requester_email"], f"Ihr Datenwunsch: {row['title']}", "\n\n".join(lines))
