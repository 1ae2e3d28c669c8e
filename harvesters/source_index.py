# SPDX-License-Identifier: AGPL-3.0-or-later
"""A harvest source in the search index as CKAN indexes every dataset.

ckanext-harvest (1.6.3) reindexes a source whenever one of its jobs ends
(``harvest_jobs_run``), and on CKAN 2.12 it stores the *unvalidated*
dict as the index's validated one. ``package_show`` answers from that entry,
so after the first job ``harvest_source_show`` (the API, ``ckan harvester
run-test``, the source edit form) returned the raw extras and no
``source_type``, ``frequency`` or ``config``: run-test crashed and the
edit form offered the first harvester type and an empty configuration,
which a save would have stored. This chain indexes the source through
CKAN's own path: the default schema for search, ckanext-harvest's show
schema for ``package_show``.

Sources indexed before this fix are repaired by ``ckan harvester reindex``
(or ``ckan search-index rebuild``), or when their next job ends.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import logic

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import search_index

register = Registry()


@register.action(when_plugin="harvest")  # ckanext-harvest's action: chained only with its plugin
@tk.chained_action
def harvest_source_reindex(up, context, data_dict):
    """Reindex one harvest source (``id``); replaces ckanext-harvest's version (see the module)."""
    source_id = tk.get_or_bust(data_dict, "id")
    # as ckanext-harvest's own: no check of the caller (harvest_jobs_run reindexes the
    # sources of all offices), and its callers go on with this context
    context.update({"ignore_auth": True, "validate": False})
    tk.check_access("harvest_source_reindex", context, data_dict)
    if not search_index.NATIVE:  # CKAN 2.11 indexes the dict ckanext-harvest gives it as it should
        return up(context, data_dict)
    logic.index_update_package(context, source_id, defer_commit=context.get("defer_commit", False))
    return True
