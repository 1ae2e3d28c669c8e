# SPDX-License-Identifier: AGPL-3.0-or-later
"""Legal pages a German public site needs (Impressum, Datenschutz,
Erklärung zur Barrierefreiheit), per city, linked in every page's footer."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="legal", package=__name__, modules=("views",))
