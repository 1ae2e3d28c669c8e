# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may read validation findings: whoever may read the record."""
import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def sca_validation_show(context, data_dict):
    try:
        tk.check_access("package_show", dict(context), data_dict)
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to read this dataset")}
    return {"success": True}
