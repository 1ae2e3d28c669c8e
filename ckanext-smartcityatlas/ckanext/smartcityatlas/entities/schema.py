# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the entity actions (input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import Field, identifier, required, unknown_ignored


def sca_actor_projects() -> dict:
    return {"id": Field("the actor's id or name", required(), identifier()), "__extras": [unknown_ignored]}


def sca_project_actors() -> dict:
    return {"id": Field("the project's id or name", required(), identifier()), "__extras": [unknown_ignored]}


def sca_shared_actor_split() -> dict:
    return {"id": Field("the harvested copy's id or name", required(), identifier()), "__extras": [unknown_ignored]}
