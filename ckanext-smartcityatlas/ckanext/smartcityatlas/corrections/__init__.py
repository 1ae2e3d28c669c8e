# SPDX-License-Identifier: AGPL-3.0-or-later
"""Suggestions and corrections by the public ("Eintrag vorschlagen /
Korrektur melden"): anyone submits, the owning organisation's admins
moderate, nothing is published unmoderated, contact data stay private and
are deleted after a configurable time."""
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.corrections import actions, auth, views

CAPABILITY = Capability(
    name="corrections",
    actions=lambda: {
        "sca_correction_create": actions.sca_correction_create,
        "sca_correction_list": actions.sca_correction_list,
        "sca_correction_update": actions.sca_correction_update,
    },
    auth_functions=lambda: {
        "sca_correction_create": auth.sca_correction_create,
        "sca_correction_list": auth.sca_correction_list,
        "sca_correction_update": auth.sca_correction_update,
    },
    blueprints=lambda: [views.blueprint],
    helpers=lambda: {"sca_contact_retention_days": lambda: tk.config.get(
        "ckanext.smartcityatlas.corrections.contact_retention_days")},
    periodic_tasks=(("purge_submission_contacts", actions.purge_old_contacts),),
)
