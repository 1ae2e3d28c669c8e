# SPDX-License-Identifier: AGPL-3.0-or-later
"""What may be published about a senseBox (or a SensorThings Thing that is
not marked as a public installation): its id, its district and its
position coarsened to a grid (default 500 m); never its name or owner.

The grid is metric: latitude in steps of ``grid_m`` metres, longitude in
steps of ``grid_m`` metres at the cell's latitude; the published point is
the centre of the cell. Every box of a cell gets the same point.
"""
from __future__ import annotations

import math

EARTH_M_PER_DEG = 111_320.0


def coarsen(lon: float, lat: float, grid_m: float) -> tuple[float, float]:
    if grid_m <= 0:
        raise ValueError("the grid must be larger than 0 m")
    step_lat = grid_m / EARTH_M_PER_DEG
    row = math.floor(lat / step_lat)
    centre_lat = (row + 0.5) * step_lat
    step_lon = grid_m / (EARTH_M_PER_DEG * math.cos(math.radians(centre_lat)))
    col = math.floor(lon / step_lon)
    centre_lon = (col + 0.5) * step_lon
    return round(centre_lon, 6), round(centre_lat, 6)
