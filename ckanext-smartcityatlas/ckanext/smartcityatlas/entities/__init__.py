# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actor and project entities: schemas (schemas/*.yaml), validation,
districts, relations, pages."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.entities import display, privacy, reference_privacy, relations, shared


def datasets_only_on_dataset_search(config) -> None:
    """``/dataset/`` lists datasets only: actors and projects have the atlas
    (and ``/actor/``, ``/project/``). CKAN's default ``dataset`` for
    ``ckan.search.show_all_types`` would count them as datasets there; a
    portal that sets another value keeps it."""
    if str(config.get("ckan.search.show_all_types", "dataset")).strip().lower() == "dataset":
        config["ckan.search.show_all_types"] = "false"


CAPABILITY = Capability(
    name="entities",
    package=__name__,
    # reference_privacy: references the caller may not read are cut from every output
    modules=("actions", "auth", "reference_privacy", "validators", "helpers", "labels", "page", "shared",
             "registry_ids"),
    config_hooks=(datasets_only_on_dataset_search,),
    index_hooks=(relations.index_fields, privacy.coarsen_index, shared.index_city),
    change_hooks=(relations.reindex_related_actors,),
    show_hooks=(display.hide_editor_notes, reference_privacy.strip_for_caller),
    search_result_hooks=(display.hide_in_search_results,),
)
