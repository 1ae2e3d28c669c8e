# SPDX-License-Identifier: AGPL-3.0-or-later
"""Validators of the harvest provenance fields (schemas/dataset.yaml)."""
import ckan.plugins.toolkit as tk


def sca_keep_stored(key, data, errors, context):
    """A field the form does not show keeps its stored value when an update
    does not mention it (the web form, an API update without it); an empty
    value sent on purpose (the harvester clearing ``sca_withdrawn``) clears it."""
    if data.get(key) is not tk.missing and data.get(key) is not None:
        return
    package = context.get("package")
    if package is None:
        return
    stored = (package.extras or {}).get(key[-1])
    if stored is not None:
        data[key] = stored
