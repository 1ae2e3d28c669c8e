# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ``smartcityatlas`` CKAN plugin: wires the capabilities into CKAN."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
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
from ckanext.smartcityatlas.harvesters import CAPABILITY as HARVEST
from ckanext.smartcityatlas.legal import CAPABILITY as LEGAL
from ckanext.smartcityatlas.matching import CAPABILITY as MATCHING
from ckanext.smartcityatlas.monitoring import CAPABILITY as MONITORING
from ckanext.smartcityatlas.platform import CAPABILITY as PLATFORM
from ckanext.smartcityatlas.quality import CAPABILITY as QUALITY
from ckanext.smartcityatlas.sensors import CAPABILITY as SENSORS

CAPABILITIES = (PLATFORM, ENTITIES, CORRECTIONS, DEMO, ATLAS, MATCHING, DCAT, HARVEST, QUALITY, LEGAL,
                DATAREQUESTS, MONITORING, SENSORS)


@tk.blanket.config_declarations
class SmartCityAtlasPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IDomainObjectModification, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ITranslation)  # i18n/<locale>/LC_MESSAGES/ckanext-smartcityatlas.mo
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)
    p.implements(p.IClick)
    p.implements(IDCATURIGenerator, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "smartcityatlas")
        for cap in CAPABILITIES:
            for hook in cap.config_hooks:
                hook(config)

    # IMiddleware
    def make_middleware(self, app, config):
        from ckanext.smartcityatlas.atlas import embed_guard
        from ckanext.smartcityatlas.platform import csrf_guard

        csrf_guard.install(app)
        return embed_guard.install(app)

    # IPackageController
    def before_dataset_search(self, search_params):
        for cap in CAPABILITIES:
            for hook in cap.search_hooks:
                search_params = hook(search_params)
        return search_params

    def before_dataset_index(self, pkg_dict):
        for cap in CAPABILITIES:
            for hook in cap.index_hooks:
                pkg_dict = hook(pkg_dict)
        return pkg_dict

    def after_dataset_search(self, search_results, search_params):
        for cap in CAPABILITIES:
            for hook in cap.search_result_hooks:
                hook(search_results, search_params)
        return search_results

    def after_dataset_show(self, context, pkg_dict):
        for cap in CAPABILITIES:
            for hook in cap.show_hooks:
                hook(context, pkg_dict)

    def after_dataset_create(self, context, pkg_dict):
        for cap in CAPABILITIES:
            for hook in cap.saved_hooks:
                hook(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        for cap in CAPABILITIES:
            for hook in cap.saved_hooks:
                hook(context, pkg_dict)

    # IDomainObjectModification: called before the transaction commits,
    # after the dataset's own index document was written.
    def notify(self, entity, operation):
        if not isinstance(entity, model.Package):
            return
        for cap in CAPABILITIES:
            for hook in cap.change_hooks:
                hook(entity, operation)

    # IActions
    def get_actions(self):
        return capability.merge(CAPABILITIES, "actions")

    # IAuthFunctions
    def get_auth_functions(self):
        return capability.merge(CAPABILITIES, "auth_functions")

    # IValidators
    def get_validators(self):
        return capability.merge(CAPABILITIES, "validators")

    # ITemplateHelpers
    def get_helpers(self):
        return capability.merge(CAPABILITIES, "helpers")

    # IBlueprint
    def get_blueprint(self):
        return capability.collect(CAPABILITIES, "blueprints")

    # IClick
    def get_commands(self):
        from ckanext.smartcityatlas.platform.cli import sca_group

        return [sca_group(capability.collect(CAPABILITIES, "cli_commands"))]

    # IDCATURIGenerator: a stored ``uri`` that is no IRI must not break the catalog
    def dataset_uri(self, dataset_dict, default_uri):
        from ckanext.smartcityatlas.dcat import iris

        return iris.dataset_uri(dataset_dict, default_uri)

    def resource_uri(self, resource_dict, default_uri):
        from ckanext.smartcityatlas.dcat import iris

        return iris.resource_uri(resource_dict, default_uri)
