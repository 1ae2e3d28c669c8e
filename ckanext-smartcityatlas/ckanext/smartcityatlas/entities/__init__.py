# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actor and project entities: schemas (schemas/*.yaml), validation,
districts, relations, pages."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.entities import display, privacy, reference_privacy, relations

CAPABILITY = Capability(
    name="entities",
    package=__name__,
    # reference_privacy: references the caller may not read are cut from every output
    modules=("actions", "auth", "reference_privacy", "validators", "helpers", "labels"),
    index_hooks=(relations.index_fields, privacy.coarsen_index),
    change_hooks=(relations.reindex_related_actors,),
    show_hooks=(display.hide_editor_notes, reference_privacy.strip_for_caller),
    search_result_hooks=(display.hide_in_search_results,),
)
