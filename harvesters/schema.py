# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schema of ``sca_harvest_job_report`` (input_schema.py)."""
from __future__ import annotations

from ckanext.smartcityatlas.common.input_schema import Field, identifier, required, unknown_ignored


def sca_harvest_job_report() -> dict:
    return {"id": Field("the harvest job's id", required(), identifier()), "__extras": [unknown_ignored]}


def sca_shared_actor_merge() -> dict:
    return {"id": Field("the harvested actor's id or name", required(), identifier()),
            "same_as": Field("the id or name of the actor of this atlas it is the same as", required(), identifier()),
            "__extras": [unknown_ignored]}
