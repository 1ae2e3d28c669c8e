# SPDX-License-Identifier: AGPL-3.0-or-later
"""No input produces a 500 (issue 24).

Every action and parameter of ``/atlas/openapi.json`` (which must list every
registered ``sca_*`` action) and every GET page of our blueprints gets the
hostile values of ``tests/helpers/hostile.py`` — wrong JSON types, NUL bytes, huge and
negative numbers, 20,000 characters of non-ASCII text, invalid dates, Solr
syntax — one parameter at a time on top of a valid call, as an anonymous
visitor, an office editor and a sysadmin. No answer may be a 500 or show a
traceback. A fixed list: every run makes the same calls.
"""
from __future__ import annotations

import collections
import time
import urllib.parse

import pytest

from ckan import model
from ckan.tests import factories, helpers

from tests.helpers import hostile
from tests.helpers.datasets import minimal_dataset
from tests.helpers.entities import actor_data, call, project_data

RATE_LIMITS = ("match_per_minute", "geojson_per_minute", "network_per_minute", "export_per_minute",
               "datarequest_per_hour")
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
              *(pytest.mark.ckan_config(f"ckanext.smartcityatlas.rate_limit.{key}", 0) for key in RATE_LIMITS)]

# KNOWN_ELSEWHERE: 500s that work outside this test is meant to fix, as
# (path, parameter); empty: every 500 fails the test.
KNOWN_ELSEWHERE: set[tuple[str, str]] = set()

# the atlas' facet filters share one validator (atlas/schema.py): each value
# goes to every third of them, not to all 14 on each of the 9 endpoints
FACET_FILTERS = ("entity_type", "actor_kind", "helix_sector", "theme", "topic", "field_of_action", "sdg",
                 "district", "district_group", "status", "project_kind", "partner", "measure", "organization")
ATLAS_FILTERS = ("q", "bbox", "lat", "lon", "radius_km", *FACET_FILTERS)
# GET pages: rule → its query parameters (FROM_OPENAPI: the route's
# parameters in /atlas/openapi.json). A GET route of our blueprints missing
# here fails the test, so new pages are fuzzed too.
FROM_OPENAPI = None
PAGES = {
    "/atlas": (*ATLAS_FILTERS, "page", "partial"),
    "/atlas/embed": (*ATLAS_FILTERS, "page", "partial"),
    "/atlas/netzwerk": (*ATLAS_FILTERS, "page"),
    "/atlas/partner": ("actor_id", "project_id", "q", "sectors", "types"),
    "/atlas/geojson": FROM_OPENAPI,
    "/atlas/export.csv": FROM_OPENAPI,
    "/atlas/export.geojson": FROM_OPENAPI,
    "/atlas/city/boundary.geojson": (),
    "/atlas/city/districts.geojson": (),
    "/atlas/city/logo": (),
    "/dashboard/start": (),
    "/atlas/openapi.json": (),
    "/atlas/korrektur": ("entity",),
    "/atlas/moderation": ("status",),
    "/atlas/monitoring": ("quartale",),
    "/atlas/monitor": ("quartale",),
    "/atlas/sensoren": ("phenomenon", "sensor_id", "hours"),
    "/atlas/sensoren.geojson": FROM_OPENAPI,
    "/sensoren/<resource_id>.geojson": ("day",),
    "/atlas/umwelt": ("district", "year", "start", "end"),
    "/atlas/umwelt/embed": ("district", "year", "start", "end"),
    "/atlas/umwelt.csv": ("table", "district", "year", "start", "end", "embed"),
    "/datenwuensche": ("status", "page"),
    "/datenwuensche/neu": (),
    "/datenwuensche/<request_id>": (),
    "/dashboard/quality": ("organization", "sort", "stale", "status", "q", "page"),
    "/dashboard/quality.csv": ("organization", "sort", "stale", "status", "q"),
    "/dataset/<id>/links": (),
    "/harvest/radar-file/<id>": (),
    "/harvest/<source>/job/<id>/report": (),
    "/opendata/atlas/<filename>": (),
    "/opendata/atlas/exchange/v1/context.jsonld": (),
    "/opendata/atlas/exchange/v1/records.jsonld": FROM_OPENAPI,
    "/opendata/atlas/exchange/v1/deleted.jsonld": FROM_OPENAPI,
    "/opendata/atlas/exchange/v1/outline.geojson": (),
    "/impressum": (), "/datenschutz": (), "/barrierefreiheit": (),
    # ckanext-dcat's catalog, guarded by us (not one of our blueprints)
    "/catalog.ttl": ("page", "q", "fq", "modified_since", "profiles"),
}
# parameters of which an action takes exactly one: fuzzing one drops the others
EXCLUSIVE = ({"actor_id", "project_id", "q"}, {"actor", "create"})


@pytest.fixture
def fuzz_world(smtp_sink):
    """An office with an editor, entities, a dataset, a data request, a
    submission and a harvest job: the ids the valid calls use."""
    from ckanext.harvest.model import HarvestJob, HarvestSource

    editor, sysadmin = factories.User(), factories.Sysadmin()
    org = factories.Organization(name="umweltamt", users=[{"name": editor["name"], "capacity": "editor"}])
    actor = call("package_create", editor, **actor_data("fuzz", org))
    measure = call("package_create", editor, **project_data("massnahme", org, project_kind="measure"))
    project = call("package_create", editor, **project_data("fuzz", org, part_of=measure["id"], partners=[
        {"actor": actor["id"], "role": "lead"}, {"name": "Freie Partner GmbH", "role": "partner"}]))
    dataset = helpers.call_action("package_create", context={"user": sysadmin["name"]},
                                  **minimal_dataset(org, "fuzz"))
    request = call("sca_datarequest_create", None, title="Baumkataster", description="Bitte als CSV.")
    submission = call("sca_correction_create", None, kind="correction", package_id=actor["id"],
                      message="Die Adresse stimmt nicht.")
    source = helpers.call_action("harvest_source_create", context={"user": sysadmin["name"]},
                                 name="fuzz-quelle", title="Quelle", url="https://stadt.example/katalog.ttl",
                                 source_type="sca_dcat_rdf", owner_org=org["id"], frequency="MANUAL")
    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    ids = {"actor": actor["id"], "project": project["id"], "dataset": dataset["id"],
           "resource": dataset["resources"][0]["id"], "request": request["id"], "submission": submission["id"],
           "source": source["id"], "job": job.id}
    tokens = {"anonymous": None, "editor": factories.APIToken(user=editor["name"])["token"],
              "sysadmin": factories.APIToken(user=sysadmin["name"])["token"]}
    return {"ids": ids, "tokens": tokens}


def baseline(action: str, ids: dict) -> dict:
    """A valid call of each action, so a fuzzed parameter reaches the code behind the others."""
    return {
        "sca_match": {"q": "Energie Sensorik"},
        "sca_actor_projects": {"id": ids["actor"]},
        "sca_project_actors": {"id": ids["project"]},
        "sca_correction_create": {"kind": "correction", "package_id": ids["actor"], "message": "Bitte prüfen."},
        "sca_correction_update": {"id": ids["submission"], "status": "accepted"},
        "sca_datarequest_create": {"title": "Lärmkarte", "description": "Als GeoJSON, bitte."},
        "sca_datarequest_show": {"id": ids["request"]},
        "sca_datarequest_update": {"id": ids["request"], "status": "in_review"},
        "sca_harvest_job_report": {"id": ids["job"]},
        "sca_radar_report": {"id": ids["job"]},
        "sca_validation_show": {"id": ids["dataset"]},
        "sca_quality_show": {"id": ids["dataset"]},
        "sca_link_status_show": {"id": ids["dataset"]},
        "sca_status_history": {"id": ids["project"]},
        "sca_radar_resolve_partner": {"id": ids["project"], "partner": "Freie Partner GmbH", "actor": ids["actor"]},
        "sca_sensor_geojson": {"resource_id": ids["resource"]},
        "sca_shared_actor_merge": {"id": ids["actor"], "same_as": ids["project"]},
    }.get(action, {})


def path_values(rule: str, ids: dict) -> dict[str, str]:
    """The valid value of each path segment of a page."""
    known = {"resource_id": ids["resource"], "request_id": ids["request"], "filename": "akteure.ttl",
             "source": ids["source"],
             "id": ids["job"] if "/job/" in rule else ids["source"] if rule.startswith("/harvest/") else ids["dataset"]}
    return {name: known[name] for name in _segments(rule)}


def _segments(rule: str) -> list[str]:
    return [part[1:-1].split(":")[-1] for part in rule.replace(".", "/").split("/") if part.startswith("<")]


def _spread(name: str, values: tuple) -> tuple:
    """The values a parameter gets: all, or a third for a facet filter."""
    if name not in FACET_FILTERS:
        return values
    offset = FACET_FILTERS.index(name)
    return tuple(value for i, value in enumerate(values) if (i + offset) % 3 == 0)


def _as_query(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, (str, list)) else str(value)


def _action_params(item: dict) -> tuple[bool, list[str]]:
    """(GET allowed, parameter names) of an action's path item."""
    if "get" in item:
        return True, [param["name"] for param in item["get"].get("parameters", [])]
    body = item["post"].get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return False, list(body.get("properties", {}))


def api_calls(doc: dict, ids: dict, short: bool):
    """(method, path, parameter, value, params) of every fuzzed action call:
    read actions get strings in the query and wrong types in a JSON body,
    the others everything in a JSON body."""
    query_values = hostile.QUERY_VALUES_SHORT if short else hostile.QUERY_VALUES
    json_values = hostile.JSON_VALUES_SHORT if short else hostile.JSON_VALUES
    for path, item in sorted(doc["paths"].items()):
        if not path.startswith("/api/3/action/"):
            continue
        action = path.rsplit("/", 1)[1]
        base = baseline(action, ids)
        gettable, params = _action_params(item)
        for name in params:
            dropped = set().union(*(group for group in EXCLUSIVE if name in group)) - {name}
            data = {k: v for k, v in base.items() if k not in dropped}
            if gettable:
                for value in _spread(name, query_values):
                    yield "GET", path, name, value, {**{k: _as_query(v) for k, v in data.items()}, name: value}
            for value in _spread(name, json_values if gettable else (*json_values, *query_values)):
                yield "POST", path, name, value, {**data, name: value}
        yield "POST", path, "(unknown)", "x", {**base, "unknown\x00": "x"}


def page_params(doc: dict, rule: str) -> tuple[str, ...]:
    if PAGES[rule] is FROM_OPENAPI:
        return tuple(param["name"] for param in doc["paths"][rule]["get"]["parameters"])
    return PAGES[rule]


def page_calls(doc: dict, ids: dict, short: bool):
    """The pages get the short list (most hand their parameters to the
    actions fuzzed above); the roles other than sysadmin one value per
    parameter, in turn."""
    values = hostile.QUERY_VALUES_SHORT
    turn = 0
    for rule in sorted(PAGES):
        valid = path_values(rule, ids)
        path = _fill(rule, valid)
        for name in page_params(doc, rule):
            if short:
                turn += 1
            for value in [values[turn % len(values)]] if short else _spread(name, values):
                yield "GET", path, name, value, {name: value}
        yield "GET", path, "(unknown)", "x", {"unknown\x00": "\x00"}
        for segment in valid:
            for value in hostile.PATH_VALUES[:3] if short else hostile.PATH_VALUES:
                yield "GET", _fill(rule, {**valid, segment: value}), f"<{segment}>", value, {}


def _fill(rule: str, values: dict) -> str:
    path = rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", urllib.parse.quote(str(value), safe=""))
    return path


def our_get_rules(app) -> list[str]:
    """The GET routes of the plugin's blueprints."""
    from ckanext.smartcityatlas import capability, plugin

    names = {bp.name for bp in capability.collect(plugin.CAPABILITIES, "blueprints")}
    return sorted({rule.rule for rule in app.flask_app.url_map.iter_rules()
                   if rule.endpoint.split(".")[0] in names and "GET" in (rule.methods or ())})


def registered_sca_actions() -> set[str]:
    from ckanext.smartcityatlas import capability, plugin

    return {name for name in capability.merge(plugin.CAPABILITIES, "actions") if name.startswith("sca_")}


def send(app, method: str, path: str, params: dict, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": token} if token else {}
    try:
        if method == "GET":
            response = app.get(path, query_string=params, headers=headers)
        else:
            response = app.post(path, json=params, headers=headers)
    except Exception as exc:  # noqa: BLE001 - a raised error is the 500 we look for
        return 500, f"raised {type(exc).__name__}: {exc}"[:300]
    return response.status_code, response.get_data(as_text=True)


def test_openapi_lists_every_registered_action_with_its_schema(app):
    from ckanext.smartcityatlas import capability, plugin

    doc = app.get("/atlas/openapi.json").json
    documented = {path.rsplit("/", 1)[1] for path in doc["paths"] if path.startswith("/api/3/action/")}
    assert registered_sca_actions() - documented == set()
    actions = capability.merge(plugin.CAPABILITIES, "actions")
    assert [name for name in sorted(registered_sca_actions()) if not hasattr(actions[name], "sca_schema")] == []


def test_every_page_is_fuzzed(app):
    assert set(our_get_rules(app)) - set(PAGES) == set()


def test_no_input_produces_a_500(app, fuzz_world):
    doc = app.get("/atlas/openapi.json").json
    ids, failures, known, summary = fuzz_world["ids"], [], [], []
    started = time.monotonic()
    for role, token in fuzz_world["tokens"].items():
        # the sysadmin reaches every code path; the other roles get each kind of value
        short = role != "sysadmin"
        statuses: collections.Counter = collections.Counter()
        for method, path, name, value, params in [*api_calls(doc, ids, short), *page_calls(doc, ids, short)]:
            status, body = send(app, method, path, params, token)
            statuses[status] += 1
            leak = hostile.leak_in(body)
            if status == 500:
                # a failed statement must not fail every following call too
                # (the rollback after errors is item 3 of issue 24)
                model.Session.remove()
            if status == 500 or leak:
                line = (f"{role} {method} {hostile.short(path, 80)} {name}={hostile.short(value)} → {status}"
                        + (f" (shows {leak!r})" if leak else "") + f": {body[:200]!r}")
                (known if (path, name) in KNOWN_ELSEWHERE else failures).append(line)
        summary.append(f"{role}: {sum(statuses.values())} calls (" + ", ".join(
            f"{status}: {n}" for status, n in sorted(statuses.items())) + ")")
    summary.append(f"{len(known)} known elsewhere, {time.monotonic() - started:.0f} s")
    print("\nfuzz: " + "; ".join(summary) + "".join(f"\n  known elsewhere: {line}" for line in known))
    assert not failures, f"{len(failures)} answers 500 or with a traceback ({'; '.join(summary)}):\n" + \
        "\n".join(failures)
