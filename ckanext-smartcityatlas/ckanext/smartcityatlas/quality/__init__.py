# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data contacts' workspace: quality scores, dashboard, review."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="quality")
