# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the quality actions (input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import (MAX_OFFSET, Field, boolean, default, identifier, integer, one_of,
                                                 optional, required, text, unknown_ignored)


def _dataset() -> dict:
    return {"id": Field("the dataset's id or name", required(), identifier()), "__extras": [unknown_ignored]}


def _organization() -> Field:
    return Field("id or name; default: every organisation the caller is a member of (sysadmins: all)", optional,
                 identifier())


def sca_validation_show() -> dict:
    return _dataset()


def sca_quality_show() -> dict:
    return _dataset()


def sca_quality_list() -> dict:
    from ckanext.smartcityatlas.quality import listing

    return {
        "organization": _organization(),
        "sort": Field("score (worst first, default), -score, title, violations, last_update (oldest first), "
                      "organization", default("score"), one_of(listing.SORTS)),
        "stale": Field("true/false: only (not) overdue datasets", optional, boolean),
        "status": Field("validation status", optional, one_of(listing.STATUSES)),
        "q": Field("part of the title or name", optional, text(200)),
        "limit": Field("1–10000 (default 100)", default(100), integer(1, 10000)),
        "offset": Field("default 0", default(0), integer(0, MAX_OFFSET)),
        "__extras": [unknown_ignored],
    }


def sca_quality_history() -> dict:
    return {"organization": _organization(),
            "weeks": Field("1–104 (default 12)", default(12), integer(1, 104)),
            "__extras": [unknown_ignored]}


def sca_link_status_show() -> dict:
    return {"id": Field("a dataset's id or name, or a resource's id", required(), identifier()),
            "history": Field("include each resource's recent checks (default false)", default(False), boolean),
            "__extras": [unknown_ignored]}
