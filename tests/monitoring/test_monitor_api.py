# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_monitor_show's input: bad values are validation errors naming the
field (HTTP 409), unknown parameters are ignored, anyone may call it."""
import pytest

pytestmark = [pytest.mark.usefixtures("with_plugins"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.monitor.cache_seconds", "0")]


@pytest.mark.parametrize("query,field", [
    ({"quarters": "0"}, "quarters"), ({"quarters": "21"}, "quarters"), ({"quarters": "viele"}, "quarters"),
    ({"today": "2024-02-30"}, "today"), ({"today": "9999-12-31"}, "today"), ({"today": "gestern"}, "today")])
def test_bad_values_name_the_field(app, query, field):
    response = app.get("/api/3/action/sca_monitor_show", query_string=query)
    assert response.status_code == 409, response.get_data(as_text=True)[:300]
    assert field in response.json["error"]


def test_anonymous_call_with_unknown_parameters(app):
    response = app.get("/api/3/action/sca_monitor_show", query_string={"quarters": "4", "whatever": "1"})
    assert response.status_code == 200
    result = response.json["result"]
    assert len(result["quarters"]) == 4 and result["view"] == "public"
    assert all(len(i["history"]) == 4 for i in result["indicators"])


def test_documented_in_the_openapi_document(app):
    spec = app.get("/atlas/openapi.json").json
    operation = spec["paths"]["/api/3/action/sca_monitor_show"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"quarters", "today"}
