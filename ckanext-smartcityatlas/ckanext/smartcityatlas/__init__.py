# SPDX-License-Identifier: AGPL-3.0-or-later
"""Smart City Atlas: a CKAN extension for a city's smart-city ecosystem."""
