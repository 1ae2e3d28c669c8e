# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas: entity search, GeoJSON for the map and the map pages."""
from ckanext.smartcityatlas.atlas import funding, geojson, spatial_search
from ckanext.smartcityatlas.capability import Capability


def _install_embed_guard(app):
    from ckanext.smartcityatlas.atlas import embed_guard

    return embed_guard.install(app)

CAPABILITY = Capability(
    name="atlas",
    package=__name__,
    modules=("search", "geojson", "map_cache", "network", "spatial_search", "auth", "helpers", "views"),
    app_hooks=(_install_embed_guard,),
    config_hooks=(spatial_search.allow_query_parsers,),
    search_hooks=(spatial_search.add_spatial_filters,),
    index_hooks=(geojson.index_point, funding.index_funding),
)
