# SPDX-License-Identifier: AGPL-3.0-or-later
"""The network of an atlas selection as a table (``/atlas/netzwerk``):
every node with its connections, labelled in the page language. The table
works without JavaScript and is the alternative to the SVG graph for
keyboard and screen-reader users."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.language import language


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
