# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas' pages and data: ``/atlas`` (map, list, facets), ``/atlas/embed``
(the same for other websites), ``/atlas/partner`` (explained matches), the
map data ``/atlas/geojson`` (gzipped, cached per filters, permission labels
and index state, with the cache key as ETag), the network of a selection
``/atlas/netzwerk``, the selection as a file ``/atlas/export.csv|.geojson``
(the city's outlines ``/atlas/city/*.geojson`` are served by platform/views.py).

The page works without JavaScript: filters are a plain GET form and the
list is rendered here, so the URL is the whole state. The script only
intercepts the form, fetches the list fragment (``?partial=1``, rendered by
the same template, so record text is escaped in one place) and the map
features, and keeps the URL in step (pushState; the back button works).
"""
from __future__ import annotations

import gzip
import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, make_response, request

from ckanext.smartcityatlas.atlas import (export, filter_labels, map_cache, network, network_table, schema,
                                          search)
from ckanext.smartcityatlas.common import base_map, city_config, city_texts, paging
from ckanext.smartcityatlas.common.caller import caller_context, permission_labels
from ckanext.smartcityatlas.common.input_schema import validate
from ckanext.smartcityatlas.common.responses import json_error
from ckanext.smartcityatlas.entities import coverage
from ckanext.smartcityatlas.matching import schema as matching_schema
from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_atlas", __name__))
ROWS = 20
# facet field of sca_search → filter parameter, in the order shown
FACETS = {
    "dataset_type": "entity_type", "sca_city": "city", "helix_sector": "helix_sector", "actor_kind": "actor_kind",
    "project_kind": "project_kind", "sca_topics": "topic", "sca_themes": "theme", "status": "status",
    "sca_district_groups": "district_group", "sca_district_names": "district", "sca_sdgs": "sdg",
    "organization": "organization", "sca_funding_programmes": "funding", "sca_budget_class": "budget",
}


def facet_titles() -> dict[str, str]:
    return {
        "entity_type": tk._("Type"), "helix_sector": tk._("Sector"), "actor_kind": tk._("Kind of actor"),
        "project_kind": tk._("Kind of project"), "topic": tk._("Topics"), "theme": tk._("Themes of the strategy"),
        "status": tk._("Status"), **city_texts.headings(),
        "sdg": tk._("Sustainable Development Goals"), "organization": tk._("Publisher"), "city": tk._("City"),
        "funding": tk._("Funding programme"), "budget": tk._("Budget"),
    }


PASSED_THROUGH = ("q", "bbox", "lat", "lon", "radius_km", "scope")
# city-wide entries listed beside the map (the rest: ?scope=citywide in the list)
CITYWIDE_ROWS = 30


def _context(embed: bool) -> dict:
    # embedded pages are anonymous: a visitor's session must not show private
    # records inside a third-party page
    return {"user": "", "auth_user_obj": None} if embed else caller_context()


def state_from_request() -> dict:
    """The atlas state from the query string: filters, text, area, page."""
    state: dict = {}
    for key in (*PASSED_THROUGH, *search.FILTERS):
        values = [v for v in request.args.getlist(key) if v.strip()]
        if values:
            state[key] = values if key in search.FILTERS else values[0]
    state["page"] = paging.page_arg(ROWS)
    return state


def run_search(state: dict, context: dict) -> tuple[dict | None, dict]:
    params = {k: v for k, v in state.items() if k != "page"}
    params.update(rows=ROWS, start=(state["page"] - 1) * ROWS)
    try:
        return tk.get_action("sca_search")(dict(context), params), {}
    except tk.ValidationError as e:
        return None, e.error_dict


def run_citywide(state: dict, context: dict) -> dict | None:
    """The city-wide entries of the selection without its area: they have
    no place on the map nor in an area search, so they are listed beside
    the map."""
    params = {k: v for k, v in state.items() if k not in ("page", *search.SPATIAL_PARAMS)}
    params.update(scope="citywide", rows=CITYWIDE_ROWS, start=0)
    try:
        return tk.get_action("sca_search")(dict(context), params)
    except tk.ValidationError:
        return None


def facet_groups(result: dict | None, state: dict) -> list[dict]:
    """Facets for the template: every value with its label, count and
    whether it is selected (selected values stay visible at count 0)."""
    if not result:
        return []
    groups = []
    titles = facet_titles()
    for field, param in FACETS.items():
        counts = dict(result["facets"].get(field, {}))
        for value in state.get(param, []):
            counts.setdefault(value, 0)
        if not counts or (param == "city" and len(counts) < 2 and not state.get("city")):
            continue  # the city facet only where the atlas holds several cities (a regional atlas)
        labels = filter_labels.labels_for(param)
        if param == "organization":
            labels = filter_labels.organization_titles(counts)
        items = [{"value": v, "label": labels.get(v, v), "count": n, "selected": v in state.get(param, [])}
                 for v, n in counts.items()]
        items.sort(key=lambda i: (not i["selected"], -i["count"], i["label"].lower()))
        groups.append({"param": param, "title": titles[param], "items": items,
                       "open": any(i["selected"] for i in items)})
    return groups


def map_settings() -> dict:
    city = city_config.current()
    return {
        # the view before the city's outline has loaded
        "center": list(city_texts.map_center(city)), "zoom": city.settings.get("map_zoom") or 11,
        **base_map.settings(city),
    }


def district_choices() -> list[dict]:
    """The districts of the radius search; in a region grouped by city
    (``city``: the member's title, ``label``: the name within it)."""
    city = city_config.current()
    choices = []
    for d in sorted(city.districts, key=lambda d: (d.city, d.short_name)):
        lon, lat = city.district_point(d)["coordinates"]
        choices.append({"name": d.name, "label": d.short_name, "city": d.city,
                        "lat": round(lat, 5), "lon": round(lon, 5)})
    return choices


def _render(embed: bool):
    context = _context(embed)
    state = state_from_request()
    result, errors = run_search(state, context)
    labels = {param: filter_labels.labels_for(param)
              for param in ("entity_type", "helix_sector", "actor_kind", "project_kind",
                            "topic", "status")}
    extra = {
        "state": state, "result": result, "errors": errors, "facets": facet_groups(result, state),
        "labels": labels, "rows": ROWS, "embed": embed, "filters": list(search.FILTERS),
        "query_string": request.query_string.decode("utf-8", "replace"),
        "citywide": run_citywide(state, context) if state.get("scope") != "local" else None,
        "citywide_limit": coverage.district_limit(), "district_count": len(city_config.current().districts),
        "area_search": search.is_area_search(state),
    }
    extra["districts"] = district_choices()
    if request.args.get("partial"):
        return tk.render("atlas/_partial.html", extra_vars=extra)
    texts = {
        "loading": tk._("Loading the map…"),
        "on_map": tk._("{n} entries on the map"),
        "truncated": tk._("The map shows {n} of {total} entries; narrow the search to see all."),
        "map_failed": tk._("The map data could not be loaded; the list still works."),
        "pick_point": tk._("Click on the map to choose the centre of the radius search."),
        "coarse": tk._("shown at district level"),
        "from_atlas": tk._("from the Smart City Atlas {city}"),
        "citywide": tk._("{n} city-wide entries are listed beside the map."),
    }
    page = {"labels": labels, "embed": embed, "map": map_settings(), "texts": texts}
    if not embed and capability.enabled("sensors"):  # the embed stays the entries' map
        page["sensors"] = sensor_layer_settings()
    extra.update(map_settings=map_settings(), city_title=city_config.current().settings.get("title", ""),
                 page_settings=json.dumps(page))
    response = make_response(tk.render("atlas/embed.html" if embed else "atlas/index.html", extra_vars=extra))
    if embed:
        ancestors = tk.config.get("ckanext.smartcityatlas.embed.frame_ancestors") or "'none'"
        response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        response.headers.pop("X-Frame-Options", None)
    return response


def sensor_layer_settings() -> dict:
    """What the sensor layer's script needs: its data URL and its texts."""
    from ckanext.smartcityatlas.sensors import phenomena, settings
    from ckanext.smartcityatlas.sensors import views

    return {
        "url": tk.url_for("sca_sensor_layer.sensor_layer_geojson"),
        # shown first when it has data (else the first phenomenon that has)
        "default": next(iter(phenomena.phenomena())),
        "sources": views.source_labels(),
        "texts": {
            "layer": tk._("Sensor values (latest hour)"),
            "loading": tk._("Loading the sensor values…"),
            "failed": tk._("The sensor values could not be loaded; the table of sensor values still works."),
            "none": tk._("No sensor values are published yet."),
            "shown": tk._("{label}: {n} sensor locations, latest hour {newest}"),
            "truncated": tk._("{label}: only {n} sensor locations are shown; the table lists them by phenomenon."),
            "below": tk._("below {v}"),
            "above": tk._("{v} and above"),
            "window": tk._("Hourly mean {start}–{end} (local time)"),
            "completeness": tk._("Completeness {completeness}, {count} readings"),
            "chart_summary": tk._("Last {hours} hours: minimum {min}, maximum {max}, latest {last} {unit}"),
            "chart_from": tk._("(from {start})"),
            "source": tk._("Sensor {sensor}, source: {source}"),
            "dataset": tk._("Dataset:"),
            "age": tk._("Measured {age}"),
            "state_live": tk._("current"),
            "state_stale": tk._("out of date"),
            "state_inactive": tk._("sensor inactive"),
            "stale_count": tk._("{n} of them out of date (grey)."),
            "stale_legend": tk._("grey: out of date (older than {hours} hours) or sensor inactive").format(
                hours=views.sca_number(settings.stale_after_seconds() / 3600)),
        },
    }


@blueprint.route("/atlas")
def index():
    return _render(embed=False)


@blueprint.route("/atlas/embed")
def embed():
    return _render(embed=True)


@blueprint.route("/atlas/partner")
def partner():
    """Explained partner suggestions (sca_match) as a page: for an actor,
    a project or a needs text from the form on /atlas."""
    context = _context(False)
    params = {k: request.args[k] for k in ("actor_id", "project_id", "q", "sectors", "types", "same_city")
              if request.args.get(k)}
    source, result, errors = None, None, {}
    if params:
        try:
            validate(matching_schema.sca_match(), params, context)
            if params.get("actor_id") or params.get("project_id"):
                source = tk.get_action("package_show")(dict(context), {
                    "id": params.get("actor_id") or params.get("project_id")})
            result = tk.get_action("sca_match")(dict(context), dict(params))
        except tk.ValidationError as e:
            errors = e.error_dict
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return tk.abort(404, tk._("Entry not found"))
    return tk.render("atlas/partner.html", extra_vars={
        "params": params, "source": source, "result": result, "errors": errors,
        "sector_labels": filter_labels.labels_for("helix_sector"), "kind_labels": filter_labels.labels_for("actor_kind"),
        # a regional atlas offers to stay within one city
        "region": bool(city_config.current().members)})


# ---- the map data (/atlas/geojson) --------------------------------------------------

geojson_blueprint = register.blueprint(Blueprint("sca_geojson", __name__))


def _args() -> dict:
    params = {}
    for key in request.args:
        values = request.args.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    return params


@geojson_blueprint.route("/atlas/geojson")
def atlas_geojson():
    context = caller_context()
    params = _args()
    try:
        tk.check_access("sca_geojson", context, params)
    except tk.NotAuthorized:
        return json_error(403, tk._("Not authorised to see the map data."))
    labels = permission_labels(context)
    try:
        params = validate(schema.sca_geojson(), params, context)
        key = map_cache.cache_key(params, labels)
        etag = f'"{key}"'
        # CKAN's own cache headers apply (public for anonymous callers, must
        # revalidate): browsers revalidate with the ETag and get a cheap 304.
        headers = {"ETag": etag, "Vary": "Accept-Encoding, Cookie, Authorization"}
        if context["auth_user_obj"] is not None:
            request.environ["__no_cache__"] = True
        if request.if_none_match and key in request.if_none_match:
            return Response(status=304, headers=headers)
        body = map_cache.gzipped_map(context, params, labels, key)
    except tk.ValidationError as e:
        return json_error(400, e.error_dict)
    if "gzip" in (request.headers.get("Accept-Encoding") or ""):
        headers["Content-Encoding"] = "gzip"
    else:
        body = gzip.decompress(body)
    return Response(body, mimetype="application/geo+json", headers=headers)


# ---- the network of a selection (/atlas/netzwerk) ----------------------------------

network_blueprint = register.blueprint(Blueprint("sca_network", __name__))


def network_page():
    context = caller_context()
    state = state_from_request()
    params = {k: v for k, v in state.items() if k != "page"}
    graph, errors = None, {}
    try:
        tk.check_access("sca_network", dict(context), params)
        graph = network.build(dict(context), validate(schema.sca_network(), params, context))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised to see the network."))
    except tk.ValidationError as e:
        errors = e.error_dict
    labels = {p: filter_labels.labels_for(p) for p in ("entity_type", "actor_kind", "project_kind", "helix_sector")}
    labels["role"] = network_table.role_labels()
    for node in (graph or {}).get("nodes", []):
        node["url"] = tk.h.url_for(f"{node['type']}.read", id=node["name"])
        node["kind_label"] = network_table.kind_label(node, labels)
    texts = {"connections": tk._("{n} connections"), "in_table": tk._("Show in the table")}
    return tk.render("atlas/network.html", extra_vars={
        "graph": graph, "errors": errors, "state": state, "labels": labels,
        "rows": network_table.table_rows(graph, labels) if graph else [],
        "query_string": tk.h.sca_query_with(), "city_title": city_config.current().settings.get("title", ""),
        "settings": {"texts": texts, "sectors": labels["helix_sector"]},
        "filters_active": any(k in state for k in (*PASSED_THROUGH, *search.FILTERS)),
        "path": request.path,
    })


network_blueprint.add_url_rule("/atlas/netzwerk", endpoint="index", view_func=network_page)


# ---- the selection as a file (/atlas/export.csv|.geojson) --------------------------

export_blueprint = register.blueprint(Blueprint("sca_export", __name__))


def _export_file(extension: str, mimetype: str, build):
    context = caller_context()
    state = state_from_request()
    params = {k: v for k, v in state.items() if k != "page"}
    try:
        tk.check_access("sca_search", dict(context), params)
    except tk.NotAuthorized:
        return json_error(403, tk._("Not authorised to export the atlas."))
    try:
        params = validate(schema.filters(), params, context)
        cap = export.max_rows()
        docs, count = export.selection(dict(context), params, cap)
    except tk.ValidationError as e:
        return json_error(400, e.error_dict)
    if context["auth_user_obj"] is not None:
        request.environ["__no_cache__"] = True  # a member's file must not land in a shared cache
    headers = {"Content-Disposition": f'attachment; filename="{export.filename(extension)}"',
               "X-Total-Count": str(count), "X-Truncated": "true" if count > len(docs) else "false",
               "Vary": "Cookie, Authorization"}
    return Response(build(docs, count), mimetype=mimetype, headers=headers)


@export_blueprint.route("/atlas/export.csv")
def csv_export():
    return _export_file("csv", "text/csv", lambda docs, count: export.csv_body(docs))


@export_blueprint.route("/atlas/export.geojson")
def geojson_export():
    return _export_file("geojson", "application/geo+json", export.geojson_body)
