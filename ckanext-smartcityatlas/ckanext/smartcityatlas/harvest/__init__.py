# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest integration: source settings, reports, curator actions.

The harvesters themselves live in ``ckanext.smartcityatlas.harvesters``
(the repository's ``harvesters/`` folder).
"""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="harvest")
