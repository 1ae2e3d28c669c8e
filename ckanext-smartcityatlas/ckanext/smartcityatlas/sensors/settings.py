# SPDX-License-Identifier: AGPL-3.0-or-later
"""Site-wide sensor settings (config_declaration.yaml, docs/sensors.md)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def grid_m() -> float:
    """Published positions of sensors are the centres of cells of this size (metres)."""
    value = tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.grid_m"))
    if value < 1:
        raise ValueError("ckanext.smartcityatlas.sensors.grid_m must be at least 1 (metres)")
    return float(value)


def raw_retention_hours() -> float:
    """How long raw readings are kept after their day is aggregated and closed."""
    return max(0, tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.raw_retention_hours")))


def geojson_max_features() -> int:
    return tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.geojson_max_features"))


def layer_max_features() -> int:
    return max(1, tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.layer_max_features")))


def layer_cache_seconds() -> int:
    return max(0, tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.layer_cache_seconds")))


def stale_after_seconds() -> int:
    """A value whose hour ended longer ago than this is out of date ("stale")."""
    return max(1, tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.stale_after_minutes"))) * 60


def inactive_after_seconds() -> int:
    """A sensor whose newest value is older than this is inactive."""
    return max(stale_after_seconds(), tk.asint(tk.config.get("ckanext.smartcityatlas.sensors.inactive_after_hours")) * 3600)
