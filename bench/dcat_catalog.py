#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT catalog and DCAT-AP.de validation cost, next to baselines of the same run.

    deploy/sca bench dcat_catalog [--count 5000] [--page-size 1000] [--runs 3] [--shacl-sample 1000]
                                  [--only catalog|shacl]

1. Catalog endpoint time per page of --page-size datasets (the action behind
   /catalog.ttl, in-process) with the dcatap_de and dcatap_de_3 profiles;
   baselines: package_search of the same page alone, and ckanext-dcat's own
   euro_dcat_ap_2 profile on it.
2. SHACL validation cost per dataset (v2.0-spec-konventionen and v3.0-spec)
   on records of the catalog: baseline = plain pySHACL as the reference
   validator runs it (shapes and the whole vocabularies in every call), then
   dcat/shacl.py (shapes compiled once, only the vocabulary triples the
   record uses) with the pySHACL and the pyshacl-turbo engine, per record and
   for the whole sample.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import search_baseline  # noqa: E402


def catalog_page(profile: str, page: int, fmt: str = "turtle") -> str:
    import ckan.plugins.toolkit as tk

    return tk.get_action("dcat_catalog_show")(common.site_context(),
                                              {"page": page, "format": fmt, "profiles": [profile]})


def bench_catalog(count: int, page_size: int, runs: int) -> None:
    import ckan.plugins.toolkit as tk

    tk.config["ckanext.dcat.datasets_per_page"] = page_size
    pages = max(1, count // page_size)
    search = tk.get_action("package_search")

    def search_page(page):
        return search(common.site_context(), {"rows": page_size, "start": (page - 1) * page_size,
                                              "sort": "metadata_modified desc"})

    total = search(common.site_context(), {"rows": 0})["count"]
    print(f"\n== catalog endpoint: {total} datasets, pages of {page_size}, pages 1..{pages}, "
          f"{runs} rounds (ms per page)")
    for name, fn in (
        ("baseline: package_search only", search_page),
        ("baseline: ckanext-dcat euro_dcat_ap_2", lambda p: catalog_page("euro_dcat_ap_2", p)),
        ("dcatap_de (DCAT-AP.de 2.0)", lambda p: catalog_page("dcatap_de", p)),
        ("dcatap_de_3 (DCAT-AP.de 3.0)", lambda p: catalog_page("dcatap_de_3", p)),
    ):
        fn(1)  # warm-up (caches, JIT of rdflib plugins)
        samples = []
        for _ in range(runs):
            for page in range(1, pages + 1):
                started = time.perf_counter()
                fn(page)
                samples.append((time.perf_counter() - started) * 1000)
        common.report(name, samples)


def _records(graph):
    """The record subgraphs of a catalog page: each dataset with what hangs off it."""
    import rdflib
    from rdflib.namespace import DCAT, RDF

    out = []
    catalogs = set(graph.subjects(RDF.type, DCAT.Catalog))
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        sub, todo, seen = rdflib.Graph(), [ds], set()
        while todo:
            node = todo.pop()
            if node in seen or node in catalogs:
                continue
            seen.add(node)
            for s, p, o in graph.triples((node, None, None)):
                sub.add((s, p, o))
                if not isinstance(o, rdflib.Literal):
                    todo.append(o)
        out.append(sub)
    return out


def _plain_pyshacl(profile_name: str):
    """The reference way: parse nothing again, but hand pySHACL the shapes and
    the data graph with every imported vocabulary merged in, on every call."""
    import pyshacl
    import rdflib
    from rdflib.namespace import OWL

    from ckanext.smartcityatlas.dcat import shacl

    root = shacl.SHAPES
    shapes = rdflib.Graph()
    for path in sorted((root / profile_name).iterdir()):
        if path.suffix in (".ttl", ".rdf"):
            shacl._parse(shapes, path)
    imports = {str(i) for i in shapes.objects(None, OWL.imports)}
    shapes.remove((None, OWL.imports, None))
    mapping = json.loads((root / "vocab" / "imports-map.json").read_text())["imports"]
    vocab = rdflib.Graph()
    for iri in imports:
        if mapping[iri].get("file"):
            shacl._parse(vocab, root / "vocab" / mapping[iri]["file"])
    compiled = shacl.profile(profile_name)

    def run(data):
        graph = rdflib.Graph()
        for t in data:
            graph.add(t)
        for t in vocab:
            graph.add(t)
        for t in compiled._vocab_for(set(data.all_nodes())):  # the namespace fallbacks, as the reference adds them
            graph.add(t)
        return pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)[0]

    return run


def bench_shacl(sample: int) -> None:
    import rdflib

    from ckanext.smartcityatlas.dcat import shacl

    print(f"\n== SHACL validation, ms per dataset ({sample} datasets of the catalog)")
    for profile, shape_profile in (("dcatap_de", "v2.0-spec-konventionen"), ("dcatap_de_3", "v3.0-spec")):
        page = rdflib.Graph().parse(data=catalog_page(profile, 1), format="turtle")
        records = _records(page)[:sample]
        whole = rdflib.Graph()
        for rec in records:
            for t in rec:
                whole.add(t)
        n = len(records)
        print(f"-- {profile} / {shape_profile}")

        plain = _plain_pyshacl(shape_profile)
        small = records[: max(1, min(20, n))]
        samples = []
        for rec in small:  # slow: a subset is enough for the per-dataset figure
            started = time.perf_counter()
            plain(rec)
            samples.append((time.perf_counter() - started) * 1000)
        common.report("baseline: plain pySHACL, per record", samples)
        started = time.perf_counter()
        plain(whole)
        print(f"{'baseline: plain pySHACL, whole sample':<38} {n} datasets: "
              f"{(time.perf_counter() - started) * 1000 / n:8.2f} ms/dataset")

        for engine in ("pyshacl", "turbo"):
            started = time.perf_counter()
            compiled = shacl.profile(shape_profile, engine)
            print(f"{'compiling the profile once (' + engine + ')':<38} {(time.perf_counter() - started) * 1000:8.0f} ms")
            samples, violations = [], 0
            for rec in records:
                started = time.perf_counter()
                report = compiled.validate(rec)
                samples.append((time.perf_counter() - started) * 1000)
                violations += len(report.violations)
            common.report(f"compiled {engine}, per record", samples)
            started = time.perf_counter()
            report = compiled.validate(whole)
            print(f"{'compiled ' + engine + ', whole sample':<38} {n} datasets: "
                  f"{(time.perf_counter() - started) * 1000 / n:8.2f} ms/dataset "
                  f"({len(report.violations)} violations; per record: {violations})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shacl-sample", type=int, default=1000)
    parser.add_argument("--only", choices=["catalog", "shacl"], help="run one of the two parts")
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        search_baseline.load(args.count)
        if args.only != "shacl":
            bench_catalog(args.count, args.page_size, args.runs)
        if args.only != "catalog":
            import ckan.plugins.toolkit as tk

            tk.config["ckanext.dcat.datasets_per_page"] = max(args.page_size, args.shacl_sample)
            bench_shacl(args.shacl_sample)


if __name__ == "__main__":
    main()
