# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/netzwerk``: the network of the current atlas selection.

Same query string as ``/atlas``. The server renders a table of the nodes
and their connections (works without JavaScript, and is the alternative
for keyboard and screen-reader users); the script draws the same graph as
SVG from the JSON embedded in the page (``|tojson`` escapes it for the
script element), so the graph is computed once per request.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.smartcityatlas.common.language import language
from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.atlas import network, schema, views
from ckanext.smartcityatlas.common.input_schema import validate

blueprint = Blueprint("sca_network", __name__)


def role_labels() -> dict[str, str]:
    """Partner roles (a subfield of the project schema) in the page language."""
    lang = language()
    schema = tk.h.scheming_get_dataset_schema("project") or {}
    for field in schema.get("dataset_fields", []):
        for sub in field.get("repeating_subfields") or []:
            if sub["field_name"] == "role":
                return {c["value"]: tk.h.scheming_language_text(c["label"], prefer_lang=lang)
                        for c in sub.get("choices", [])}
    return {}


def table_rows(graph: dict, labels: dict) -> list[dict]:
    """Every node with its connections, for the accessible table."""
    by_id = {n["id"]: n for n in graph["nodes"]}
    links: dict[str, list[dict]] = {n["id"]: [] for n in graph["nodes"]}
    roles = labels["role"]
    for edge in graph["edges"]:
        source, target = by_id[edge["source"]], by_id[edge["target"]]
        if edge["kind"] == "partner":
            text = ", ".join(roles.get(r, r) for r in edge.get("roles", []))
            links[source["id"]].append({"node": target, "relation": text})
            links[target["id"]].append({"node": source, "relation": text})
        else:
            links[source["id"]].append({"node": target, "relation": tk._("part of the measure")})
            links[target["id"]].append({"node": source, "relation": tk._("project of the measure")})
    rows = []
    for node in sorted(graph["nodes"], key=lambda n: (not n["selected"], n["title"].lower())):
        connections = sorted(links[node["id"]], key=lambda c: c["node"]["title"].lower())
        rows.append({"node": node, "connections": connections})
    return rows


def kind_label(node: dict, labels: dict) -> str:
    if node["type"] == "actor":
        return labels["actor_kind"].get(node.get("kind"), tk._("Actor"))
    return labels["project_kind"].get(node.get("kind"), tk._("Project"))


@blueprint.route("/atlas/netzwerk")
def index():
    context = caller_context()
    state = views.state_from_request()
    params = {k: v for k, v in state.items() if k != "page"}
    graph, errors = None, {}
    try:
        tk.check_access("sca_network", dict(context), params)
        graph = network.build(dict(context), validate(schema.sca_network(), params, context))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised to see the network."))
    except tk.ValidationError as e:
        errors = e.error_dict
    labels = {p: views.labels_for(p) for p in ("entity_type", "actor_kind", "project_kind", "helix_sector")}
    labels["role"] = role_labels()
    for node in (graph or {}).get("nodes", []):
        node["url"] = tk.h.url_for(f"{node['type']}.read", id=node["name"])
        node["kind_label"] = kind_label(node, labels)
    texts = {"connections": tk._("{n} connections"), "in_table": tk._("Show in the table")}
    return tk.render("atlas/network.html", extra_vars={
        "graph": graph, "errors": errors, "state": state, "labels": labels,
        "rows": table_rows(graph, labels) if graph else [],
        "query_string": tk.h.sca_query_with(), "city_title": city_config.current().settings.get("title", ""),
        "settings": {"texts": texts, "sectors": labels["helix_sector"]},
        "filters_active": any(k in state for k in (*views.PASSED_THROUGH, *views.search.FILTERS)),
        "path": request.path,
    })
