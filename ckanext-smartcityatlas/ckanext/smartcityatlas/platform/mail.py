# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sending the portal's e-mails through CKAN's mailer (``smtp.*`` settings).

A mail that cannot be sent is logged and reported as False: a data request
or a digest must not fail because the mail server is down.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def send(address: str, subject: str, body: str, name: str = "") -> bool:
    import ckan.plugins.toolkit as tk
    from ckan.lib.mailer import mail_recipient

    if not tk.config.get("smtp.mail_from"):
        log.warning("mail to …@%s not sent: smtp.mail_from is not configured", address.split("@")[-1])
        return False
    try:
        mail_recipient(name or address, address, subject, body)
    except Exception as exc:  # noqa: BLE001 - CKAN's mailer raises more than MailerException
        log.warning("mail to …@%s not sent: %s", address.split("@")[-1], exc)
        return False
    return True


def site_link(path: str) -> str:
    import ckan.plugins.toolkit as tk

    return tk.config.get("ckan.site_url").rstrip("/") + path
