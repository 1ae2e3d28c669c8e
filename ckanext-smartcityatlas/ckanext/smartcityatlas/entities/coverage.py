# SPDX-License-Identifier: AGPL-3.0-or-later
"""City-wide entries: an actor or project whose location covers at least
``ckanext.smartcityatlas.atlas.citywide_share`` of the city's districts
(default: half) is about the city, not about a place.

Such an entry has no meaningful point (its point inside the city's area sat
on the city centre: 69 demo entries on one spot), so the atlas keeps it out
of the map's points and out of map-area and radius searches and lists it as
"city-wide" beside the map; its page says "city-wide (64 districts)" instead
of listing them all. The index field ``sca_citywide`` holds the verdict
(written when the entry is indexed: after changing the share, rebuild the
search index).
"""
from __future__ import annotations

import math

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config

INDEX_FIELD = "sca_citywide"
DEFAULT_SHARE = 0.5


def share() -> float:
    """The configured share of districts (0 < share ≤ 1)."""
    raw = tk.config.get("ckanext.smartcityatlas.atlas.citywide_share")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"ckanext.smartcityatlas.atlas.citywide_share must be a number, not {raw!r}") from None
    if not 0 < value <= 1:
        raise ValueError("ckanext.smartcityatlas.atlas.citywide_share must be above 0 and at most 1")
    return value


def district_limit(city_title: str = "") -> int:
    """From this many districts on an entry is city-wide (in a region: of
    the member city ``city_title``)."""
    districts = city_config.current().districts
    if city_title:
        districts = [d for d in districts if d.city == city_title]
    return limit_of(len(districts))


def limit_of(district_total: int) -> int:
    """From this many districts on an entry is city-wide in a city of ``district_total`` districts."""
    return max(2, math.ceil(share() * district_total))


def is_citywide(district_count: int) -> bool:
    return district_count >= district_limit()


def covers_a_city(districts: list) -> bool:
    """Whether stored districts (``sca_districts``) make an entry city-wide:
    in a region, enough districts of one member city, each by its own count."""
    per_city: dict[str, int] = {}
    for district in districts:
        city = district.get("city", "") if isinstance(district, dict) else ""
        per_city[city] = per_city.get(city, 0) + 1
    if set(per_city) <= {""}:
        return is_citywide(len(districts))
    return any(count >= district_limit(city) for city, count in per_city.items())


def index_flag(pkg_dict: dict, districts: list) -> None:
    """before_dataset_index (relations.index_fields): ``sca_citywide``."""
    pkg_dict[INDEX_FIELD] = ["true" if covers_a_city(districts) else "false"]
