#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas API under load: sca_search, the map data and sca_match, each
next to bare package_search in the same run.

    deploy/sca bench atlas_api [--actors 10000] [--projects 2000] [--datasets 5000] [--runs 100]

Loads (once, idempotently) the generated entities (bench/entity_generator.py)
and plain datasets (bench/search_baseline.py), reindexes entities indexed
before the map's stored feature existed, then times in-process calls as an
anonymous caller:

- sca_search (free text + facets, a facet filter, a radius) vs package_search
  with the same q/fq and facets;
- /atlas/geojson through the WSGI app: every generated entity, built
  fresh (cache off) and from the cache (the normal case), with the gzipped
  size; vs package_search fetching the same entities as fast as it can
  (rows=1000 pages of ids);
- sca_match (response cache off) for projects, actors and needs texts vs a
  package_search with a needs text.
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import entity_generator  # noqa: E402
import search_baseline  # noqa: E402


def _reindex(args):
    ini, ids = args
    with common.ckan_app(ini):
        from ckan.lib import search

        for package_id in ids:
            search.rebuild(package_id, defer_commit=True)
    return len(ids)


def ensure_entities(ini: str, actors: int, projects: int) -> None:
    with common.ckan_app(ini):
        import ckan.plugins.toolkit as tk

        context = common.site_context()

        def count(fq):
            return tk.get_action("package_search")(dict(context), {"fq": fq, "rows": 0, "include_private": True})["count"]

        have_a = count("+dataset_type:actor +name:gen-actor-*")
        have_p = count("+dataset_type:project +name:gen-project-*")
        rng = random.Random(20261123)
        points = list(entity_generator.points_in_city(rng, max(0, actors - have_a) + max(0, projects - have_p)))
        new_actors = [entity_generator.actor(i, rng, points.pop(), "gen-office") for i in range(have_a, actors)]
        measures = [f"gen-project-{i:06d}" for i in range(min(9, projects))]
        new_projects = [entity_generator.project(i, rng, points.pop(), "gen-office", actors, measures)
                        for i in range(have_p, projects)]
        if new_actors or new_projects:
            try:
                tk.get_action("organization_show")(dict(context), {"id": "gen-office"})
            except tk.ObjectNotFound:
                tk.get_action("organization_create")(dict(context), {"name": "gen-office", "title": "Generiertes Amt"})
    # more of the same generator, continuing where an earlier run stopped
    for items in (new_actors, new_projects):
        if items:
            took = entity_generator.run_parallel(ini, items, 2)
            print(f"created {len(items)} generated entities in {took:.0f} s")
    with common.ckan_app(ini):
        from ckanext.smartcityatlas.matching import solr

        # generated entities all have a location, so no stored map feature means an old index entry
        stale = [d["id"] for d in solr.search(None, fq=["+dataset_type:(actor OR project)",
                                                        "-sca_map_feature:[* TO *]", "+name:gen-*"],
                                              fl="id", rows=100000)]
    if stale:
        started = time.perf_counter()
        chunks = [stale[w::2] for w in range(2)]
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            pool.map(_reindex, [(ini, chunk) for chunk in chunks])
        with common.ckan_app(ini):
            from ckan.lib import search

            search.commit()
        print(f"reindexed {len(stale)} entities indexed before sca_map_feature in {time.perf_counter() - started:.0f} s")


def compare(name: str, fast: list[float], base: list[float]) -> None:
    p50, p95 = common.percentiles(fast)
    b50, b95 = common.percentiles(base)
    print(f"{name:<44} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   | package_search p50 {b50:7.1f}  p95 {b95:7.1f}"
          f"   | p95 ratio {p95 / b95:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--actors", type=int, default=10000)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        search_baseline.load(args.datasets)
    ensure_entities(args.ini, args.actors, args.projects)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    client = flask_app.test_client()
    with flask_app.test_request_context():
        import ckan.plugins.toolkit as tk

        anonymous = {"user": "", "ignore_auth": False}
        action = tk.get_action
        ps = action("package_search")
        total = ps(dict(anonymous), {"rows": 0})["count"]
        print(f"index: {total} public records "
              f"({ps(dict(anonymous), {'fq': '+dataset_type:actor', 'rows': 0})['count']} actors, "
              f"{ps(dict(anonymous), {'fq': '+dataset_type:project', 'rows': 0})['count']} projects); "
              f"{args.runs} runs each after 5 warm-up calls\n")
        from ckanext.smartcityatlas.atlas.search import FACETS

        searches = {
            "sca_search: text 'Energie' + 11 facets": ({"q": "Energie"},
                                                     {"q": "Energie", "fq": "+dataset_type:(\"actor\" OR \"project\")"}),
            "sca_search: topic + sector filter": ({"topic": "mobility", "helix_sector": "science"},
                                                  {"q": "*:*", "fq": '+dataset_type:("actor" OR "project") '
                                                   '+sca_topics:("mobility") +helix_sector:("science")'}),
            "sca_search: radius 2 km + text": ({"q": "Sensorik", "lat": 51.0504, "lon": 13.7383, "radius_km": 2},
                                               {"q": "Sensorik", "fq": '+dataset_type:("actor" OR "project")',
                                                "extras": {"ext_lat": 51.0504, "ext_lon": 13.7383, "ext_radius_km": 2}}),
        }
        for name, (params, bare) in searches.items():
            fast = common.timed(lambda: action("sca_search")(dict(anonymous), dict(params)), args.runs)
            base = common.timed(lambda: ps(dict(anonymous), {**bare, "facet.field": FACETS, "facet.limit": 50,
                                                             "rows": 20}), args.runs)
            compare(name, fast, base)

        # the map data: every generated entity (other benches share the database
        # and add their own, e.g. the radar's projects: their office is left out)
        fq = '+dataset_type:("actor" OR "project") +organization:gen-office'
        entities = ps(dict(anonymous), {"fq": fq, "rows": 0})["count"]
        url = "/atlas/geojson?organization=gen-office"
        # the bench times the map, not the per-client rate limit (its window outlives a run)
        tk.config["ckanext.smartcityatlas.rate_limit.geojson_per_minute"] = 0

        def get_map():
            response = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, response.status_code
            return response

        def fetch_all_ids():
            for start in range(0, entities, 1000):
                ps(dict(anonymous), {"fq": fq, "fl": "id", "rows": 1000, "start": start})

        base = common.timed(fetch_all_ids, max(5, args.runs // 10), warmup=1)
        resp = get_map()
        import gzip
        import json

        features = len(json.loads(gzip.decompress(resp.data))["features"])
        size = len(resp.data)
        warm = common.timed(get_map, args.runs)
        tk.config["ckanext.smartcityatlas.geojson.cache_seconds"] = 0
        cold = common.timed(get_map, max(10, args.runs // 5), warmup=2)
        tk.config["ckanext.smartcityatlas.geojson.cache_seconds"] = 600
        print(f"\n{url}: {features} features, {size / 1e6:.2f} MB gzipped")
        compare("/atlas/geojson cached (normal case)", warm, base)
        compare("/atlas/geojson built fresh (cache off)", cold, base)
        print(f"  (package_search baseline here: the same {entities} entities' ids in pages of 1,000 — no "
              "properties, no points; target built fresh <= 250 ms, gzipped <= 1.5 MB)")

        # matching
        rng = random.Random(7)
        project_ids = [r["id"] for r in ps(dict(anonymous), {"fq": "+dataset_type:project +name:gen-project-*",
                                                             "rows": 1000})["results"]]
        actor_ids = [r["id"] for r in ps(dict(anonymous), {"fq": "+dataset_type:actor +name:gen-actor-*",
                                                           "rows": 1000})["results"]]
        needs = ["Sensorik und Datenanalyse für Luftqualität", "Partner für Photovoltaik auf Schuldächern",
                 "Forschung zu Elektromobilität und Ladenetz", "Bürgerbeteiligung im Quartier digital"]
        # uncached: every question is new (the response cache would answer repeats in ~1 ms)
        tk.config["ckanext.smartcityatlas.match.cache_seconds"] = 0
        print()
        for name, make in (("sca_match project_id", lambda: {"project_id": rng.choice(project_ids)}),
                           ("sca_match actor_id", lambda: {"actor_id": rng.choice(actor_ids)}),
                           ("sca_match q (needs text)", lambda: {"q": rng.choice(needs)})):
            fast = common.timed(lambda: action("sca_match")(dict(anonymous), make()), args.runs)
            base = common.timed(lambda: ps(dict(anonymous), {"q": rng.choice(needs), "fq": "+dataset_type:actor",
                                                             "rows": 10}), args.runs)
            compare(name, fast, base)


if __name__ == "__main__":
    main()
