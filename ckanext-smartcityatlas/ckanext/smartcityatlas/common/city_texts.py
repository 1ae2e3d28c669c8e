# SPDX-License-Identifier: AGPL-3.0-or-later
"""What pages say about the city, from its configuration: the names of its
district levels (``districts.label``, ``districts.group_labels``) and the
examples of the forms (``examples``), so that no page names another city.

Schema texts (placeholders, help texts) name an example as ``{city:KEY}``;
:func:`fill` puts in the city's value.
"""
from __future__ import annotations

import json
import re

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.city_config import City

EXAMPLE_TOKEN = re.compile(r"\{city:(\w+)\}")
# what city.yaml's ``examples`` may set (the point is the map centre)
EXAMPLE_KEYS = ("actor_title", "actor_name", "attribution")


def _in_language(label, lang: str) -> str:
    """A label given as text or as {de: …, en: …} in lang (else German)."""
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("de") or next(iter(label.values()), ""))
    return "" if label is None else str(label)


def group_types(city: City) -> list[str]:
    """The kinds of parent units of the districts, in the order they first appear."""
    seen: list[str] = []
    for district in city.districts:
        if district.group_type and district.group_type not in seen:
            seen.append(district.group_type)
    return seen


def group_heading(city: City, lang: str) -> str:
    """The name of the district groups in lang ("Stadtbezirk / Ortschaft"),
    "" for a city with one level of districts."""
    labels = (city.settings.get("districts") or {}).get("group_labels") or {}
    names = [_in_language(labels.get(kind), lang) or kind for kind in group_types(city)]
    return " / ".join(dict.fromkeys(names))


def group_label(city: City, group_type: str, lang: str) -> str:
    labels = (city.settings.get("districts") or {}).get("group_labels") or {}
    return _in_language(labels.get(group_type), lang) or group_type


def district_label(city: City, lang: str) -> str:
    """The city's word for a district in lang (``districts.label``), "" when unset."""
    return _in_language((city.settings.get("districts") or {}).get("label"), lang)


def headings() -> dict[str, str]:
    """The configured city's words for its districts and their groups in the
    page's language (facet titles, the entity pages)."""
    city, lang = city_config.current(), tk.h.lang() or "de"
    return {"district": district_label(city, lang) or tk._("District"),
            "district_group": group_heading(city, lang) or tk._("District group"),
            **{f"group:{kind}": group_label(city, kind, lang) for kind in group_types(city)}}


def map_center(city: City) -> tuple[float, float]:
    """(lat, lon) of the maps' centre: ``map_center``, else the boundary's centre."""
    center = city.settings.get("map_center")
    if isinstance(center, (list, tuple)) and len(center) == 2:
        return float(center[0]), float(center[1])
    point = city.boundary.representative_point()
    return round(point.y, 4), round(point.x, 4)


def _slug(text: str) -> str:
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def examples(city: City) -> dict[str, str]:
    """The forms' examples: ``examples`` of city.yaml, else neutral values
    made from the city's own name and map centre."""
    given = city.settings.get("examples") or {}
    title = city.settings.get("title") or city.name
    actor_title = str(given.get("actor_title") or f"Stadtwerke {title}")
    lat, lon = map_center(city)
    return {
        "actor_title": actor_title,
        "actor_name": str(given.get("actor_name") or _slug(actor_title)),
        "attribution": str(given.get("attribution") or city.settings.get("official_name") or title),
        "point": json.dumps({"type": "Point", "coordinates": [lon, lat]}),
        "latitude": str(lat),
        "longitude": str(lon),
    }


def fill(text: str, city: City) -> str:
    """text with every ``{city:KEY}`` replaced by the city's example."""
    if "{city:" not in text:
        return text
    values = examples(city)
    return EXAMPLE_TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)
