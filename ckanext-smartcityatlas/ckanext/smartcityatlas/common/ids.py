# SPDX-License-Identifier: AGPL-3.0-or-later
"""Stable ids of harvested records: the same source record gets the same
dataset and resource ids in every run (and the sensor layer finds a sensor
dataset's resources by them)."""
from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5b0a6c3e-3f5e-4a63-9a57-0c7f1b8f2d11")  # never change: ids of every harvested record


def dataset_id(source_id: str, guid: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{source_id}\n{guid}"))


def resource_id(package_id: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{package_id}\nresource\n{key}"))
