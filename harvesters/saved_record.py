# SPDX-License-Identifier: AGPL-3.0-or-later
"""One read of a dataset a harvester has just saved, for both of CKAN's readers.

After package_create/package_update CKAN reads the saved dataset twice: the
activity stream's snapshot (``package_show`` in its ``action_succeeded``
receiver) and the search index (``package_show_default_and_custom_schemas``;
``common.search_index`` on CKAN 2.11).
A harvester that asks for it (``READ_AFTER_SAVE`` in the action's context)
gets the index's two dicts read once inside the action, and the activity
stream's ``package_show`` of that dataset, which runs right after the action
before anything else can change it, is answered with the second of them:
package_show's own dict as read from the database, the one CKAN itself
stores in the index for package_show's search-index cache.

Only that one read is answered (the dataset id and the reader's arguments
must match), and only until the harvester's action call returns
(``answering_snapshot``): every other package_show reads the database.

package_update with ``defer_commit`` does not tell the activity stream that
it changed the dataset; ``after_save`` does (a harvested change had no
activity otherwise).
"""
from __future__ import annotations

import contextlib
import contextvars
import copy

import ckan.plugins.toolkit as tk
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import search_index

register = Registry()

# context key: a dict the action fills with "dicts" (package_show_default_and_custom_schemas);
# for package_update its "modified_before" (the dataset's metadata_modified
# before the save) tells whether the save changed the dataset
READ_AFTER_SAVE = "sca_read_after_save"

_PENDING: contextvars.ContextVar[tuple[str, dict] | None] = contextvars.ContextVar(
    "sca_saved_record", default=None)


def after_save(context: dict, result) -> None:
    """In package_create/package_update, after the save: read the dataset
    for the caller that asked, and keep package_show's dict for the
    activity stream's snapshot."""
    holder = context.get(READ_AFTER_SAVE)
    if holder is None:
        return
    pkg_id = result if isinstance(result, str) else (result or {}).get("id")
    if not pkg_id:
        return
    both = search_index.dataset_dicts({"ignore_auth": True}, pkg_id)
    holder["dicts"] = both
    before = holder.get("modified_before")
    if before is not None and both[1].get("metadata_modified") != before:
        # package_update names the changed dataset in the context (which the
        # activity stream's receiver asks) only when it commits itself, not
        # with defer_commit: without this a harvested change has no activity
        context.setdefault("changed_entities", {}).setdefault("packages", set()).add(pkg_id)
    _PENDING.set((pkg_id, both[1]))


@contextlib.contextmanager
def answering_snapshot():
    """Around the harvester's action call: the kept dict answers the
    snapshot read of the action's signal, and nothing after it."""
    token = _PENDING.set(None)
    try:
        yield
    finally:
        _PENDING.reset(token)


@register.action
@tk.chained_action
@tk.side_effect_free
def package_show(up, context, data_dict):
    pending = _PENDING.get()
    # the activity stream's read: {"id": …, "include_tracking": False} with
    # {"for_view": False, "ignore_auth": True}
    if (pending is not None and data_dict.get("id") == pending[0] and context.get("ignore_auth")
            and not data_dict.get("include_tracking") and not context.get("for_view")
            and context.get("validate", True) is not False):
        _PENDING.set(None)  # one read
        tk.check_access("package_show", context, data_dict)  # as package_show does (ignored here)
        return copy.deepcopy(pending[1])
    return up(context, data_dict)


@register.chained_saves
def read_after_save(up, context, data_dict, action):
    result = up(context, data_dict)
    after_save(context, result)
    return result
