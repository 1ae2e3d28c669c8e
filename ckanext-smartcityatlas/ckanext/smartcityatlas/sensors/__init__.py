# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensor aggregates: openSenseMap readings to DataStore tables and DCAT-AP.de datasets."""
