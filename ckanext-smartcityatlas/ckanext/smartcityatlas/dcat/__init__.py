# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de: dataset schema support, the sca_dcatap_de/dcatap_de_3 profiles
(registered as ckanext-dcat profiles in pyproject.toml), validation and what the
catalog endpoints publish."""
from ckanext.smartcityatlas.capability import Capability


def _use_dcatde_licenses(config):
    from ckanext.smartcityatlas.dcat import licenses

    licenses.use_dcatde_licenses(config)


def _current_profile_names(config):
    from ckanext.smartcityatlas.dcat import profile_names

    profile_names.update_settings(config)


def _mark_withheld(pkg_dict):
    from ckanext.smartcityatlas.dcat import catalog

    return catalog.mark_withheld(pkg_dict)


def _on_entity_change(entity, operation):
    from ckanext.smartcityatlas.dcat import opendata, record_warm

    opendata.on_entity_change(entity, operation)
    record_warm.on_entity_change(entity, operation)


CAPABILITY = Capability(
    name="dcat",
    package=__name__,
    # the catalog actions chain ckanext-dcat's (registered only with its plugin)
    modules=("catalog", "schema", "views", "cli", "record_warm", "opendata", "license_labels"),
    config_hooks=(_use_dcatde_licenses, _current_profile_names),
    change_hooks=(_on_entity_change,),
    index_hooks=(_mark_withheld,),
)
