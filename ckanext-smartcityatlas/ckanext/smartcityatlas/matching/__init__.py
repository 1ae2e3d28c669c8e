# SPDX-License-Identifier: AGPL-3.0-or-later
"""Matching: explained suggestions of partners for actors, projects and needs."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="matching", package=__name__, modules=("actions", "auth"))
