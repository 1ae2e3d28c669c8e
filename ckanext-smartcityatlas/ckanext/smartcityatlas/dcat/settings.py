# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT settings: the city's ``dcat`` section (city.yaml) and CKAN config."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config


def dcat_settings() -> dict:
    return city_config.current().settings.get("dcat") or {}


def city_title() -> str:
    settings = city_config.current().settings
    return settings.get("official_name") or settings.get("title") or settings["name"]


def site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def dataset_page(dataset_dict: dict) -> str:
    return f"{site_url()}/dataset/{dataset_dict.get('name') or dataset_dict['id']}"


def catalog_description() -> str:
    return tk.config.get("ckan.site_description") or f"Offene Daten: {city_title()}"


def export_harvested() -> bool:
    return tk.asbool(tk.config.get("ckanext.smartcityatlas.dcat.export_harvested"))
