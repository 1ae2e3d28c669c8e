#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sca-bench-instance: quality
"""Matching quality on the demo atlas: leave-one-out recall@10.

    deploy/sca bench match_quality [--k 10] [--show 5]

For every project with a linked actor partner and every such
partner: the partner is really removed from the project (package_patch, so
the index and every derived relation forget it), ``sca_match`` is asked for
actors for the project, and we note whether the hidden partner is in the top
k; then the project is restored. The baseline is a plain Solr text
similarity: the project's title, summary and description as an OR query
over the actors' text (BM25), top k.

A hidden relation is hidden from the texts too: during a trial the
partner's name is cut from the project's texts and the project's name from
the partner's description (otherwise both methods would find a partner just
because the description names it — a lookup, not a match).

The demo atlas has only 41 actors, so a top 10 would hold a quarter of
them; the hidden partner has to be found among ``--distractors`` generated
actors as well (bench/entity_generator.py: realistic kinds, sectors, topics,
competences and locations, no relations to the demo).

Runs in its own instance ("quality": database, Solr core, Redis database)
holding only the demo atlas and the distractors, loaded (idempotently) first.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import entity_generator  # noqa: E402


LEGAL_FORMS = re.compile(r"\s+(gGmbH|GmbH & Co\. KG|GmbH|e\.\s?V\.|AG|KG|mbH)\b.*$")


def name_variants(title: str, city: str = "Dresden") -> list[str]:
    """Ways a text may name an actor or project: full, without acronym,
    legal form or city, the acronym alone."""
    variants = {title}
    for acronym in re.findall(r"\(([^)]{2,20})\)", title):
        variants.add(acronym)
    bare = re.sub(r"\s*\([^)]*\)", "", title).strip()
    variants.add(bare)
    variants.add(LEGAL_FORMS.sub("", bare).strip())
    variants |= {v.removesuffix(" " + city).strip() for v in list(variants)}
    return sorted((v for v in variants if len(v) >= 3), key=len, reverse=True)


def redact(text: str | None, names: list[str]) -> str | None:
    if not text:
        return text
    for name in names:
        text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", "…", text, flags=re.IGNORECASE)
    return text


def baseline_top(project: dict, k: int, exclude: set[str]) -> list[str]:
    from ckanext.smartcityatlas.atlas.search import plain_words
    from ckanext.smartcityatlas.matching import solr

    text = plain_words(" ".join(str(project.get(f) or "") for f in ("title", "summary", "notes")))
    docs = solr.search(None, q=text, fq=["+dataset_type:actor"], fl="id", rows=k + len(exclude),
                       defType="edismax", qf="text", mm="1", **{"q.op": "OR"})
    return [d["id"] for d in docs if d["id"] not in exclude][:k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--show", type=int, default=5, help="print this many misses")
    parser.add_argument("--distractors", type=int, default=2000, help="generated actors besides the demo's")
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk
        from ckanext.smartcityatlas.demo import loader

        print("demo atlas:", loader.load().summary())
        context = common.site_context()
        present = tk.get_action("package_search")(dict(context), {
            "fq": "+dataset_type:actor +name:gen-actor-*", "rows": 0})["count"]
        missing = []
        if present < args.distractors:
            try:
                tk.get_action("organization_show")(dict(context), {"id": "gen-office"})
            except tk.ObjectNotFound:
                tk.get_action("organization_create")(dict(context), {"name": "gen-office", "title": "Generiertes Amt"})
            rng = entity_generator.random.Random(20261122)
            points = list(entity_generator.points_in_city(rng, args.distractors))
            missing = [entity_generator.actor(i, rng, points[i], "gen-office") for i in range(args.distractors)]
    if missing:
        took = entity_generator.run_parallel(args.ini, missing, 2)
        print(f"created {len(missing)} distractor actors in {took:.0f} s")
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk
        from ckan.lib import search
        from ckanext.smartcityatlas.entities import relations

        search.commit()
        context = common.site_context()
        actors = tk.get_action("package_search")(dict(context), {"fq": "+dataset_type:actor", "rows": 0})["count"]
        action = tk.get_action
        projects = action("package_search")(dict(context), {"fq": "+dataset_type:project", "rows": 1000})["results"]
        trials = 0
        ranks, base_ranks = [], []
        misses = []
        started = time.perf_counter()
        for project in sorted(projects, key=lambda p: p["name"]):
            linked = relations.partner_actor_ids(project)
            if not linked:
                continue
            original = project["partners"]
            for hidden in linked:
                actor = action("package_show")(dict(context), {"id": hidden})
                kept = [p for p in original if p.get("actor") != hidden]
                actor_names = name_variants(actor["title"])
                project_names = name_variants(project["title"])
                action("package_patch")(dict(context), {
                    "id": project["id"], "partners": kept,
                    **{f: redact(project.get(f), actor_names) for f in ("title", "summary", "notes")}})
                action("package_patch")(dict(context), {
                    "id": hidden, "notes": redact(actor.get("notes"), project_names)})
                try:
                    result = action("sca_match")(dict(context), {"project_id": project["id"], "limit": 50})
                    top = [r["id"] for r in result["results"]]
                    remaining = {p["actor"] for p in kept if p.get("actor")} | {project["id"]}
                    shown = action("package_show")(dict(context), {"id": project["id"]})
                    base = baseline_top(shown, 50, remaining)
                finally:
                    action("package_patch")(dict(context), {
                        "id": project["id"], "partners": original,
                        **{f: project.get(f) for f in ("title", "summary", "notes")}})
                    action("package_patch")(dict(context), {"id": hidden, "notes": actor.get("notes")})
                trials += 1
                ranks.append(top.index(hidden) + 1 if hidden in top else None)
                base_ranks.append(base.index(hidden) + 1 if hidden in base else None)
                if ranks[-1] is None or ranks[-1] > args.k:
                    rank = top.index(hidden) + 1 if hidden in top else None
                    found = next((r for r in result["results"] if r["id"] == hidden), None)
                    misses.append((project["name"], actor["name"], rank, found, result["results"][0]))
        took = time.perf_counter() - started
        def recall(found, k):
            return sum(1 for r in found if r and r <= k) / trials

        def mrr(found):
            return sum(1 / r for r in found if r) / trials

        print(f"leave-one-out on {trials} hidden partners of {len(projects)} projects, "
              f"{actors} actors in the pool ({took:.0f} s)")
        print(f"{'':24} {'recall@' + str(args.k):>10} {'recall@3':>10} {'recall@1':>10} {'MRR@50':>8}")
        for label, found in (("sca_match", ranks), ("Solr text baseline", base_ranks)):
            print(f"{label:24} {recall(found, args.k):10.3f} {recall(found, 3):10.3f} {recall(found, 1):10.3f} "
                  f"{mrr(found):8.3f}")
        base = recall(base_ranks, args.k)
        print(f"recall@{args.k} ratio sca_match / baseline: " + (f"{recall(ranks, args.k) / base:.2f}x" if base else "n/a"))
        for name, hidden, rank, found, first in misses[: args.show]:
            print(f"  miss: {name}: {hidden} at rank {rank or '> 50'}")
            for label, r in (("hidden", found), ("first", first)):
                if r:
                    print(f"    {label} {r['name']} {r['score']}: " + "; ".join(
                        f"{e['kind']} {e['weight']}" for e in r["explanation"]))


if __name__ == "__main__":
    main()
