# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_validation_show``: a record's stored DCAT-AP.de findings."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.quality import dataset_validation


@tk.side_effect_free
def sca_validation_show(context, data_dict):
    """The DCAT-AP.de violations and warnings stored for a dataset when it
    was last saved.

    :param id: the dataset's id or name
    :returns: ``id``, ``profile``, ``status`` (``conforms``, ``warnings``,
        ``violations``, ``error``, ``not_validated`` for records saved before
        validation existed, ``not_applicable`` for actors and projects),
        ``conforms``, ``computed_at`` (ISO 8601, UTC) and the lists
        ``violations`` and ``warnings`` of ``{severity, message, path, value,
        focus}``
    """
    package_id = tk.get_or_bust(data_dict, "id")
    pkg = model.Package.get(package_id)
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    # exactly who may see the record (package_show) may see its findings
    tk.check_access("sca_validation_show", context, {"id": pkg.id})
    found = dataset_validation.stored_findings(pkg.id)
    if found is not None:
        return found
    status = "not_validated" if dataset_validation.applies_to({"type": pkg.type}) else "not_applicable"
    return {"id": pkg.id, "profile": None, "status": status, "conforms": None,
            "computed_at": None, "violations": [], "warnings": []}
