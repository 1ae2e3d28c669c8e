# SPDX-License-Identifier: AGPL-3.0-or-later
"""The input schemas of the ``sca_*`` actions (input_schema.py): the inputs
the security review answered with a 500 are now validation errors naming
the field (HTTP 409), and the pages that pass request values into actions
answer 400."""
import datetime
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.smartcityatlas.common import input_schema as s
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.entities import call, project_data

pytestmark = pytest.mark.usefixtures("with_plugins")
LONG = "𝄞" * 5000  # the longest needs text, 60 KB percent-encoded


@pytest.fixture
def office(unique):
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    dataset = create(minimal_dataset(org, unique))
    project = call("package_create", sysadmin, **project_data(unique, org, partners=[{"name": "Frei GmbH", "role": "partner"}]))
    return {"dataset": dataset, "project": project,
            "headers": {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}}


def _error(response, status=409) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.json["error"]


@pytest.mark.parametrize("query,field", [
    ({"today": "9999-12-31"}, "today"), ({"today": "2024-02-30"}, "today"), ({"quarters": "-1"}, "quarters")])
def test_monitoring_dates_and_numbers(app, query, field):
    assert field in _error(app.get("/api/3/action/sca_monitoring", query_string=query))


def test_a_word_where_a_boolean_is_expected(app, office):
    error = _error(app.get("/en/api/3/action/sca_link_status_show", headers=office["headers"],
                           query_string={"id": office["dataset"]["id"], "history": "maybe"}))
    assert error["history"] == ["Must be true or false"]
    error = _error(app.post("/api/3/action/sca_radar_resolve_partner", headers=office["headers"], json={
        "id": office["project"]["id"], "partner": "Frei GmbH", "create": "maybe"}))
    assert "create" in error


def test_negative_and_huge_limits(app, office):
    assert "limit" in _error(app.get("/api/3/action/sca_correction_list", headers=office["headers"],
                                     query_string={"limit": "-1"}))
    assert "offset" in _error(app.get("/api/3/action/sca_datarequest_list", query_string={"offset": "9" * 30}))


@pytest.mark.parametrize("value", [["a", "b"], {"a": 1}, [{"a": 1}], True, "id\x00x"])
def test_wrong_types_and_nul_bytes(app, value):
    assert "actor_id" in _error(app.post("/api/3/action/sca_match", json={"actor_id": value}))
    assert "topic" in _error(app.post("/api/3/action/sca_search", json={"topic": [value]}))
    assert "phenomenon" in _error(app.post("/api/3/action/sca_sensor_layer", json={"phenomenon": value}))


def test_a_number_where_an_id_is_expected_is_its_text(app):
    assert app.post("/api/3/action/sca_match", json={"actor_id": 12345}).status_code == 404


def test_long_non_ascii_needs_reach_solr_by_post(app):
    response = app.get("/en/api/3/action/sca_match", query_string={"q": LONG})
    # the test atlas knows no such words: a validation error of its own, not Solr's 414
    assert "no words the atlas knows" in json.dumps(_error(response)["q"])
    assert "At most 5000 characters." in _error(app.post("/en/api/3/action/sca_match", json={"q": LONG + "x"}))["q"]


def test_unknown_parameters_keep_their_rules(app):
    assert _error(app.get("/en/api/3/action/sca_search", query_string={"fq": "*:*"}))["fq"] == ["Unknown parameter."]
    assert app.get("/api/3/action/sca_status_show", query_string={"whatever": "1"}).status_code == 200


@pytest.mark.parametrize("path", ["/dataset/%00/links", "/datenwuensche/a%00b", "/harvest/radar-file/a%00b",
                                  "/atlas/korrektur?entity=a%00b"])
def test_pages_answer_400(app, path):
    assert app.get(path).status_code == 400


def test_the_partner_page_refuses_a_nul_naming_the_parameter(app):
    # platform/nul_guard.py answers before the page's own validation
    response = app.get("/atlas/partner", query_string={"actor_id": "a\x00b"})
    assert response.status_code == 400 and "actor_id" in response.get_data(as_text=True)


def test_validators():
    schema = {"n": s.Field("", s.optional, s.integer(1, 5)), "b": s.Field("", s.default(False), s.boolean),
              "d": s.Field("", s.optional, s.iso_date), "t": s.Field("", s.required(), s.text(3), s.stripped),
              "x": s.Field("", s.optional, s.number(-1, 1)), "__extras": [s.unknown_refused]}
    assert s.validate(schema, {"n": " 3 ", "b": "Yes", "d": "2024-02-29", "t": "ab ", "x": "0.5"}, {}) == {
        "n": 3, "b": True, "d": datetime.date(2024, 2, 29), "t": "ab", "x": 0.5}
    assert s.validate(schema, {"n": "", "t": 7}, {}) == {"b": False, "t": "7"}
    for data, field in [({"n": "6"}, "n"), ({"n": 2.5}, "n"), ({"b": "maybe"}, "b"), ({"b": [1]}, "b"),
                        ({"d": "20240229"}, "d"), ({"d": "0001-01-01"}, "d"), ({"t": ["a"]}, "t"),
                        ({"t": "abcd"}, "t"), ({"t": "a\x00"}, "t"), ({"t": " "}, "t"), ({"x": "NaN"}, "x"),
                        ({"x": "1e309"}, "x"), ({"x": 10**400}, "x"), ({"y": 1}, "y")]:
        with pytest.raises(tk.ValidationError) as err:
            s.validate(schema, {"t": "a", **data}, {})
        assert list(err.value.error_dict) == [field], data


def test_the_schemas_describe_their_parameters():
    schema = {"id": s.Field("the record", s.required(), s.identifier()),
              "limit": s.Field("how many", s.default(10), s.integer(1, 50)), "__extras": [s.unknown_ignored]}
    assert s.described(schema) == [
        {"name": "id", "required": True, "description": "the record", "schema": {"type": "string", "maxLength": 100}},
        {"name": "limit", "required": False, "description": "how many",
         "schema": {"default": 10, "type": "integer", "minimum": 1, "maximum": 50}}]
