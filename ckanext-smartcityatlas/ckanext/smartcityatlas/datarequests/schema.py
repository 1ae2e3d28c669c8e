# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the data request actions (input_schema.py)."""
from __future__ import annotations

from ckan.common import _

from ckanext.smartcityatlas.platform.fields import sca_email
from ckanext.smartcityatlas.common.input_schema import (MAX_OFFSET, Field, default, identifier, integer,
                                                 must_stay_empty, one_of, optional, required, stripped, text,
                                                 unknown_ignored)

STATUSES = ("open", "in_review", "published", "declined")
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_QUERY = 200


def _the_request() -> Field:
    return Field("the request", required(), identifier())


def _office(description: str) -> Field:
    return Field(description, optional, identifier())


def sca_datarequest_create() -> dict:
    return {
        "title": Field(f"what data, at most {MAX_TITLE} characters",
                       required(_("Please say which data you are missing.")),
                       text(MAX_TITLE, _("Please keep the title under 200 characters."))),
        "description": Field(f"what for, in which form, at most {MAX_DESCRIPTION:,} characters",
                             required(_("Please describe the data and what you need them for.")),
                             text(MAX_DESCRIPTION, _("Please keep the description under 4,000 characters."))),
        "organization": _office("the office you think is responsible (name or id; default: the central "
                                "open-data team)"),
        "email": Field("optional, never public, only for status changes; deleted after the retention time",
                       optional, text(254), stripped, sca_email),
        "website": Field("must stay empty (filled in by bots only)", optional, must_stay_empty),
        "__extras": [unknown_ignored],
    }


def sca_datarequest_list() -> dict:
    return {
        "status": Field(", ".join(STATUSES) + " or all (default)", default("all"),
                        one_of(STATUSES + ("all",), _("Unknown status."))),
        "organization": _office("only the requests of this office (name or id)"),
        "q": Field(f"words of the title or description (German word forms), at most {MAX_QUERY} characters",
                   optional, text(MAX_QUERY), stripped),
        "limit": Field("default 20, at most 100", default(20), integer(1, 100)),
        "offset": Field("default 0", default(0), integer(0, MAX_OFFSET)),
        "__extras": [unknown_ignored],
    }


def sca_datarequest_show() -> dict:
    return {"id": _the_request(), "__extras": [unknown_ignored]}


def sca_datarequest_update() -> dict:
    return {
        "id": _the_request(),
        "status": Field("open, in_review, published (needs dataset) or declined (needs reason)", optional,
                        one_of(STATUSES, _("Unknown status."))),
        "dataset": Field("the public dataset that fulfils the request (name or id)", optional, identifier()),
        "reason": Field(f"why it is declined (public), at most {MAX_DESCRIPTION:,} characters", optional,
                        text(MAX_DESCRIPTION)),
        "organization": _office("hand the request to another office (name or id)"),
        "__extras": [unknown_ignored],
    }
