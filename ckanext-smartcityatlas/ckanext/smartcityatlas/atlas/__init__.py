# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas: entity search, GeoJSON for the map and the map pages."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="atlas")
