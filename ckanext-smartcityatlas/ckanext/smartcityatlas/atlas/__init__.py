# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas: entity search, GeoJSON for the map and the map pages."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.atlas import city_geometry, search, spatial_search
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(
    name="atlas",
    config_hooks=(spatial_search.allow_query_parsers,),
    search_hooks=(spatial_search.add_spatial_filters,),
    blueprints=lambda: [city_geometry.blueprint],
    actions=lambda: {"sca_search": search.sca_search},
    auth_functions=lambda: {"sca_search": tk.auth_allow_anonymous_access(lambda context, data_dict: {"success": True})},
)
