# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_network and /atlas/netzwerk: the selection plus direct partners,
partnerships with roles, measure membership, the node cap, and permissions
exactly as package_search (a private record is no node, no edge end and
not counted)."""
import json
import re

import pytest

from ckan.tests import factories

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
HOSTILE = "</script><script>alert(1)</script>"


@pytest.fixture
def net(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    a = call("package_create", editor, **actor_data(f"na-{u}", org, title=f"Netzakteur A {u}"))
    b = call("package_create", editor, **actor_data(f"nb-{u}", org, title=f"{HOSTILE} {u}", helix_sector="business",
                                                     actor_kind="company"))
    x = call("package_create", editor, **actor_data(f"nx-{u}", org, title=f"Geheimakteur {u}", private=True))
    m = call("package_create", editor, **project_data(f"nm-{u}", org, title=f"Maßnahme {u}", project_kind="measure"))
    p = call("package_create", editor, **project_data(
        f"np-{u}", org, title=f"Netzprojekt {u}", part_of=m["id"],
        partners=[{"actor": a["id"], "role": "lead"}, {"actor": b["id"], "role": "partner"},
                  {"actor": x["id"], "role": "funder"}, {"name": "Externer Partner", "role": "user"}]))
    q = call("package_create", editor, **project_data(f"nq-{u}", org, title=f"Geheimprojekt {u}", private=True,
                                                       partners=[{"actor": a["id"], "role": "operator"}]))
    return dict(world, a=a, b=b, x=x, m=m, p=p, q=q)


def _network(user, **params):
    return call("sca_network", user, **params)


def _ids(graph):
    return {n["id"] for n in graph["nodes"]}


def _edges(graph):
    return {(e["source"], e["target"], e["kind"], tuple(e.get("roles", []))) for e in graph["edges"]}


def test_anonymous_network_of_an_office(net):
    graph = _network(None, organization=net["org_a"]["name"])
    a, b, m, p = (net[k]["id"] for k in "abmp")
    assert _ids(graph) == {a, b, m, p}
    assert _edges(graph) == {(a, p, "partner", ("lead",)), (b, p, "partner", ("partner",)), (p, m, "member", ())}
    assert graph["count"] == {"selected": 4, "nodes": 4, "edges": 3} and graph["truncated"] is False
    assert all(n["selected"] for n in graph["nodes"])
    text = json.dumps(graph)
    for secret in ("x", "q"):  # neither as node nor as edge end nor by title
        assert net[secret]["id"] not in text and net[secret]["title"] not in text
    assert "Externer Partner" not in text  # free-text partners are no nodes


def test_members_see_their_private_records(net):
    graph = _network(net["users"]["member"], organization=net["org_a"]["name"])
    a, x, p, q = (net[k]["id"] for k in "axpq")
    assert {x, q} <= _ids(graph)
    assert (x, p, "partner", ("funder",)) in _edges(graph) and (a, q, "partner", ("operator",)) in _edges(graph)
    assert graph["count"]["selected"] == 6


def test_direct_partners_of_a_selection(net):
    a, b, m, p = (net[k]["id"] for k in "abmp")
    graph = _network(None, organization=net["org_a"]["name"], entity_type="actor")
    selected = {n["id"]: n["selected"] for n in graph["nodes"]}
    # the actors and their project; the measure is two steps away
    assert selected == {a: True, b: True, p: False}
    graph = _network(None, organization=net["org_a"]["name"], project_kind="measure")
    assert _ids(graph) == {m, p}  # a measure and its projects
    assert _edges(graph) == {(p, m, "member", ())}


def test_a_measure_and_its_partners(net):
    a, b, m, p = (net[k]["id"] for k in "abmp")
    graph = _network(None, measure=m)
    selected = {n["id"]: n["selected"] for n in graph["nodes"]}
    # the filter selects the measure, its project and their actors
    assert selected == {a: True, b: True, m: True, p: True}
    assert _edges(graph) == {(a, p, "partner", ("lead",)), (b, p, "partner", ("partner",)), (p, m, "member", ())}
    assert graph["count"]["selected"] == 4


@pytest.mark.ckan_config("ckanext.smartcityatlas.network.max_nodes", 2)
def test_node_cap(net):
    graph = _network(None, organization=net["org_a"]["name"])
    assert len(graph["nodes"]) == 2 and graph["truncated"] is True and graph["count"]["selected"] == 4
    ids = _ids(graph)
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])


def test_bad_parameters_are_refused(net):
    from ckan.plugins import toolkit as tk

    with pytest.raises(tk.ValidationError):
        _network(None, fq="*:*")
    with pytest.raises(tk.ValidationError):
        _network(None, entity_type="dataset")


def test_page_has_table_and_escaped_data(app, net):
    page = app.get("/atlas/netzwerk", query_string={"organization": net["org_a"]["name"]}).get_data(as_text=True)
    assert "<table" in page and "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert net["a"]["title"] in page and net["p"]["title"] in page
    assert net["x"]["title"] not in page and net["q"]["title"] not in page
    # the hostile title neither closes the JSON script element nor becomes markup
    data = re.search(r'<script type="application/json" id="sca-network-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and json.loads(data)["count"]["nodes"] == 4
    assert "<script>alert(1)" not in page
    token = factories.APIToken(user=net["users"]["member"]["name"])["token"]
    member = app.get("/atlas/netzwerk", query_string={"organization": net["org_a"]["name"]},
                     headers={"Authorization": token}).get_data(as_text=True)
    assert net["x"]["title"] in member


def test_the_atlas_links_the_network_and_exports_with_its_query(app, net):
    page = app.get("/atlas", query_string={"organization": net["org_a"]["name"], "topic": "energy"}).get_data(
        as_text=True)
    for path in ("/atlas/netzwerk", "/atlas/export.csv", "/atlas/export.geojson"):
        assert re.search(re.escape(path) + r"\?organization=" + re.escape(net["org_a"]["name"]) + r"&amp;topic=energy",
                         page), path


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.network_per_minute", 1)
def test_network_is_rate_limited_for_anonymous_callers(app):
    ip = {"REMOTE_ADDR": "10.77.%d.%d" % tuple(__import__("os").urandom(2))}
    assert app.get("/atlas/netzwerk", environ_base=ip).status_code == 200
    assert app.get("/api/3/action/sca_network", environ_base=ip).status_code == 429
