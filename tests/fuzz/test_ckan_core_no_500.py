# SPDX-License-Identifier: AGPL-3.0-or-later
"""No input produces a 500 on CKAN's own actions and pages either (issue 24).

Each call below answered 500 on the demo portal before: paging, time and
yes/no parameters of CKAN's core actions and of its pages (and those of
ckanext-activity and -harvest), JSON bodies nested too deeply and NUL
characters in JSON bodies. Now each is HTTP 400 naming the parameter
(platform/core_params.py, platform/json_body.py), and the valid spellings
still work.
"""
from __future__ import annotations

import json

import pytest

from ckan.tests import factories

from tests.helpers.datasets import create, minimal_dataset
from tests.helpers import hostile
from tests.helpers.harvest import create_source

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

HUGE = "99999999999999999999"
# (action, parameters): CKAN's core actions over GET
BAD_ACTION_CALLS = [
    ("package_search", {"start": ""}),
    ("package_list", {"limit": ""}), ("package_list", {"offset": HUGE}), ("package_list", {"limit": HUGE}),
    ("organization_list", {"limit": ""}), ("organization_list", {"offset": HUGE}),
    ("organization_list", {"all_fields": "maybe"}),
    ("group_list", {"offset": HUGE}), ("group_list", {"limit": ""}),
    ("current_package_list_with_resources", {"limit": ""}), ("current_package_list_with_resources", {"page": ""}),
    ("current_package_list_with_resources", {"offset": ""}),
    ("recently_changed_packages_activity_list", {"offset": HUGE}),
    ("recently_changed_packages_activity_list", {"before": HUGE}),
    ("recently_changed_packages_activity_list", {"after": "1e400"}),
    ("package_activity_list", {"id": "{dataset}", "offset": ""}),
    ("package_activity_list", {"id": "{dataset}", "after": HUGE}),
    ("organization_activity_list", {"id": "{org}", "before": "1e400"}),
    ("organization_show", {"id": "{org}", "include_datasets": "maybe"}),
    ("organization_show", {"id": "{org}", "include_datasets": ""}),
    ("user_show", {"id": "{user}", "include_datasets": "maybe"}),
    ("resource_search", {"query": "name:x", "limit": ""}),
    ("format_autocomplete", {"q": "c", "limit": ""}),
    ("package_autocomplete", {"q": "c", "limit": ""}),
]
# pages over GET
BAD_PAGES = [
    ("/organization", {"page": HUGE}), ("/group", {"page": HUGE}), ("/organization/{org}", {"page": HUGE}),
    ("/user/", {"page": HUGE}), ("/feeds/dataset.atom", {"page": "2147483648"}),
    ("/dataset/activity/{dataset}", {"before": HUGE}), ("/organization/activity/{org}", {"after": "1e400"}),
    ("/user/activity/{user}", {"before": HUGE}), ("/harvest/{source}", {"page": "abc"}),
]
GOOD_ACTION_CALLS = [
    ("package_search", {"start": "0", "rows": "5"}), ("package_list", {"limit": "10", "offset": "0"}),
    ("organization_show", {"id": "{org}", "include_datasets": "True"}),
    ("organization_list", {"all_fields": "true", "limit": "5"}),
    ("package_activity_list", {"id": "{dataset}", "before": "4102444800.5", "limit": "5"}),
    ("current_package_list_with_resources", {"limit": "2", "page": "1"}),
]


@pytest.fixture
def world():
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    dataset = create(minimal_dataset(org, "core"))
    source = create_source("https://stadt.example/katalog.ttl", org, user=sysadmin)
    token = factories.APIToken(user=sysadmin["name"])["token"]
    ids = {"org": org["name"], "dataset": dataset["name"], "user": sysadmin["name"], "source": source["name"]}
    return {"ids": ids, "tokens": {"anonymous": None, "sysadmin": token}}


def _filled(params: dict, ids: dict) -> dict:
    return {k: v.format(**ids) if isinstance(v, str) else v for k, v in params.items()}


def _headers(token):
    return {"Authorization": token} if token else {}


@pytest.mark.parametrize("role", ("anonymous", "sysadmin"))
def test_bad_parameters_of_ckans_actions_are_400_naming_them(app, world, role):
    failures = []
    for action, params in BAD_ACTION_CALLS:
        params = _filled(params, world["ids"])
        name = next(k for k in params if k not in ("id", "q", "query"))
        resp = app.get(f"/api/3/action/{action}", query_string=params, headers=_headers(world["tokens"][role]))
        message = (resp.json or {}).get("error", {}).get("message", "") if resp.is_json else ""
        if resp.status_code != 400 or f"„{name}“" not in message:
            failures.append(f"{action} {params} → {resp.status_code} {resp.get_data(as_text=True)[:150]!r}")
        # the same in a JSON body
        resp = app.post(f"/api/3/action/{action}", json=params, headers=_headers(world["tokens"][role]))
        if resp.status_code != 400:
            failures.append(f"POST {action} {params} → {resp.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ("anonymous", "sysadmin"))
def test_bad_parameters_of_ckans_pages_are_400(app, world, role):
    failures = []
    for path, params in BAD_PAGES:
        path = path.format(**world["ids"])
        resp = app.get(path, query_string=params, headers=_headers(world["tokens"][role]))
        if resp.status_code != 400 or hostile.leak_in(resp.get_data(as_text=True)):
            failures.append(f"{path} {params} → {resp.status_code}")
    assert not failures, "\n".join(failures)


def test_valid_spellings_still_work(app, world):
    for action, params in GOOD_ACTION_CALLS:
        params = _filled(params, world["ids"])
        resp = app.get(f"/api/3/action/{action}", query_string=params,
                       headers=_headers(world["tokens"]["sysadmin"]))
        assert resp.status_code == 200, (action, params, resp.get_data(as_text=True)[:300])
        resp = app.post(f"/api/3/action/{action}", json=params, headers=_headers(world["tokens"]["sysadmin"]))
        assert resp.status_code == 200, (action, params, resp.get_data(as_text=True)[:300])
    for path in ("/organization", "/dataset/activity/{dataset}"):
        app.get(path.format(**world["ids"]), query_string={"page": "1"}, status=200)
    # our own actions keep their own schemas (409 naming the field)
    assert app.get("/api/3/action/sca_correction_list", query_string={"limit": ""},
                   headers=_headers(world["tokens"]["sysadmin"])).status_code != 400


@pytest.mark.parametrize("depth", (33, 990, 5000))
@pytest.mark.parametrize("action", ("package_search", "package_show", "sca_search", "package_create"))
def test_deeply_nested_json_bodies_are_400(app, world, action, depth):
    """json.loads recursed: about 1,000 brackets (2 KB) were a 500 for any action."""
    body = '{"q": ' + "[" * depth + "]" * depth + "}"
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        resp = app.post(f"/api/3/action/{action}", data=body, content_type=content_type)
        assert resp.status_code == 400, (content_type, resp.get_data(as_text=True)[:200])
        assert "mehr als 32 Ebenen tief verschachtelt" in resp.json["error"]["message"]


def test_json_bodies_within_the_depth_are_read(app, world):
    geometry = {"type": "MultiPolygon", "coordinates": [[[[13.7, 51.0], [13.8, 51.0], [13.8, 51.1], [13.7, 51.0]]]]}
    resp = app.post("/api/3/action/package_search", json={"extras": {"ext_intersects": geometry}})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


@pytest.mark.parametrize("action,body,name", [
    ("package_show", {"id": "a\x00b"}, "id"),
    ("organization_show", {"id": "a\x00b"}, "id"),
    ("user_show", {"id": "a\x00b"}, "id"),
    ("resource_show", {"id": "a\x00b"}, "id"),
    ("member_list", {"id": "a\x00b"}, "id"),
    ("format_autocomplete", {"q": "a\x00b"}, "q"),
    ("package_search", {"fq": ["x", "a\x00b"]}, "fq"),
    ("package_show", {"id": "x", "extras": {"k\x00": 1}}, "extras.k\\0"),
])
def test_nul_characters_in_json_bodies_are_400_naming_the_field(app, world, action, body, name):
    resp = app.post(f"/api/3/action/{action}", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 400, resp.get_data(as_text=True)[:200]
    assert resp.json["error"]["message"] == f"„{name}“ enthält ein NUL-Zeichen."
