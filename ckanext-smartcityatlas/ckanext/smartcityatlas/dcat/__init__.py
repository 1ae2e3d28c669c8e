# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de profiles, validation and the catalog endpoints."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="dcat")
