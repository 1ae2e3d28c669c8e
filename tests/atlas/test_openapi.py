# SPDX-License-Identifier: AGPL-3.0-or-later
"""The OpenAPI description is served and every parameter it documents is
accepted by its endpoint (the description cannot drift from the code)."""
import pytest

pytestmark = [pytest.mark.usefixtures("with_plugins")]
EXAMPLES = {"lat": "51.05", "lon": "13.74", "radius_km": "2", "bbox": "13.7,51.0,13.8,51.1", "rows": "5",
            "start": "0", "limit": "5", "entity_type": "actor", "q": "Energie", "scope": "local"}


def test_served_and_complete(app):
    doc = app.get("/atlas/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert {"/api/3/action/sca_search", "/api/3/action/sca_geojson", "/api/3/action/sca_match",
            "/api/3/action/sca_network", "/atlas/export.csv", "/atlas/export.geojson",
            "/atlas/geojson", "/atlas/city/boundary.geojson", "/atlas/city/districts.geojson"} <= set(doc["paths"])
    for path, item in doc["paths"].items():
        # read actions and routes: GET with query parameters; other actions: POST with a JSON body
        (method, op), = item.items()
        assert op["summary"] and op["responses"]
        for param in op.get("parameters", []):
            assert method == "get" and param["in"] == "query" and param["description"]
        for prop in op.get("requestBody", {}).get("content", {}).get("application/json", {}).get(
                "schema", {}).get("properties", {}).values():
            assert method == "post" and prop["description"]
    # refs resolve
    for name in ("FeatureCollection", "SearchResult", "MatchResult", "Network"):
        assert name in doc["components"]["schemas"]


@pytest.mark.parametrize("path", ["/api/3/action/sca_search", "/api/3/action/sca_geojson", "/atlas/geojson",
                                  "/api/3/action/sca_network", "/atlas/export.csv", "/atlas/export.geojson"])
# one call per parameter: more than the exports' anonymous rate limit allows
@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.export_per_minute", 0)
@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.network_per_minute", 0)
def test_every_documented_filter_is_accepted(app, path):
    doc = app.get("/atlas/openapi.json").json
    for param in doc["paths"][path]["get"]["parameters"]:
        name = param["name"]
        if name in ("lat", "lon", "radius_km"):
            query = {"lat": EXAMPLES["lat"], "lon": EXAMPLES["lon"], "radius_km": EXAMPLES["radius_km"]}
        else:
            query = {name: EXAMPLES.get(name, "x")}
        resp = app.get(path, query_string=query)
        assert resp.status_code == 200, (name, resp.get_data(as_text=True)[:300])


def test_every_documented_match_parameter_is_accepted(app):
    doc = app.get("/atlas/openapi.json").json
    for param in doc["paths"]["/api/3/action/sca_match"]["get"]["parameters"]:
        name = param["name"]
        query = {"q": "Energie Sensorik"}
        if name in ("lat", "lon", "radius_km"):
            query.update(lat="51.05", lon="13.74", radius_km="5")
        elif name in ("actor_id", "project_id", "q"):
            continue
        else:
            query[name] = EXAMPLES.get(name, "science")
        resp = app.get("/api/3/action/sca_match", query_string=query)
        # 409 only because the test atlas may not know the words; never an unknown parameter
        assert resp.status_code == 200 or "Unknown parameter" not in resp.get_data(as_text=True), name


def test_every_operation_says_who_may_call_it(app):
    doc = app.get("/atlas/openapi.json").json
    token = doc["components"]["securitySchemes"]["apiToken"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    for path, item in doc["paths"].items():
        (op,) = item.values()
        assert op.get("x-authorization") and op.get("security"), path


def test_actions_documented_as_needing_a_token_refuse_anonymous_callers(app):
    doc = app.get("/atlas/openapi.json").json
    checked = []
    for path, item in doc["paths"].items():
        (method, op), = item.items()
        # validation runs before the auth check: only actions callable without parameters
        if {} in op.get("security", [{}]) or method != "get" or any(p["required"] for p in op["parameters"]):
            continue
        assert app.get(path).status_code == 403, path
        checked.append(path)
    assert len(checked) >= 3


def test_the_exchange_routes_are_described_as_the_format_document_lists_them(app):
    """The routes other atlases harvest (docs/exchange-format.md, "What an
    atlas publishes") are in the description, and what it documents holds."""
    import re
    from pathlib import Path

    from ckanext.smartcityatlas.dcat import exchange

    text = (Path(__file__).resolve().parents[2] / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`<site>(" + re.escape(exchange.PATH) + r"/[\w.]+)", text))
    doc = app.get("/atlas/openapi.json").json
    assert {path for path in doc["paths"] if path.startswith(exchange.PATH)} == listed
    assert len(listed) == 4
    for path in listed:
        op = doc["paths"][path]["get"]
        required = {p["name"]: "2026-01-01" for p in op.get("parameters", []) if p["required"]}
        assert app.get(path, query_string=required).status_code == 200, path
    records = doc["paths"][f"{exchange.PATH}/records.jsonld"]["get"]
    params = {p["name"]: p["schema"] for p in records["parameters"]}
    assert params["type"]["enum"] == list(exchange.ENTITY_TYPES)
    page = records["responses"]["200"]["content"]["application/ld+json"]["schema"]
    assert set(page["properties"]) == set(exchange.PAGE_KEYS) and exchange.VERSION in page["description"]
    feed = f"{exchange.PATH}/records.jsonld"
    assert re.fullmatch(params["cursor"]["pattern"], "abc-1") and not re.fullmatch(params["cursor"]["pattern"], "a b")
    for name, good, bad in (("type", "actor", "person"), ("cursor", "abc-1", "a b")):
        assert app.get(feed, query_string={name: good}).status_code == 200, name
        assert app.get(feed, query_string={name: bad}).status_code == 400, name
    assert "400" in records["responses"]
    assert app.get(f"{exchange.PATH}/deleted.jsonld").status_code == 400  # since is required
