# SPDX-License-Identifier: AGPL-3.0-or-later
"""The current atlas selection as a file (``/atlas/export.csv`` and
``/atlas/export.geojson``, routes in views.py).

Same query string as ``/atlas``. Records come from ``package_search`` with
the caller's context (paged), so a file holds exactly what the caller may
see: private records only for members of their office. Columns are the
public description of an entity — never contact data (no e-mail, phone or
contact person). At most ``ckanext.smartcityatlas.export.max_rows`` rows
(then ``X-Truncated: true``; ``X-Total-Count`` is the full count).

The CSV is for German spreadsheets: UTF-8 with BOM, ``;`` as separator,
decimal commas, labels in the page language, and cells that a spreadsheet
would run as a formula are neutralised with a leading apostrophe.
"""
from __future__ import annotations

import datetime
import json

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError

from ckanext.smartcityatlas.atlas import filter_labels, search
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.lists import as_list, values
from ckanext.smartcityatlas.common.spreadsheet import csv_cell, german_csv

FIELDS = ["id", "name", "title", "dataset_type", "organization", "extras_actor_kind", "extras_project_kind",
          "extras_helix_sector", "extras_status", "sca_topics", "sca_district_names", "sca_point",
          "sca_location_coarsened"]
PAGE = 1000  # package_search's default ckan.search.rows_max


def max_rows() -> int:
    return tk.config.get("ckanext.smartcityatlas.export.max_rows")


def selection(context: dict, params: dict, cap: int) -> tuple[list[dict], int]:
    """The entities of the atlas selection the caller may see (up to cap) and their count."""
    query = search.build_query(context, params)
    if set(values(params, "entity_type")) - {"actor", "project"}:
        raise tk.ValidationError({"entity_type": [tk._("The export holds actors and projects only.")]})
    found: list[dict] = []
    count = 0
    while len(found) < cap:
        rows = min(PAGE, cap - len(found))
        try:
            result = tk.get_action("package_search")({**context, "ignore_auth": False}, {
                **query, "fl": FIELDS, "include_private": True, "rows": rows, "start": len(found),
                "sort": "title_string asc, name asc"})
        except SearchError as e:
            raise tk.ValidationError({"search": [str(e)]}) from None
        count = result["count"]
        found += result["results"]
        if len(result["results"]) < rows:
            break
    return found, count


def _point(doc: dict) -> tuple[float, float] | None:
    value = doc.get("sca_point")
    if not value:
        return None
    lon, lat = (float(v) for v in (value[0] if isinstance(value, list) else value).split(","))
    return lon, lat


def _list(value) -> list[str]:
    return [str(v) for v in as_list(value)]


def _url(doc: dict) -> str:
    return tk.url_for(f"{doc['dataset_type']}.read", id=doc["name"], _external=True)


def filename(extension: str) -> str:
    city = city_config.current().name
    return f"smart-city-atlas-{city}-{datetime.date.today().isoformat()}.{extension}"


def _decimal(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def csv_body(docs: list[dict]) -> bytes:
    labels = {p: filter_labels.labels_for(p) for p in ("entity_type", "actor_kind", "project_kind", "helix_sector",
                                              "status", "topic")}
    orgs = filter_labels.organization_titles({d.get("organization") for d in docs if d.get("organization")})
    header = [tk._("Type"), tk._("Title"), tk._("Kind"), tk._("Sector"), tk._("Status"), tk._("Topics"),
              tk._("Districts"), tk._("Publisher"), tk._("Longitude"), tk._("Latitude"),
              tk._("Shown at district level"), tk._("Page"), tk._("Id")]
    rows = []
    for doc in docs:
        kind = doc.get("actor_kind") or doc.get("project_kind") or ""
        kind_labels = labels["actor_kind"] if doc.get("dataset_type") == "actor" else labels["project_kind"]
        point = _point(doc)
        text_cells = [
            labels["entity_type"].get(doc.get("dataset_type"), doc.get("dataset_type") or ""),
            doc.get("title") or "",
            kind_labels.get(kind, kind),
            labels["helix_sector"].get(doc.get("helix_sector"), doc.get("helix_sector") or ""),
            labels["status"].get(doc.get("status"), doc.get("status") or ""),
            ", ".join(labels["topic"].get(t, t) for t in _list(doc.get("sca_topics"))),
            ", ".join(_list(doc.get("sca_district_names"))),
            orgs.get(doc.get("organization"), doc.get("organization") or ""),
        ]
        row = [csv_cell(str(c)) for c in text_cells]
        # generated numbers are not record text: written as they are
        row += [_decimal(point[0]) if point else "", _decimal(point[1]) if point else "",
                tk._("yes") if _list(doc.get("sca_location_coarsened")) == ["true"] else ""]
        row += [csv_cell(_url(doc)), csv_cell(doc["id"])]
        rows.append(row)
    return german_csv(header, rows).encode("utf-8")


def geojson_body(docs: list[dict], count: int) -> bytes:
    features = []
    for doc in docs:
        point = _point(doc)
        props = {"id": doc["id"], "name": doc["name"], "title": doc.get("title"), "type": doc.get("dataset_type"),
                 "kind": doc.get("actor_kind") or doc.get("project_kind"), "helix_sector": doc.get("helix_sector"),
                 "status": doc.get("status"), "topics": _list(doc.get("sca_topics")),
                 "districts": _list(doc.get("sca_district_names")), "organization": doc.get("organization"),
                 "location_coarsened": _list(doc.get("sca_location_coarsened")) == ["true"], "url": _url(doc)}
        features.append({"type": "Feature", "id": doc["id"],
                         "properties": {k: v for k, v in props.items() if v not in (None, "")},
                         # RFC 7946 §3.2: entities without a location have a null geometry
                         "geometry": {"type": "Point", "coordinates": list(point)} if point else None})
    collection = {"type": "FeatureCollection", "features": features}
    if count > len(features):
        collection.update(truncated=True, total=count)
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
