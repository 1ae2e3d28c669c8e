#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""N synthetic but realistic actors and projects, loaded through the bulk path.

    deploy/sca bench entity_generator [--actors 8000] [--projects 2000] [--workers 2]

German names and descriptions from a vocabulary, plausible kinds, sectors,
topics and competences, points inside the city polygon (from the city
configuration), projects with 1–5 partners among the generated actors and
roles, a third of them in one of the generated measures. Creation uses
package_create with Solr commits deferred to the end, in parallel worker
processes (one CKAN app each); actors named by projects are reindexed once
per worker at the end instead of after every project. Prints the throughput. Reproducible by seed;
names are prefixed ``gen-`` so later benchmarks can select them.
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

KINDS = {"company": "business", "university": "science", "research_institute": "science",
         "cluster_network": "business", "civil_society": "civil_society",
         "public_administration": "administration", "public_company": "administration"}
TOPICS = ["energy", "mobility", "environment_climate", "health_sports", "participation", "open_data",
          "digital_infrastructure", "urban_planning", "housing", "economy_innovation",
          "education_science", "digital_administration"]
COMPETENCES = ["Sensorik", "Datenanalyse", "Künstliche Intelligenz", "Energiespeicher", "Photovoltaik",
               "Verkehrsplanung", "Digitaler Zwilling", "Bürgerbeteiligung", "Open Data", "IoT",
               "Gebäudeautomation", "Wärmepumpen", "Elektromobilität", "Geoinformation", "Softwareentwicklung",
               "Stadtklima", "Starkregenvorsorge", "Smart Grid", "Quartiersmanagement", "Sportwissenschaft"]
PREFIXES = {"company": ["Digital", "Energie", "Sensor", "Mobil", "Geo", "Daten", "Solar", "Netz"],
            "university": ["Hochschule", "Akademie"], "research_institute": ["Institut", "Forschungszentrum"],
            "cluster_network": ["Netzwerk", "Cluster", "Verbund"], "civil_society": ["Initiative", "Verein", "Bündnis"],
            "public_administration": ["Amt", "Stelle"], "public_company": ["Stadtwerk", "Betrieb"]}
SUFFIXES = {"company": ["GmbH", "AG", "UG", "GmbH & Co. KG"], "civil_society": ["e. V.", ""]}
THEMES_OF_WORK = ["Energie", "Mobilität", "Klima", "Daten", "Beteiligung", "Gesundheit", "Bauen", "Sport"]
PROJECT_WORDS = ["Smartes", "Digitales", "Vernetztes", "Offenes", "Nachhaltiges", "Intelligentes"]
PROJECT_NOUNS = ["Quartier", "Messnetz", "Parkraummanagement", "Energiemodell", "Beteiligungsportal",
                 "Klimadashboard", "Ladenetz", "Sensorprojekt", "Datenportal", "Wärmenetz"]


def points_in_city(rng: random.Random, n: int):
    from shapely.geometry import Point

    from ckanext.smartcityatlas.common import city_config

    city = city_config.current()
    minx, miny, maxx, maxy = city.boundary.bounds
    while n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if city.boundary.contains(p):
            n -= 1
            yield [round(p.x, 6), round(p.y, 6)]


def actor(i: int, rng: random.Random, point, org: str) -> dict:
    kind = rng.choice(list(KINDS))
    name = f"{rng.choice(PREFIXES[kind])} {rng.choice(THEMES_OF_WORK)} {i} {rng.choice(SUFFIXES.get(kind, ['']))}".strip()
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    return {
        "type": "actor", "name": f"gen-actor-{i:06d}", "title": name, "owner_org": org,
        "notes": f"{name} arbeitet zu {', '.join(rng.sample(THEMES_OF_WORK, 2))} in Dresden.",
        "actor_kind": kind, "helix_sector": KINDS[kind], "topics": topics,
        "competences": rng.sample(COMPETENCES, rng.randint(1, 4)),
        "spatial": '{"type":"Point","coordinates":[%s,%s]}' % tuple(point), "location_source": "approximate",
        "record_source": "bench/entity_generator.py (synthetic)",
    }


def project(i: int, rng: random.Random, point, org: str, n_actors: int, measures: list[str]) -> dict:
    kind = "measure" if i < max(1, len(measures)) and f"gen-project-{i:06d}" in measures else rng.choice(
        ["project", "project", "activity", "topic"])
    partners = [{"actor": f"gen-actor-{rng.randrange(n_actors):06d}",
                 "role": rng.choice(["lead", "partner", "partner", "research_partner", "operator", "user"])}
                for _ in range(rng.randint(1, 5))]
    data = {
        "type": "project", "name": f"gen-project-{i:06d}", "owner_org": org,
        "title": f"{rng.choice(PROJECT_WORDS)} {rng.choice(PROJECT_NOUNS)} {i}",
        "notes": f"Ein Vorhaben zu {rng.choice(THEMES_OF_WORK)} mit Partnern aus Wirtschaft und Wissenschaft.",
        "project_kind": kind, "status": rng.choice(["idea", "planned", "running", "completed"]),
        "topics": rng.sample(TOPICS, rng.randint(1, 3)), "partners": partners,
        "spatial": '{"type":"Point","coordinates":[%s,%s]}' % tuple(point), "location_source": "approximate",
        "radar_id": f"GEN-{i:06d}", "record_source": "bench/entity_generator.py (synthetic)",
    }
    if kind != "measure" and measures and rng.random() < 0.33:
        data["part_of"] = rng.choice(measures)
    return data


def _work(args):
    ini, items = args
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.entities.relations import deferred_actor_reindex

    with common.ckan_app(ini), deferred_actor_reindex():
        tk.config["ckan.search.solr_commit"] = False
        context = common.site_context()
        create = tk.get_action("package_create")
        for data in items:
            try:
                create(dict(context), data)
            except tk.ValidationError as exc:
                if "name" not in exc.error_dict:  # already there from an earlier run is fine
                    raise
    return len(items)


def run_parallel(ini: str, items: list[dict], workers: int) -> float:
    chunks = [items[w::workers] for w in range(workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_work, [(ini, chunk) for chunk in chunks])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--actors", type=int, default=8000)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(20261122)
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk
        from ckan.lib import search

        context = common.site_context()
        try:
            tk.get_action("organization_show")(dict(context), {"id": "gen-office"})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(dict(context), {"name": "gen-office", "title": "Generiertes Amt"})
        points = list(points_in_city(rng, args.actors + args.projects))
        actors = [actor(i, rng, points[i], "gen-office") for i in range(args.actors)]
        measure_names = [f"gen-project-{i:06d}" for i in range(min(9, args.projects))]
        projects = [project(i, rng, points[args.actors + i], "gen-office", args.actors, measure_names)
                    for i in range(args.projects)]
    took_a = run_parallel(args.ini, actors, args.workers)
    # measures first, then the rest (part_of must exist)
    took_m = run_parallel(args.ini, projects[:len(measure_names)], 1)
    took_p = run_parallel(args.ini, projects[len(measure_names):], args.workers)
    with common.ckan_app(args.ini):
        from ckan.lib import search

        started = time.perf_counter()
        search.commit()
        took_c = time.perf_counter() - started
    total = args.actors + args.projects
    seconds = took_a + took_m + took_p + took_c
    print(f"actors:   {args.actors} in {took_a:.1f} s = {args.actors / took_a:.1f}/s ({args.workers} workers)")
    print(f"projects: {args.projects} in {took_m + took_p:.1f} s = {args.projects / (took_m + took_p):.1f}/s")
    print(f"total:    {total} entities in {seconds:.1f} s = {total / seconds:.1f} entities/s (commit {took_c:.1f} s)")


if __name__ == "__main__":
    main()
