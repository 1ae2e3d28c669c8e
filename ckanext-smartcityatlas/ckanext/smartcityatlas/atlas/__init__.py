# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas: entity search, GeoJSON for the map and the map pages."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.atlas import geojson, helpers, network, search, spatial_search, views
from ckanext.smartcityatlas.capability import Capability

_public = tk.auth_allow_anonymous_access(lambda context, data_dict: {"success": True})

CAPABILITY = Capability(
    name="atlas",
    config_hooks=(spatial_search.allow_query_parsers,),
    search_hooks=(spatial_search.add_spatial_filters,),
    index_hooks=(geojson.index_point,),
    blueprints=lambda: [views.city_blueprint, views.geojson_blueprint, views.blueprint, views.network_blueprint,
                        views.export_blueprint],
    helpers=helpers.all_helpers,
    actions=lambda: {"sca_search": search.sca_search, "sca_geojson": geojson.sca_geojson,
                     "sca_network": network.sca_network, "package_search": spatial_search.package_search},
    # public like package_search: what a caller sees is limited by permission labels
    auth_functions=lambda: {"sca_search": _public, "sca_geojson": _public, "sca_network": _public},
)
