# SPDX-License-Identifier: AGPL-3.0-or-later
"""The base map under every map of the portal: the city's own geodata
service, set in city.yaml ``base_map`` (tiles as a ``{z}/{x}/{y}`` URL
template, or a WMS with its layers, and the attribution the service asks
for). The ``ckanext.smartcityatlas.map.*`` options of the ini file win when
set. Without either, or while the service cannot be reached, the maps show
the self-hosted city and district outlines (city-layer.js), which are drawn
in any case: nothing but the configured host is ever asked."""
from __future__ import annotations

import urllib.parse

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.city_config import City

KEYS = ("tiles", "wms", "layers", "attribution", "max_zoom")


def _web_address(value) -> bool:
    parts = urllib.parse.urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.hostname)


def problems(settings: dict) -> list[tuple[str, str]]:
    """(key, message) of every flaw of ``base_map``."""
    base = settings.get("base_map")
    if base is None:
        return []
    if not isinstance(base, dict):
        return [("base_map", "must be a mapping (tiles or wms with layers, attribution)")]
    found = [(f"base_map.{key}", f"unknown key (known: {', '.join(KEYS)})") for key in base if key not in KEYS]
    tiles, wms = base.get("tiles"), base.get("wms")
    if bool(tiles) == bool(wms):
        found.append(("base_map", "needs either tiles (a {z}/{x}/{y} address) or wms (with layers)"))
    if tiles and not (_web_address(tiles) and all(p in tiles for p in ("{z}", "{x}", "{y}"))):
        found.append(("base_map.tiles", f"must be an http(s) address with {{z}}, {{x}} and {{y}}, not {tiles!r}"))
    if wms and not _web_address(wms):
        found.append(("base_map.wms", f"must be an http(s) address, not {wms!r}"))
    if wms and not (isinstance(base.get("layers"), str) and base["layers"].strip()):
        found.append(("base_map.layers", "missing: the WMS layer names, separated by commas"))
    if not (isinstance(base.get("attribution"), str) and base["attribution"].strip()):
        found.append(("base_map.attribution", "missing: the map's source as its terms of use ask for it"))
    zoom = base.get("max_zoom")
    if zoom is not None and not (isinstance(zoom, int) and 1 <= zoom <= 22):
        found.append(("base_map.max_zoom", f"must be a whole number from 1 to 22, not {zoom!r}"))
    return found


def settings(city: City) -> dict:
    """What the maps' script needs (city-layer.js ``scaBaseLayer``): the
    tile URL or the WMS and its layers, the attribution and the highest zoom;
    all empty for the self-hosted outlines alone."""
    option = {key: tk.config.get(f"ckanext.smartcityatlas.map.{key}") or ""
              for key in ("tile_url", "tile_attribution", "wms_url", "wms_layers")}
    if option["tile_url"] or option["wms_url"]:
        return {**option, "max_zoom": 19}
    base = city.settings.get("base_map")
    if not base or problems(city.settings):
        return {"tile_url": "", "tile_attribution": "", "wms_url": "", "wms_layers": "", "max_zoom": 19}
    return {"tile_url": base.get("tiles") or "", "wms_url": base.get("wms") or "",
            "wms_layers": base.get("layers") or "", "tile_attribution": base.get("attribution") or "",
            "max_zoom": base.get("max_zoom") or 19}
