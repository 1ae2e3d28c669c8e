# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers of the entity pages and forms."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common.language import ui_language

register = Registry()


@register.helper
def sca_model_district_choices(field=None):
    return [
        {"value": d["value"], "label": d["label"]}
        for d in city_config.current().settings.get("model_districts", [])
    ]


def _call(action: str, entity_id: str) -> dict:
    context = caller_context()
    try:
        return tk.get_action(action)(context, {"id": entity_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"count": 0, "results": [], "part_of": None, "related_datasets": []}


@register.helper
def sca_project_actors(project_id: str) -> dict:
    """Partners of a project the current user may see (for the project page)."""
    return _call("sca_project_actors", project_id)


@register.helper
def sca_actor_projects(actor_id: str) -> dict:
    """Projects of an actor the current user may see (for the actor page)."""
    return _call("sca_actor_projects", actor_id)


@register.helper
def sca_parse_location(value):
    """GeoJSON dict of a stored location, or None."""
    from ckanext.smartcityatlas.entities import locations

    if not value:
        return None
    try:
        return locations.parse(value)[0]
    except locations.LocationError:
        return None


@register.helper
def sca_role_label(role: str) -> str:
    """The label of a partner role in the current language."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text

    schema = scheming_get_dataset_schema("project") or {}
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == "partners":
            for sub in field["repeating_subfields"]:
                if sub["field_name"] == "role":
                    for choice in sub["choices"]:
                        if choice["value"] == role:
                            return scheming_language_text(choice["label"])
    return role or ""


@register.helper
def sca_coordinates(geom: dict) -> str:
    """A point's latitude and longitude in the page language
    ("51.05040° N, 13.73730° E"; German "51,05040° N, 13,73730° O")."""
    from babel.numbers import format_decimal

    lon, lat = (float(v) for v in geom["coordinates"][:2])
    lang = ui_language()

    def number(value: float) -> str:
        return format_decimal(abs(value), format="0.00000", locale=lang)

    north_south = tk._("{value}° N") if lat >= 0 else tk._("{value}° S")
    east_west = tk._("{value}° E") if lon >= 0 else tk._("{value}° W")
    return f"{north_south.format(value=number(lat))}, {east_west.format(value=number(lon))}"
