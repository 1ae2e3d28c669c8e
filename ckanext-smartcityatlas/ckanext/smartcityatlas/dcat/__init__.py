# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de: dataset schema support, the dcatap_de/dcatap_de_3 profiles
(registered as ckanext-dcat profiles in setup.py), validation and what the
catalog endpoints publish."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    import ckan.plugins as p

    from ckanext.smartcityatlas.dcat import catalog

    # the catalog actions chain ckanext-dcat's, which exist only with its plugin
    return catalog.actions() if p.plugin_loaded("dcat") else {}


def _helpers():
    from ckanext.smartcityatlas.dcat import schema

    return schema.helpers()


def _validators():
    from ckanext.smartcityatlas.dcat import schema

    return schema.validators()


def _use_dcatde_licenses(config):
    from ckanext.smartcityatlas.dcat import licenses

    licenses.use_dcatde_licenses(config)


def _blueprints():
    from ckanext.smartcityatlas.dcat import views

    return [views.blueprint]


def _cli():
    from ckanext.smartcityatlas.dcat import cli

    return [cli.opendata_regenerate, cli.dcat_validate]


def _on_entity_change(entity, operation):
    from ckanext.smartcityatlas.dcat import opendata

    opendata.on_entity_change(entity, operation)


CAPABILITY = Capability(
    name="dcat",
    actions=_actions,
    helpers=_helpers,
    validators=_validators,
    blueprints=_blueprints,
    cli_commands=_cli,
    config_hooks=(_use_dcatde_licenses,),
    change_hooks=(_on_entity_change,),
)
