# SPDX-License-Identifier: AGPL-3.0-or-later
"""Legal pages a German public site needs (Impressum, Datenschutz,
Erklärung zur Barrierefreiheit), per city, linked in every page's footer."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.legal import views

CAPABILITY = Capability(
    name="legal",
    blueprints=lambda: [views.blueprint],
    helpers=lambda: {"sca_legal_links": views.footer_links},
)
