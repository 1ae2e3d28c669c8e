# SPDX-License-Identifier: AGPL-3.0-or-later
"""The plugins of a full portal, and those among them that migrate the database."""
ALL_PLUGINS = (
    "activity scheming_datasets scheming_organizations dcat harvest "
    "spatial_metadata spatial_query smartcityatlas sca_dcat_rdf sca_ckan sca_csw sca_radar sca_atlas_harvester datastore sca_opensensemap sca_sensorthings"
)
# Plugins of ALL_PLUGINS that bring alembic migrations of their own.
MIGRATING_PLUGINS = ("activity", "harvest", "smartcityatlas")
