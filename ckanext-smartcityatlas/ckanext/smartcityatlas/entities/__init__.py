# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actor and project entities (schemas, relations, districts, pages)."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="entities")
