# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Smart-City-Radar harvester ``sca_radar`` (docs/radar.md).

``reader`` turns a CSV, XLSX or JSON export into numbered rows, ``sheet``
maps a row's columns and categories to atlas fields with the mapping file,
``actors`` matches partner names to the atlas' actors, ``geocode`` finds a
location, and ``harvester`` puts it together on the shared base.
"""
