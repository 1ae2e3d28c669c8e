# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the DCAT endpoints publish.

ckanext-dcat only leaves out harvest sources and showcases. Actors and
projects are not dcat:Datasets (the atlas publishes them as the two atlas
datasets instead), and records harvested from other portals are not
re-exported by default (GovData would get them twice), except what a
harvester computes and publishes as the portal's own data (the sensor
aggregates: ``sca_own_publication`` in the index). Private records are
excluded by package_search itself. The restriction is one Solr filter added
to the catalog actions, so paging counts stay right.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.dcat import settings

ENTITY_TYPES = ("actor", "project")


def catalog_filter() -> str:
    clauses = [f"-dataset_type:{t}" for t in ENTITY_TYPES]
    if not settings.export_harvested():
        # what the portal computes itself (sensor aggregates, sca_own_publication) is its own data
        clauses.append("-(harvest_source_id:[* TO *] -sca_own_publication:true)")
    return " ".join(clauses)


def _restrict(data_dict: dict) -> dict:
    data_dict = dict(data_dict)
    own = data_dict.get("fq")
    data_dict["fq"] = (f"+({own}) " if own else "") + catalog_filter()
    return data_dict


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(up, context, data_dict):
    return up(context, _restrict(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(up, context, data_dict):
    return up(context, _restrict(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(up, context, data_dict):
    """Actors and projects have no DCAT record of their own."""
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    if pkg.get("type") in ENTITY_TYPES:
        raise tk.ObjectNotFound(tk._("Not a dataset"))
    return up(context, data_dict)


def actions() -> dict:
    return {
        "dcat_catalog_show": dcat_catalog_show,
        "dcat_catalog_search": dcat_catalog_search,
        "dcat_dataset_show": dcat_dataset_show,
    }
