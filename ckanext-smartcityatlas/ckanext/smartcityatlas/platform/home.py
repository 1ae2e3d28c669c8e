# SPDX-License-Identifier: AGPL-3.0-or-later
"""The start page and ``/about`` (templates home/index.html, home/about.html)
and the city's look in every header: counts and newest entries as the
visitor may see them, who runs the portal (city.yaml), the logo and colour
(common/city_brand.py, served from the city's folder by platform/views.py)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_brand, city_config, city_texts
from ckanext.smartcityatlas.common.caller import caller_context

register = Registry()
NEWEST = 5
ENTITY_TYPES = ("actor", "project")


def _types() -> list[str]:
    """The record types the start page counts: entities only when that capability is on."""
    return [*(ENTITY_TYPES if capability.enabled("entities") else ()), "dataset"]


def _search(**params) -> dict:
    try:
        return tk.get_action("package_search")(caller_context(), params)
    except tk.ValidationError:  # (never with these parameters; a page must still render)
        return {"count": 0, "results": [], "facets": {}}


@register.helper
def sca_home() -> dict:
    """Counts per type (public records the visitor may read) and the newest
    atlas entries (or datasets, in a portal without the atlas)."""
    types = _types()
    counted = _search(q="*:*", fq=f"+dataset_type:({' OR '.join(types)})", rows=0,
                      **{"facet.field": ["dataset_type"], "facet.limit": 10})
    counts = {kind: int(counted.get("facets", {}).get("dataset_type", {}).get(kind, 0)) for kind in types}
    newest_types = [t for t in types if t in ENTITY_TYPES] or ["dataset"]
    newest = _search(q="*:*", fq=f"+dataset_type:({' OR '.join(newest_types)})", rows=NEWEST,
                     sort="metadata_created desc")["results"]
    return {
        "counts": counts,
        "newest": [{"title": pkg.get("title") or pkg["name"], "type": pkg.get("type") or "dataset",
                    "url": tk.h.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"]),
                    "created": pkg.get("metadata_created")} for pkg in newest],
        "city": city_title(),
    }


def city_title() -> str:
    settings = city_config.current().settings
    return str(settings.get("title") or settings.get("name") or "")


@register.helper
def sca_operator() -> dict:
    """Who runs the portal (``/about``), from city.yaml's catalog publisher
    and contact: name, web address, contact name, address and e-mail."""
    settings = city_config.current().settings
    dcat = settings.get("dcat") or {}
    legal = settings.get("legal") or {}
    return {
        "name": dcat.get("publisher_name") or settings.get("official_name") or city_title(),
        "url": dcat.get("publisher_url"),
        "contact_name": dcat.get("contact_name"),
        "contact_url": dcat.get("contact_url") or legal.get("contact_url"),
        "contact_email": dcat.get("contact_email") or legal.get("contact_email"),
    }


@register.helper
def sca_brand() -> dict:
    """The header's logo (its URL, or None: a text mark), colours and the
    city's name; the map preview's centre and zoom."""
    city = city_config.current()
    colour = city_brand.colour(city)
    return {
        "logo": tk.h.url_for("sca_city.logo") if city_brand.logo_path(city) else None,
        "colour": colour, "colour_dark": city_brand.darker(colour),
        "city": city_title(),
        "center": list(city_texts.map_center(city)), "zoom": city.settings.get("map_zoom") or 11,
    }
