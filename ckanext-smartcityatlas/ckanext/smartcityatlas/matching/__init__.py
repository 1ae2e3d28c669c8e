# SPDX-License-Identifier: AGPL-3.0-or-later
"""Matching: explained suggestions of partners for actors, projects and needs."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.matching import actions

CAPABILITY = Capability(
    name="matching",
    actions=lambda: {"sca_match": actions.sca_match},
    # public like package_search; sources and candidates are read with the caller's permissions
    auth_functions=lambda: {"sca_match": tk.auth_allow_anonymous_access(lambda context, data_dict: {"success": True})},
)
