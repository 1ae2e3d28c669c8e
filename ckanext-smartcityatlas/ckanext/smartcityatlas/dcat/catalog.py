# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the DCAT endpoints publish.

ckanext-dcat only leaves out harvest sources and showcases. Actors and
projects are not dcat:Datasets (the atlas publishes them as the two atlas
datasets instead), and records harvested from other portals are not
re-exported by default (GovData would get them twice), except what a
harvester computes and publishes as the portal's own data (the sensor
aggregates: ``sca_own_publication`` in the index). Private records are
excluded by package_search itself. A harvested record that lacks what
DCAT-AP.de requires (``import_flags``: no description, no title of its
own) is in no DCAT export until a person adds it: ``sca_dcat_withheld`` in
the index, and ``/dataset/<id>.ttl`` answers 404. The restriction is one
Solr filter added to the catalog actions, so paging counts stay right. The parameters are
checked first (``catalog_params``: a clear 400 instead of ckanext-dcat's 500s). The
page is joined from each dataset's cached RDF (``catalog_page``, ``record_cache``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SearchQueryError
from ckanext.dcat import logic as dcat_logic
from ckanext.dcat.processors import RDFProfileException, RDFSerializer

from ckanext.smartcityatlas.dcat import catalog_page, catalog_params, import_flags, profile_names, settings
from ckanext.smartcityatlas.capability import Registry

register = Registry()

ENTITY_TYPES = ("actor", "project")


WITHHELD = "sca_dcat_withheld"


def mark_withheld(pkg_dict: dict) -> dict:
    """before_dataset_index: a record the DCAT exports leave out."""
    if import_flags.withheld(pkg_dict):
        pkg_dict[WITHHELD] = "true"
    return pkg_dict


def catalog_filter() -> str:
    clauses = [f"-dataset_type:{t}" for t in ENTITY_TYPES] + [f"-{WITHHELD}:true"]
    if not settings.export_harvested():
        # what the portal computes itself (sensor aggregates, sca_own_publication) is its own data
        clauses.append("-(harvest_source_id:[* TO *] -sca_own_publication:true)")
    return " ".join(clauses)


def restricted_fq(own: str | None) -> str:
    """A search filter (``fq``) narrowed to what the catalog publishes."""
    return (f"+({own}) " if own else "") + catalog_filter()


def _restrict(data_dict: dict) -> dict:
    data_dict = dict(data_dict)
    data_dict["fq"] = restricted_fq(data_dict.get("fq"))
    return data_dict


def _catalog(action: str, context: dict, data_dict: dict) -> str:
    """ckanext-dcat's dcat_catalog_show and dcat_catalog_search (the same
    there) with checked parameters and encoded page links (catalog_params)."""
    data_dict = _restrict(catalog_params.checked(data_dict))
    tk.check_access(action, context, data_dict)
    try:
        query = dcat_logic._search_ckan_datasets(context, data_dict)
        serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    except SearchError as error:
        refused = catalog_params.refused_by_solr(error)
        if refused is None:
            raise
        raise refused from None
    except RDFProfileException as error:
        raise SearchQueryError(f"profiles: {error}") from None
    links = catalog_params.encoded_links(dcat_logic._pagination_info(query, data_dict))
    # each dataset's RDF from the record cache; the old way where it does not apply
    page = catalog_page.render(serializer, query["results"], data_dict.get("format"), links)
    if page is not None:
        return page
    return serializer.serialize_catalog({}, query["results"], _format=data_dict.get("format"),
                                        pagination_info=links)


# chained, but without calling ckanext-dcat's own (it would build the broken links)
@register.action(when_plugin="dcat")
@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(_up, context, data_dict):
    return _catalog("dcat_catalog_show", context, data_dict)


@register.action(when_plugin="dcat")
@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(_up, context, data_dict):
    return _catalog("dcat_catalog_search", context, data_dict)


@register.action(when_plugin="dcat")
@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(up, context, data_dict):
    """Actors and projects have no DCAT record of their own; a record that
    lacks what DCAT-AP.de requires has none until it is complete."""
    pkg = tk.get_action("package_show")(dict(context), {"id": data_dict.get("id")})
    if pkg.get("type") in ENTITY_TYPES:
        raise tk.ObjectNotFound(tk._("Not a dataset"))
    if import_flags.withheld(pkg):
        raise tk.ObjectNotFound(tk._("This dataset lacks what DCAT-AP.de requires ({missing}); it is published "
                                     "as DCAT once it is added.").format(missing=", ".join(import_flags.missing(pkg))))
    profiles = data_dict.get("profiles")
    if isinstance(profiles, list) and all(isinstance(name, str) for name in profiles):
        data_dict = {**data_dict, "profiles": profile_names.current_list(profiles, "?profiles=")}
    return up(context, data_dict)
