# SPDX-License-Identifier: AGPL-3.0-or-later
"""Explainable matching of actors and projects."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="matching")
