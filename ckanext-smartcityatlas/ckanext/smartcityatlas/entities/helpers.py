# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers of the entity pages and forms."""
from __future__ import annotations

from markupsafe import Markup, escape

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config, web_address
from ckanext.smartcityatlas.entities import labels


def sca_model_district_choices(field=None):
    return [
        {"value": d["value"], "label": d["label"]}
        for d in city_config.current().settings.get("model_districts", [])
    ]


def _call(action: str, entity_id: str) -> dict:
    context = {"user": tk.g.user if hasattr(tk.g, "user") else None}
    try:
        return tk.get_action(action)(context, {"id": entity_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return {"count": 0, "results": [], "part_of": None, "related_datasets": []}


def sca_project_actors(project_id: str) -> dict:
    """Partners of a project the current user may see (for the project page)."""
    return _call("sca_project_actors", project_id)


def sca_actor_projects(actor_id: str) -> dict:
    """Projects of an actor the current user may see (for the actor page)."""
    return _call("sca_actor_projects", actor_id)


def sca_parse_location(value):
    """GeoJSON dict of a stored location, or None."""
    from ckanext.smartcityatlas.entities import locations

    if not value:
        return None
    try:
        return locations.parse(value)[0]
    except locations.LocationError:
        return None


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


def sca_city_settings() -> dict:
    return city_config.current().settings


def sca_safe_link(url, label=None, mailto=False, **attrs) -> Markup:
    """A link to url if it is a web address (web_address.safe_href: http(s),
    a site path, mailto: where mailto=True), else url or label as plain text:
    a stored ``javascript:`` or ``data:`` value never becomes a live link.
    attrs become attributes (``class_`` for class; None leaves one out)."""
    text = label if label not in (None, "") else ("" if url is None else str(url))
    href = web_address.safe_href(url, mailto=mailto)
    attributes = {key.rstrip("_"): value for key, value in attrs.items() if value is not None}
    if href is None:
        css = attributes.get("class")
        return Markup('<span class="{}">{}</span>').format(
            f"{css} sca-not-a-link" if css else "sca-not-a-link", text)
    if attributes.get("target") == "_blank" and "rel" not in attributes:
        attributes["rel"] = "noopener"
    rendered = "".join(f' {escape(key)}="{escape(value)}"' for key, value in attributes.items())
    return Markup('<a href="{}"').format(href) + Markup(rendered) + Markup(">{}</a>").format(text)


def all_helpers() -> dict:
    return {
        "sca_model_district_choices": sca_model_district_choices,
        "sca_project_actors": sca_project_actors,
        "sca_actor_projects": sca_actor_projects,
        "sca_city_settings": sca_city_settings,
        "sca_parse_location": sca_parse_location,
        "sca_role_label": sca_role_label,
        "sca_safe_link": sca_safe_link,
        "humanize_entity_type": labels.humanize_entity_type,
    }
