# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the submission actions (input_schema.py)."""
from __future__ import annotations

from ckan.common import _

from ckanext.smartcityatlas.platform.fields import sca_email
from ckanext.smartcityatlas.common.input_schema import (MAX_OFFSET, Field, default, identifier, integer,
                                                 must_stay_empty, one_of, optional, required, stripped, text,
                                                 unknown_ignored)

KINDS = ("suggest_new", "correction", "objection")
STATUSES = ("open", "accepted", "rejected")
MAX_MESSAGE = 5000


def sca_correction_create() -> dict:
    choose = _("Please choose what you want to do.")
    describe = _("Please describe your suggestion or correction.")
    return {
        "kind": Field(", ".join(KINDS), required(choose), one_of(KINDS, choose)),
        "package_id": Field("the actor or project concerned (not for suggest_new)", optional, identifier()),
        "message": Field(f"what should change, at most {MAX_MESSAGE:,} characters", required(describe),
                         text(MAX_MESSAGE, _("Please keep the text under 5,000 characters."))),
        "contact_name": Field("optional, never public", optional, text(200)),
        "contact_email": Field("optional, never public; deleted after the retention time", optional, text(254),
                               stripped, sca_email),
        "website": Field("must stay empty (filled in by bots only)", optional, must_stay_empty),
        "__extras": [unknown_ignored],
    }


def sca_correction_list() -> dict:
    return {
        "status": Field("open (default), accepted, rejected or all", default("open"),
                        one_of(STATUSES + ("all",), _("Unknown status."))),
        "limit": Field("default 50, at most 500", default(50), integer(1, 500)),
        "offset": Field("default 0", default(0), integer(0, MAX_OFFSET)),
        "__extras": [unknown_ignored],
    }


def sca_correction_update() -> dict:
    choose = _("Choose accepted or rejected.")
    return {
        "id": Field("the submission", required(), identifier()),
        "status": Field("accepted or rejected", required(choose), one_of(("accepted", "rejected"), choose)),
        "moderator_note": Field("optional", optional, text(MAX_MESSAGE)),
        "__extras": [unknown_ignored],
    }
