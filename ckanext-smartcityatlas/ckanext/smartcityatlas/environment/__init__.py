# SPDX-License-Identifier: AGPL-3.0-or-later
"""The environment dashboard: air quality (PM10, PM2.5) and noise per
district and city-wide against EU limit and WHO guideline values, from the
sensor aggregates (``sca_environment_show``, ``/atlas/umwelt``;
docs/environment.md). Part of the plugin ``sca_sensors``."""
from ckanext.smartcityatlas.capability import Capability


def _install_embed_guard(app):
    from ckanext.smartcityatlas.atlas import embed_guard
    from ckanext.smartcityatlas.environment.views import EMBED_PATH

    return embed_guard.install(app, EMBED_PATH)


CAPABILITY = Capability(name="environment", package=__name__, modules=("actions", "cli", "views"),
                        app_hooks=(_install_embed_guard,))
