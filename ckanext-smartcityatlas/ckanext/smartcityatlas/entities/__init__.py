# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actor and project entities: schemas (schemas/*.yaml), validation,
districts, relations, pages."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.entities import (actions, auth, display, helpers, privacy, reference_privacy, relations,
                                             validators)

CAPABILITY = Capability(
    name="entities",
    actions=lambda: {
        "sca_actor_projects": actions.sca_actor_projects,
        "sca_project_actors": actions.sca_project_actors,
        # references the caller may not read are cut from every output
        **reference_privacy.actions(),
    },
    auth_functions=lambda: {
        "sca_actor_projects": auth.sca_actor_projects,
        "sca_project_actors": auth.sca_project_actors,
    },
    validators=validators.all_validators,
    helpers=helpers.all_helpers,
    index_hooks=(relations.index_fields, privacy.coarsen_index),
    change_hooks=(relations.reindex_related_actors,),
    show_hooks=(display.hide_editor_notes, reference_privacy.strip_for_caller),
    search_result_hooks=(display.hide_in_search_results,),
)
