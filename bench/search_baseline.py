#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""package_search on the real Solr: p50/p95 for typical queries on N datasets.

    deploy/sca bench search_baseline [--count 5000] [--runs 200]

Creates the generated datasets once (bulk path: Solr commits deferred to
the end), then times in-process package_search calls: free text (German
analysis), facets, bbox, radius. This is the baseline later search work
(sca_search) is compared against.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import generator  # noqa: E402


def ensure_orgs(action, context) -> dict[str, str]:
    ids = {}
    for name, title in generator.OFFICES:
        try:
            ids[name] = action("organization_show")(dict(context), {"id": name})["id"]
        except Exception:  # noqa: BLE001 - ObjectNotFound
            ids[name] = action("organization_create")(dict(context), {"name": name, "title": title})["id"]
    return ids


def load(count: int) -> None:
    import ckan.plugins.toolkit as tk
    from ckan.lib import search

    action, context = tk.get_action, common.site_context()
    existing = action("package_search")(dict(context), {"fq": "name:bench-*", "rows": 0})["count"]
    if existing >= count:
        print(f"{existing} generated datasets present, nothing to load")
        return
    org_ids = ensure_orgs(action, context)
    rng = random.Random(20261122)
    datasets = [generator.dataset(i, rng, org_ids) for i in range(count)]
    tk.config["ckan.search.solr_commit"] = False  # bulk path: one commit at the end
    started = time.perf_counter()
    for data in datasets[existing:]:
        action("package_create")(dict(context), data)
    search.commit()
    took = time.perf_counter() - started
    made = count - existing
    print(f"loaded {made} datasets in {took:.1f} s = {made / took:.1f} datasets/s (package_create, deferred commit)")


QUERIES = {
    "text: Luftqualität": {"q": "Luftqualität"},
    "text: Versorgungen (stem+compound)": {"q": "Versorgungen"},
    "text: two words, default sort": {"q": "Baustellen Innenstadt"},
    "facets: org, tags, formats": {"q": "*:*", "facet.field": '["organization","tags","res_format"]', "rows": 20},
    "text + facet filter": {"q": "Verkehr", "fq": 'tags:"Mobilität"'},
    "bbox: Altstadt": {"q": "*:*", "ext_bbox": "13.72,51.04,13.76,51.06"},
    "radius: 2 km around Altmarkt": {"q": "*:*", "ext_lat": 51.0504, "ext_lon": 13.7383, "ext_radius_km": 2},
    "text + radius 5 km": {"q": "Messstationen", "ext_lat": 51.0504, "ext_lon": 13.7383, "ext_radius_km": 5},
}


def run_queries(runs: int) -> None:
    import ckan.plugins.toolkit as tk

    search = tk.get_action("package_search")
    context = common.site_context()
    total = search(dict(context), {"rows": 0})["count"]
    print(f"package_search on {total} datasets, {runs} runs each after 5 warm-up calls")
    for name, params in QUERIES.items():
        extras = {k: v for k, v in params.items() if k.startswith("ext_")}
        data = {k: v for k, v in params.items() if not k.startswith("ext_")}
        if extras:
            data["extras"] = extras
        hits = search(dict(context), dict(data))["count"]
        samples = common.timed(lambda: search(dict(context), dict(data)), runs)
        common.report(f"{name} ({hits} hits)", samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        load(args.count)
        run_queries(args.runs)


if __name__ == "__main__":
    main()
