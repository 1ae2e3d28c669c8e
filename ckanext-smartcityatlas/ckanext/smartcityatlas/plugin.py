# SPDX-License-Identifier: AGPL-3.0-or-later
"""The CKAN plugins of the Smart City Atlas: each wires some capabilities into CKAN.

``smartcityatlas`` brings all of them. A city that wants only some enables
the opt-in plugins instead (README, docs/architecture.md)::

    sca_platform      guards, status, scheduler, legal pages, templates, translations, database tables
    sca_entities      actors and projects, corrections            needs sca_platform, scheming_datasets
    sca_matching      explained partner suggestions                needs sca_entities
    sca_atlas         search, map, network, exports, monitoring    needs sca_entities, sca_matching
    sca_dcat          DCAT-AP.de schema support, catalog, opendata needs sca_platform, dcat, scheming_datasets
    sca_harvest       job reports, source guard, radar curation    needs sca_dcat, harvest
    sca_quality       findings, scores, link checks, review        needs sca_dcat
    sca_sensors       sensor layer and tables, environment dashboard needs sca_harvest, datastore
    sca_datarequests  data requests                                needs sca_platform
    sca_demo          ``ckan sca demo-load`` & Co.                 needs all of the above

A plugin whose needs are not loaded stops CKAN at start-up and names them.
"""
from __future__ import annotations

from pathlib import Path

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan import model
from ckan.lib.plugins import DefaultTranslation
from ckanext.dcat.interfaces import IDCATURIGenerator

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.atlas import CAPABILITY as ATLAS
from ckanext.smartcityatlas.corrections import CAPABILITY as CORRECTIONS
from ckanext.smartcityatlas.datarequests import CAPABILITY as DATAREQUESTS
from ckanext.smartcityatlas.dcat import CAPABILITY as DCAT
from ckanext.smartcityatlas.demo import CAPABILITY as DEMO
from ckanext.smartcityatlas.entities import CAPABILITY as ENTITIES
from ckanext.smartcityatlas.environment import CAPABILITY as ENVIRONMENT
from ckanext.smartcityatlas.harvesters import CAPABILITY as HARVEST
from ckanext.smartcityatlas.legal import CAPABILITY as LEGAL
from ckanext.smartcityatlas.matching import CAPABILITY as MATCHING
from ckanext.smartcityatlas.monitoring import CAPABILITY as MONITORING
from ckanext.smartcityatlas.platform import CAPABILITY as PLATFORM
from ckanext.smartcityatlas.platform.interfaces import IPeriodicTasks
from ckanext.smartcityatlas.quality import CAPABILITY as QUALITY
from ckanext.smartcityatlas.sensors import CAPABILITY as SENSORS

CAPABILITIES = (PLATFORM, ENTITIES, CORRECTIONS, DEMO, ATLAS, MATCHING, DCAT, HARVEST, QUALITY, LEGAL,
                DATAREQUESTS, MONITORING, SENSORS, ENVIRONMENT)
CONFIG_DECLARATION = Path(__file__).with_name("config_declaration.yaml")


class CapabilityPlugin(p.SingletonPlugin):
    """Wires ``capabilities`` into CKAN; checks at start-up that ``needs`` are loaded."""
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IDomainObjectModification, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)
    p.implements(p.IClick)
    p.implements(IPeriodicTasks, inherit=True)
    p.implements(capability.ICapabilities, inherit=True)

    capabilities: tuple[capability.Capability, ...] = ()
    # CKAN plugins that must be loaded too
    needs: tuple[str, ...] = ()

    def capability_names(self) -> tuple[str, ...]:
        return tuple(cap.name for cap in self.capabilities)

    # IConfigurer
    def update_config(self, config):
        missing = [name for name in self.needs if not p.plugin_loaded(name)]
        if missing:
            raise RuntimeError(f"CKAN plugin {type(self).name!r} needs the plugin(s) {', '.join(missing)} in "
                               "ckan.plugins (README: plugins)")
        for cap in self.capabilities:
            for hook in cap.config_hooks:
                hook(config)

    # IConfigurable: after the database engine is set up
    def configure(self, config):
        for cap in self.capabilities:
            for hook in cap.start_hooks:
                hook(config)

    # IMiddleware
    def make_middleware(self, app, config):
        for cap in self.capabilities:
            for hook in cap.app_hooks:
                app = hook(app) or app
        return app

    # IPackageController
    def before_dataset_search(self, search_params):
        for cap in self.capabilities:
            for hook in cap.search_hooks:
                search_params = hook(search_params)
        return search_params

    def before_dataset_index(self, pkg_dict):
        for cap in self.capabilities:
            for hook in cap.index_hooks:
                pkg_dict = hook(pkg_dict)
        return pkg_dict

    def after_dataset_search(self, search_results, search_params):
        for cap in self.capabilities:
            for hook in cap.search_result_hooks:
                hook(search_results, search_params)
        return search_results

    def after_dataset_show(self, context, pkg_dict):
        for cap in self.capabilities:
            for hook in cap.show_hooks:
                hook(context, pkg_dict)

    def after_dataset_create(self, context, pkg_dict):
        for cap in self.capabilities:
            for hook in cap.saved_hooks:
                hook(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        for cap in self.capabilities:
            for hook in cap.saved_hooks:
                hook(context, pkg_dict)

    # IDomainObjectModification: called before the transaction commits,
    # after the dataset's own index document was written.
    def notify(self, entity, operation):
        if not isinstance(entity, model.Package):
            return
        for cap in self.capabilities:
            for hook in cap.change_hooks:
                hook(entity, operation)

    # IActions
    def get_actions(self):
        return capability.merge(self.capabilities, "actions")

    # IAuthFunctions
    def get_auth_functions(self):
        return capability.merge(self.capabilities, "auth_functions")

    # IValidators
    def get_validators(self):
        return capability.merge(self.capabilities, "validators")

    # ITemplateHelpers
    def get_helpers(self):
        return capability.merge(self.capabilities, "helpers")

    # IBlueprint
    def get_blueprint(self):
        return capability.collect(self.capabilities, "blueprints")

    # IClick: the foundation mounts the commands of every loaded plugin
    # under one ``ckan sca`` group (a second group of that name would replace it)
    def get_commands(self):
        return []

    # IPeriodicTasks
    def periodic_tasks(self):
        return capability.collect(self.capabilities, "periodic_tasks")


class SharedFoundation(DefaultTranslation):
    """Templates, assets, translations and configuration options of the
    whole extension (one place: declaring an option twice is an error)."""
    p.implements(p.ITranslation)  # i18n/<locale>/LC_MESSAGES/ckanext-smartcityatlas.mo
    p.implements(p.IConfigDeclaration)

    def i18n_domain(self) -> str:
        return "ckanext-smartcityatlas"  # whichever plugin name loads it

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "smartcityatlas")
        super().update_config(config)

    def get_commands(self):
        from ckanext.smartcityatlas.platform.cli import sca_group

        plugins = [plugin for plugin in p.PluginImplementations(capability.ICapabilities)]
        return [sca_group([command for plugin in plugins
                           for command in capability.collect(plugin.capabilities, "cli_commands")])]

    # IConfigDeclaration
    def declare_config_options(self, declaration, key):
        declaration.load_dict(yaml.safe_load(CONFIG_DECLARATION.read_text(encoding="utf-8")))


class DcatUris:
    """IDCATURIGenerator (the plugins using it implement it with ``inherit=True``
    for the other methods): a stored ``uri`` that is no IRI must not break the catalog."""

    def dataset_uri(self, dataset_dict, default_uri):
        from ckanext.smartcityatlas.dcat import iris

        return iris.dataset_uri(dataset_dict, default_uri)

    def resource_uri(self, resource_dict, default_uri):
        from ckanext.smartcityatlas.dcat import iris

        return iris.resource_uri(resource_dict, default_uri)


class SmartCityAtlasPlugin(SharedFoundation, DcatUris, CapabilityPlugin):
    """``smartcityatlas``: all capabilities (needs no other plugin: what a
    capability chains of ckanext-dcat or -activity is registered only with it)."""
    name = "smartcityatlas"  # as in pyproject.toml
    p.implements(IDCATURIGenerator, inherit=True)
    capabilities = CAPABILITIES

    def update_config(self, config):
        alone = [name for name in OPT_IN if p.plugin_loaded(name)]
        if alone:
            raise RuntimeError(f"'smartcityatlas' already brings {', '.join(alone)}: list either "
                               "smartcityatlas or the sca_* plugins in ckan.plugins")
        super().update_config(config)


class PlatformPlugin(SharedFoundation, CapabilityPlugin):
    name = "sca_platform"  # as in pyproject.toml
    capabilities = (PLATFORM, LEGAL)


class EntitiesPlugin(CapabilityPlugin):
    name = "sca_entities"  # as in pyproject.toml
    capabilities = (ENTITIES, CORRECTIONS)
    needs = ("sca_platform", "scheming_datasets")


class MatchingPlugin(CapabilityPlugin):
    name = "sca_matching"  # as in pyproject.toml
    capabilities = (MATCHING,)
    needs = ("sca_entities",)


class AtlasPlugin(CapabilityPlugin):
    name = "sca_atlas"  # as in pyproject.toml
    capabilities = (ATLAS, MONITORING)
    needs = ("sca_entities", "sca_matching")


class DcatPlugin(DcatUris, CapabilityPlugin):
    name = "sca_dcat"  # as in pyproject.toml
    p.implements(IDCATURIGenerator, inherit=True)
    capabilities = (DCAT,)
    needs = ("sca_platform", "dcat", "scheming_datasets")


class HarvestPlugin(CapabilityPlugin):
    name = "sca_harvest"  # as in pyproject.toml
    capabilities = (HARVEST,)
    needs = ("sca_dcat", "harvest")


class QualityPlugin(CapabilityPlugin):
    name = "sca_quality"  # as in pyproject.toml
    capabilities = (QUALITY,)
    needs = ("sca_dcat",)


class SensorsPlugin(CapabilityPlugin):
    name = "sca_sensors"  # as in pyproject.toml
    capabilities = (SENSORS, ENVIRONMENT)
    needs = ("sca_harvest", "datastore")


class DatarequestsPlugin(CapabilityPlugin):
    name = "sca_datarequests"  # as in pyproject.toml
    capabilities = (DATAREQUESTS,)
    needs = ("sca_platform",)


class DemoPlugin(CapabilityPlugin):
    name = "sca_demo"  # as in pyproject.toml
    capabilities = (DEMO,)
    needs = ("sca_entities", "sca_atlas", "sca_dcat", "sca_harvest", "sca_quality", "sca_sensors",
             "sca_datarequests")


OPT_IN = ("sca_platform", "sca_entities", "sca_matching", "sca_atlas", "sca_dcat", "sca_harvest", "sca_quality",
          "sca_sensors", "sca_datarequests", "sca_demo")
