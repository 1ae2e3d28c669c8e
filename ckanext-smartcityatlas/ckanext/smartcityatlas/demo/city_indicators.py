# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo portal's own city indicators: a small DataStore table of
invented values (labelled demo in the dataset, every title and the source),
so the smart-city monitor shows the city's indicators next to its own.

``deploy/sca up`` names the table's alias in
``ckanext.smartcityatlas.monitor.city_indicators`` when it loads the demo
(``SCA_MONITOR_CITY_INDICATORS``, default ``ALIAS``). Run again, the rows
are upserted: the same quarters keep their values, a new quarter is added.
"""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk

NAME = "demo-stadtindikatoren"
ALIAS = "sca_demo_city_indicators"
QUARTERS = 8
SOURCE = "Demo-Daten (erfunden), keine amtliche Statistik"
FIELDS = [{"id": c, "type": "text"} for c in
          ("indicator_id", "title_de", "title_en", "unit", "period", "value", "source")]
# (id, German title, English title, unit, value in the first and in the current quarter): invented
INDICATORS = [
    ("demo_wlan_hotspots", "Öffentliche WLAN-Hotspots (Demo)", "Public Wi-Fi hotspots (demo)", "Anzahl", 96, 212),
    ("demo_ladepunkte", "Öffentliche Ladepunkte für E-Autos (Demo)", "Public charging points for electric cars (demo)",
     "Anzahl", 340, 610),
    ("demo_online_dienste", "Online verfügbare Verwaltungsleistungen (Demo)",
     "Administrative services available online (demo)", "%", 38.0, 61.5),
]


def rows(today: datetime.date) -> list[dict]:
    """Every indicator in each of the last QUARTERS quarters up to today's, rising steadily."""
    from ckanext.smartcityatlas.monitoring import overview

    quarters = overview.last_quarters(today, QUARTERS)
    out = []
    for ident, title_de, title_en, unit, first, last in INDICATORS:
        for step, quarter in enumerate(quarters):
            value = first + (last - first) * step / (len(quarters) - 1)
            out.append({"indicator_id": ident, "title_de": title_de, "title_en": title_en, "unit": unit,
                        "period": quarter["label"].replace(" ", "-"), "source": SOURCE,
                        "value": str(round(value)) if isinstance(first, int) else f"{value:.1f}"})
    return out


def _dataset(site: dict, owner_org: str) -> dict:
    try:
        return tk.get_action("package_show")(dict(site), {"id": NAME})
    except tk.ObjectNotFound:
        return tk.get_action("package_create")(dict(site), {
            "type": "dataset", "name": NAME, "owner_org": owner_org, "license_id": "dl-zero-de/2.0",
            "title": "Demo: Stadtindikatoren (erfundene Werte)",
            "title_en": "Demo: city indicators (invented values)",
            "notes": "Demo-Daten: erfundene Werte einiger Stadtindikatoren, damit der Smart-City-Monitor "
                     "(/atlas/monitor) eigene Indikatoren der Stadt zeigt. Keine amtliche Statistik.",
            "description_en": "Demo data: invented values of a few city indicators, so that the smart-city "
                              "monitor (/atlas/monitor) shows indicators of the city's own. No official "
                              "statistics.",
            "tag_string": "Demo,Smart City"})


def ensure(today: datetime.date) -> int:
    """Create the dataset and its table (alias ``ALIAS``) if missing and
    upsert the rows; the number of rows, 0 without an organisation."""
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    orgs = tk.get_action("organization_list")(dict(site), {"limit": 1000})
    if not orgs:
        return 0
    pkg = _dataset(site, orgs[0])
    resource = next((r for r in pkg.get("resources") or [] if r.get("datastore_active")), None)
    records = rows(today)
    if resource is None:
        tk.get_action("datastore_create")(dict(site), {
            "resource": {"package_id": pkg["id"], "name": "Stadtindikatoren (Demo)", "format": "CSV"},
            "fields": FIELDS, "primary_key": ["indicator_id", "period"], "aliases": ALIAS, "records": records})
    else:
        tk.get_action("datastore_upsert")(dict(site), {"resource_id": resource["id"], "records": records,
                                                       "method": "upsert", "force": True})
    return len(records)
