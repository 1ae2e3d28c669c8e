# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the radar run actions (common/input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import (Field, boolean, default, identifier, optional, required, text,
                                                        unknown_ignored)


def _one(description: str) -> dict:
    return {"id": Field(description, required(), identifier()), "__extras": [unknown_ignored]}


def sca_radar_report() -> dict:
    return _one("the harvest job's id")


def sca_radar_resolve_partner() -> dict:
    return {
        "id": Field("the project's id or URL name", required(), identifier()),
        "partner": Field("the partner's name as written in the project", required(), text(500)),
        "actor": Field("an existing actor (id or URL name), or", optional, identifier()),
        "create": Field("true: create the actor (default false)", default(False), boolean),
        "actor_kind": Field("the new actor's kind", optional, text(100)),
        "helix_sector": Field("the new actor's helix sector", optional, text(100)),
        "title": Field("the new actor's title (default: the partner's name)", optional, text(500)),
        "name": Field("the new actor's URL name", optional, identifier()),
        "notes": Field("the new actor's description", optional, text(10000)),
        "owner_org": Field("the new actor's organisation (default: the project's)", optional, identifier()),
        "__extras": [unknown_ignored],
    }
