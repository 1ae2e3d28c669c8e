# SPDX-License-Identifier: AGPL-3.0-or-later
"""Suggestions and corrections by the public ("Eintrag vorschlagen /
Korrektur melden"): anyone submits, the owning organisation's admins
moderate, nothing is published unmoderated, contact data stay private and
are deleted after a configurable time."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="corrections", package=__name__, modules=("actions", "auth", "views"))
