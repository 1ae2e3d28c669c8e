# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input schemas of the atlas actions (input_schema.py): the filters of the
atlas selection, shared by ``sca_search``, ``sca_geojson``, ``sca_network``
and the pages and files built from the same query string."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.input_schema import (Field, default, integer, number, one_of, optional, text,
                                                        text_list, unknown_refused)

MAX_QUERY = 1000
MAX_FILTER_TEXT = 1000
MAX_FILTER_VALUES = 50
MAX_ROWS = 100
# Solr collects start + rows documents; the atlas has far fewer
MAX_START = 100_000

FILTER_HELP = {
    "entity_type": "actor, project (sca_search also: dataset)",
    "actor_kind": "e.g. company, university, research_institute, civil_society, public_administration",
    "helix_sector": "business, science, administration, civil_society",
    "theme": "theme of the city's strategy", "topic": "topic, e.g. energy, mobility",
    "field_of_action": "field of action of the strategy", "sdg": "Sustainable Development Goal, 1–17",
    "district": "district name", "district_group": "name of a district group (the city's next level, e.g. a Stadtbezirk)",
    "status": "project status: idea, planned, running, completed, …", "project_kind": "measure, project, activity, topic",
    "partner": "actor id: projects with this partner", "measure": "measure id: entities in this measure",
    "organization": "name of the publishing office",
    "funding": "funding programme of a project, as written (a name with commas: as a list, e.g. in a JSON body)",
    "budget": "budget class of a project: under_100k, 100k_1m, over_1m",
    "city": "city of the entry (a regional atlas harvests several, sca_atlas)",
}


def filters() -> dict:
    """The atlas selection: free text, area and the facet filters; any
    other parameter is refused (raw Solr parameters never get through)."""
    from ckanext.smartcityatlas.atlas import search

    max_km = float(tk.config.get("ckanext.smartcityatlas.search.max_radius_km"))
    schema = {
        "q": Field("free text, German analysis; operators are searched as plain words", optional,
                   text(MAX_QUERY)),
        "bbox": Field("minx,miny,maxx,maxy in WGS 84", optional, text(200)),
        "lat": Field("latitude of the radius search", optional, number(-90, 90)),
        "lon": Field("longitude of the radius search", optional, number(-180, 180)),
        "radius_km": Field("radius in km (at most ckanext.smartcityatlas.search.max_radius_km)", optional,
                           number(0, max_km)),
        "scope": Field("local (entries with a place) or citywide (entries for the whole city or many districts); "
                       "default both, a map-area or radius search local only", optional,
                       one_of(search.SCOPES)),
    }
    for key in search.FILTERS:
        schema[key] = Field(f"{FILTER_HELP[key]} (several: comma separated)", optional,
                            text_list(MAX_FILTER_VALUES, MAX_FILTER_TEXT))
    schema["__extras"] = [unknown_refused]
    return schema


def sca_search() -> dict:
    return {**filters(),
            "rows": Field(f"results, default 20, at most {MAX_ROWS}", default(20), integer(0, MAX_ROWS)),
            "start": Field(f"offset, at most {MAX_START:,}", default(0), integer(0, MAX_START))}


def sca_geojson() -> dict:
    return filters()


def sca_network() -> dict:
    return filters()
