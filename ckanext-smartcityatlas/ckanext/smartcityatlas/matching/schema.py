# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schema of ``sca_match`` (input_schema.py)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.input_schema import (Field, boolean, identifier, integer, number, optional, text,
                                                 text_list, unknown_refused)

MAX_NEEDS_TEXT = 5000
MAX_LIMIT = 50


def sca_match() -> dict:
    max_km = float(tk.config.get("ckanext.smartcityatlas.search.max_radius_km"))
    return {
        "actor_id": Field("partners that complement this actor", optional, identifier()),
        "project_id": Field("actors for this project (its partners are left out)", optional, identifier()),
        "q": Field(f"free-text description of what is needed, at most {MAX_NEEDS_TEXT:,} characters", optional,
                   text(MAX_NEEDS_TEXT)),
        "lat": Field("point to measure distance from (default: the entity's location)", optional,
                     number(-90, 90)),
        "lon": Field("see lat", optional, number(-180, 180)),
        "radius_km": Field("only candidates within this radius in km (at most "
                           "ckanext.smartcityatlas.search.max_radius_km)", optional, number(0.01, max_km)),
        "sectors": Field("helix sectors, comma separated", optional, text_list(20, 500)),
        "types": Field("actor kinds, comma separated", optional, text_list(20, 500)),
        "same_city": Field("only candidates of the same city as the actor or project (a regional atlas; "
                           "for a needs text this atlas's city); default: the whole region", optional, boolean),
        "limit": Field(f"results, default 10, at most {MAX_LIMIT}", optional, integer(1, MAX_LIMIT)),
        "__extras": [unknown_refused],
    }
