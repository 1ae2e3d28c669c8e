# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_network``: the network of the current atlas selection.

Nodes are the entities the atlas filters select plus their direct partners:
the projects a selected actor works in, the actors of a selected project,
the measure a selected project belongs to and the projects of a selected
measure (a ``measure`` filter selects the measure, its projects and their
actors). Edges are actor–project partnerships (with roles) and
project–measure membership, between nodes only.

Every record comes from ``package_search`` with the caller's context, so
permissions are exactly those of package_search: a record the caller may
not see is neither a node, nor an edge end, nor counted. Edges are read
from the (visible) project documents only, so an edge can never reveal a
private project or actor. The graph is capped at
``ckanext.smartcityatlas.network.max_nodes`` nodes (then ``truncated``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckan.lib.search.common import SearchError

from ckanext.smartcityatlas.common.lists import values
from ckanext.smartcityatlas.atlas import schema, search
from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.capability import Registry

register = Registry()

FIELDS = ["id", "name", "title", "dataset_type", "extras_actor_kind", "extras_project_kind",
          "extras_helix_sector", "sca_partner_roles", "sca_measure_id"]
# ids per Solr query: stays below Solr's maxBooleanClauses (1024)
CHUNK = 400


def max_nodes() -> int:
    return tk.config.get("ckanext.smartcityatlas.network.max_nodes")


def _quoted(ids) -> str:
    return " OR ".join('"{}"'.format(str(i).replace("\\", "").replace('"', "")) for i in ids)


def _search(context: dict, params: dict) -> dict:
    try:
        return tk.get_action("package_search")({**context, "ignore_auth": False},
                                               {**params, "fl": FIELDS, "include_private": True})
    except SearchError as e:  # e.g. ckanext-spatial's "Wrong bounding box provided"
        raise tk.ValidationError({"search": [str(e)]}) from None


def _by_field(context: dict, field: str, ids: list[str], fq: str, rows: int) -> tuple[list[dict], bool]:
    """Visible entities whose ``field`` is one of ids (chunked); and whether
    more matched than rows."""
    found, more = [], False
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        result = _search(context, {"q": "*:*", "fq": f"{fq} +{field}:({_quoted(chunk)})", "rows": rows,
                                   "sort": "name asc"})
        found += result["results"]
        more = more or result["count"] > len(result["results"])
    return found, more


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _roles(doc: dict) -> list[tuple[str, str]]:
    pairs = []
    for value in doc.get("sca_partner_roles") or []:
        actor_id, _sep, role = str(value).rpartition(":")
        if actor_id:
            pairs.append((actor_id, role))
    return pairs


def _node(doc: dict, selected: bool) -> dict:
    kind = doc.get("dataset_type")
    node = {"id": doc["id"], "name": doc["name"], "title": doc.get("title") or doc["name"], "type": kind,
            "kind": doc.get("actor_kind") if kind == "actor" else doc.get("project_kind"),
            "selected": selected}
    if kind == "actor" and doc.get("helix_sector"):
        node["helix_sector"] = doc["helix_sector"]
    return node


def build(context: dict, params: dict, cap: int | None = None) -> dict:
    """The network of the selection described by the atlas filters in params."""
    cap = max_nodes() if cap is None else cap
    query = search.build_query(context, params)
    if set(values(params, "entity_type")) - {"actor", "project"}:
        raise tk.ValidationError({"entity_type": [_("The network shows actors and projects only.")]})
    selection = _search(context, {**query, "rows": cap})
    docs: dict[str, dict] = {}
    selected: list[str] = []
    for doc in selection["results"]:
        docs[doc["id"]] = doc
        selected.append(doc["id"])
    truncated = selection["count"] > len(selected)

    # direct partners of the selection, all through package_search
    actors = [i for i in selected if docs[i]["dataset_type"] == "actor"]
    projects = [i for i in selected if docs[i]["dataset_type"] == "project"]
    measures = [i for i in projects if docs[i].get("project_kind") == "measure"]
    candidates: dict[str, dict] = {}
    room = max(cap - len(selected), 0) + 1
    for field, ids in (("sca_partner_ids", actors), ("sca_measure_id", measures)):
        if ids:
            found, more = _by_field(context, field, ids, "+dataset_type:project", room)
            truncated = truncated or more
            candidates.update((d["id"], d) for d in found)
    referenced = []
    for project_id in projects:
        referenced += [actor_id for actor_id, _role in _roles(docs[project_id])]
        measure = _first(docs[project_id].get("sca_measure_id"))
        if measure:
            referenced.append(measure)
    # the measures a `measure` filter names are part of the picture ("a measure
    # and its partners") even where the selection was cut by other filters
    anchors = set(values(params, "measure"))
    referenced += sorted(anchors)
    referenced = sorted(set(referenced) - set(docs) - set(candidates))
    if referenced:
        found, _more = _by_field(context, "id", referenced, "+dataset_type:(actor OR project)", len(referenced))
        candidates.update((d["id"], d) for d in found)
    # partners in a stable order: filtered measures, measures, projects, actors, then by name
    def rank(doc: dict) -> int:
        if doc["id"] in anchors:
            return 0
        if doc["dataset_type"] == "project":
            return 1 if doc.get("project_kind") == "measure" else 2
        return 3

    neighbours = sorted((d for i, d in candidates.items() if i not in docs), key=lambda d: (rank(d), d["name"]))
    if len(neighbours) > cap - len(selected):
        truncated = True
        neighbours = neighbours[:max(cap - len(selected), 0)]
    for doc in neighbours:
        docs[doc["id"]] = doc

    edges: dict[tuple[str, str, str], dict] = {}
    for doc in docs.values():
        if doc["dataset_type"] != "project":
            continue
        for actor_id, role in _roles(doc):
            if actor_id in docs and docs[actor_id]["dataset_type"] == "actor":
                edge = edges.setdefault((actor_id, doc["id"], "partner"),
                                        {"source": actor_id, "target": doc["id"], "kind": "partner", "roles": []})
                if role and role not in edge["roles"]:
                    edge["roles"].append(role)
        measure = _first(doc.get("sca_measure_id"))
        if measure and measure != doc["id"] and measure in docs and docs[measure]["dataset_type"] == "project":
            edges[(doc["id"], measure, "member")] = {"source": doc["id"], "target": measure, "kind": "member"}
    chosen = set(selected)
    nodes = [_node(doc, doc["id"] in chosen) for doc in docs.values()]
    edge_list = sorted(edges.values(), key=lambda e: (e["kind"], e["source"], e["target"]))
    for edge in edge_list:
        if "roles" in edge:
            edge["roles"].sort()
    return {"nodes": nodes, "edges": edge_list, "truncated": truncated,
            "count": {"selected": selection["count"], "nodes": len(nodes), "edges": len(edge_list)},
            "max_nodes": cap}


@register.action
@tk.side_effect_free
@validated(schema.sca_network)
def sca_network(context, data_dict):
    """The network of an atlas selection: entities, their direct partners,
    partnerships and measure membership.

    Same filters as ``sca_search`` (``q``, ``entity_type`` (actor, project),
    ``actor_kind``, ``topic``, ``measure``, ``partner``, ``organization``,
    ``district``, …, ``bbox``, ``lat``/``lon``/``radius_km``).

    :returns: ``{"nodes": [{"id", "name", "title", "type", "kind",
        "helix_sector", "selected"}], "edges": [{"source", "target", "kind"
        ("partner" with "roles", or "member": project → measure)}],
        "truncated", "count": {"selected", "nodes", "edges"}, "max_nodes"}``;
        at most ``ckanext.smartcityatlas.network.max_nodes`` nodes, only
        records the caller may see.
    """
    tk.check_access("sca_network", context, data_dict)
    return build(context, dict(data_dict))
