# SPDX-License-Identifier: AGPL-3.0-or-later
"""GeoJSON of a sensor table, built on ``datastore_search`` (the DataStore
dump has no GeoJSON): ``sca_sensor_geojson`` (also ``/sensoren/<id>.geojson``,
views.py).

Auth is the DataStore's own: whoever may read the resource (its dataset)
gets the features, everyone else nothing, so a private dataset never leaks.
Points are the coarsened grid positions the table holds.
"""
from __future__ import annotations


import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.sensors import schema, settings
from ckanext.smartcityatlas.capability import Registry

register = Registry()

PROPERTIES = ("sensor_id", "box_id", "district", "day", "window_start", "window_end", "count", "mean",
              "min", "max", "median", "p95", "completeness")


@register.auth("sca_sensor_geojson")
@tk.auth_allow_anonymous_access  # anonymous callers are asked like everyone else
def sca_sensor_geojson_auth(context, data_dict):
    """Whoever may read the resource: the question datastore_search asks."""
    try:
        tk.check_access("datastore_search", context, {"resource_id": data_dict.get("resource_id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False}
    return {"success": True}


@register.action
@tk.side_effect_free
@validated(schema.sca_sensor_geojson)
def sca_sensor_geojson(context, data_dict):
    """Features of a per-sensor aggregate table: ``resource_id``; ``day``
    (YYYY-MM-DD, default: the latest day in the table)."""
    resource_id = data_dict["resource_id"]
    tk.check_access("sca_sensor_geojson", context, data_dict)
    day = data_dict["day"].isoformat() if data_dict.get("day") else None
    search = tk.get_action("datastore_search")
    info = search(dict(context), {"resource_id": resource_id, "limit": 1, "sort": "day desc"})
    names = {f["id"] for f in info["fields"]}
    if not {"sensor_id", "lon", "lat", "day"} <= names:
        raise tk.ValidationError({"resource_id": ["not a per-sensor aggregate table"]})
    if not day:
        if not info["records"]:
            return {"type": "FeatureCollection", "features": [], "day": None}
        day = str(info["records"][0]["day"])[:10]
    limit = settings.geojson_max_features()
    result = search(dict(context), {"resource_id": resource_id, "filters": {"day": day},
                                    "limit": limit + 1, "sort": "sensor_id, window_start_utc"})
    features = []
    for row in result["records"][:limit]:
        if row.get("lon") is None or row.get("lat") is None:
            continue
        props = {k: (str(row[k])[:10] if k == "day" else row.get(k)) for k in PROPERTIES}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                         "properties": props})
    out = {"type": "FeatureCollection", "features": features, "day": day}
    if len(result["records"]) > limit:
        out["truncated"] = True
    return out
