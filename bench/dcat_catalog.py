#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT catalog and DCAT-AP.de validation cost, next to baselines of the same run.

    deploy/sca bench dcat_catalog [--count 5000] [--page-size 1000] [--runs 3] [--shacl-sample 1000]
                                  [--only catalog|shacl]

1. Catalog endpoint time per page of --page-size datasets (the action behind
   /catalog.ttl, in-process) with the sca_dcatap_de and sca_dcatap_de_3 profiles;
   baselines: package_search of the same page alone, and ckanext-dcat's own
   action with its euro_dcat_ap_2 profile. Per profile: uncached (every
   dataset built, the way before the record cache), cold (the first request
   of a page in a new process, each dataset's RDF stored by the background
   build), warm (Turtle, RDF/XML, JSON-LD), an empty store (every dataset
   built on first use), the background build's cost, the store's size, and
   where a warm request spends its time.
2. SHACL validation cost per dataset (v2.0-spec-konventionen and v3.0-spec)
   on records of the catalog: baseline = plain pySHACL as the reference
   validator runs it (shapes and the whole vocabularies in every call), then
   dcat/shacl.py (shapes compiled once, only the vocabulary triples the
   record uses) with the pySHACL and the pyshacl-turbo engine, per record and
   for the whole sample.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
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


def stock_page(page: int) -> str:
    """ckanext-dcat's own action (not our chain: no record cache) with its euro_dcat_ap_2 profile."""
    from ckanext.dcat.logic import dcat_catalog_show

    return dcat_catalog_show(common.site_context(), {"page": page, "format": "turtle",
                                                      "profiles": ["euro_dcat_ap_2"]})


def _rounds(fn, pages: int, runs: int, before=None) -> list[float]:
    samples = []
    for _ in range(runs):
        for page in range(1, pages + 1):
            if before:
                before()
            started = time.perf_counter()
            fn(page)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _built_at() -> list:
    from ckan import model

    from ckanext.smartcityatlas.dcat import record_store

    c = record_store.records.c
    return model.Session.execute(record_store.records.select().with_only_columns(
        c.package_id, c.profile, c.format, c.built_at).order_by(c.package_id, c.profile, c.format)).all()


def _cold_in_fresh_processes(ini: str, profile: str, pages: int, runs: int) -> list[float]:
    """The first request of a page in a new process (a restarted web worker):
    the texts are stored, nothing else is warm."""
    samples = []
    for _ in range(runs):
        for page in range(1, pages + 1):
            out = subprocess.run([sys.executable, __file__, "--ini", ini, "--cold-child", profile,
                                  "--cold-page", str(page), "--page-size", str(PAGE_SIZE[0])],
                                 capture_output=True, text=True, check=True).stdout
            samples.append(float(out.strip().splitlines()[-1]))
    return samples


PAGE_SIZE = [1000]


def cold_child(profile: str, page: int, page_size: int) -> None:
    import ckan.plugins.toolkit as tk

    tk.config["ckanext.dcat.datasets_per_page"] = page_size
    started = time.perf_counter()
    catalog_page(profile, page)
    print((time.perf_counter() - started) * 1000)


def breakdown(profile: str, page_size: int) -> None:
    """Where a warm request's time goes (the steps of catalog_page.render, one by one)."""
    from ckanext.dcat import logic as dcat_logic
    from ckanext.dcat.processors import RDFSerializer
    from rdflib import URIRef

    from ckanext.smartcityatlas.dcat import catalog, catalog_page as page_module, record_cache, record_rdf
    from ckanext.smartcityatlas.dcat import record_store

    steps: dict[str, list[float]] = {}

    def step(name, fn):
        started = time.perf_counter()
        result = fn()
        steps.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    for _ in range(5):
        data = catalog.restricted_fq(None)
        query = step("package_search of the page", lambda: dcat_logic._search_ckan_datasets(
            common.site_context(), {"page": 1, "fq": data}))
        serializer = step("profiles loaded", lambda: RDFSerializer(profiles=[profile]))
        datasets = query["results"]
        key = record_cache.profile_key(serializer)
        keys = step("fingerprints (hash of each dataset)", lambda: record_cache.fingerprints(key, datasets))
        stored = step("stored texts read (PostgreSQL)", lambda: record_store.load(key, "turtle", keys))
        records = [stored[d["id"]] for d in datasets]
        parts = step("catalog node + links", lambda: page_module._catalog_parts(
            serializer, datasets, [URIRef(r.subject) for r in records], {}, "turtle"))
        step("join", lambda: record_rdf.join("turtle", parts + [record_rdf.Part(r.prefixes, r.body)
                                                                 for r in records]))
    print(f"-- where a warm {profile} page (turtle) spends its time, p50 of 5:")
    for name, samples in steps.items():
        print(f"   {name:<38} {common.percentiles(samples)[0]:8.1f} ms")


def _compact_store() -> None:
    """The store as a fresh build leaves it (earlier clears leave dead rows behind until autovacuum)."""
    import sqlalchemy as sa
    from ckan import model

    model.Session.commit()
    with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM FULL sca_dcat_record"))


def bench_catalog(ini: str, count: int, page_size: int, runs: int) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.dcat import record_store, record_warm

    tk.config["ckanext.dcat.datasets_per_page"] = page_size
    PAGE_SIZE[0] = page_size
    pages = max(1, count // page_size)
    search = tk.get_action("package_search")

    def search_page(page):
        return search(common.site_context(), {"rows": page_size, "start": (page - 1) * page_size,
                                              "sort": "metadata_modified desc"})

    total = search(common.site_context(), {"rows": 0})["count"]
    print(f"\n== catalog endpoint: {total} datasets, pages of {page_size}, pages 1..{pages}, "
          f"{runs} rounds (ms per page, turtle unless named)")
    search_page(1)
    stock_page(1)  # warm-up (caches, rdflib plugins)
    baselines = {"package_search": _rounds(search_page, pages, runs),
                 "stock": _rounds(stock_page, pages, runs)}
    common.report("baseline: package_search only", baselines["package_search"])
    common.report("baseline: ckanext-dcat euro_dcat_ap_2", baselines["stock"])

    record_store.clear()
    started = time.perf_counter()
    counts = record_warm.build({record_warm.EVERYTHING})
    took = time.perf_counter() - started
    print(f"background build (jobs worker): {counts['read']} datasets x {len(record_warm.profiles())} profiles "
          f"x 3 formats in {took:.1f} s = {took * 1000 / max(1, counts['read']):.1f} ms per dataset")
    _compact_store()
    size = record_store.size()
    print(f"record cache: {size['rows']} texts of {size['datasets']} datasets, {size['text_bytes'] / 1e6:.1f} MB "
          f"of text, {size['disk_bytes'] / 1e6:.1f} MB on disk (table, TOAST, index) = "
          f"{size['disk_bytes'] / 1e3 / max(1, size['datasets']):.1f} kB per dataset")

    stock_p50 = common.percentiles(baselines["stock"])[0]
    for profile in ("sca_dcatap_de", "sca_dcatap_de_3"):
        print(f"-- {profile}")
        catalog_page(profile, 1)  # loads the profile code once
        with tk_config("ckanext.smartcityatlas.dcat.record_cache", False):
            common.report("uncached (every dataset built)", _rounds(lambda p: catalog_page(profile, p), pages, 1))
        stored = _built_at()
        cold = _cold_in_fresh_processes(ini, profile, pages, runs)
        common.report("cold (new process, texts stored)", cold)
        warm = {fmt: _rounds(lambda p, fmt=fmt: catalog_page(profile, p, fmt), pages, runs)
                for fmt in ("turtle", "rdf", "jsonld")}
        common.report("warm", warm["turtle"])
        common.report("warm, RDF/XML", warm["rdf"])
        common.report("warm, JSON-LD", warm["jsonld"])
        rebuilt = sum(1 for before, after in zip(stored, _built_at()) if before != after)
        print(f"{'texts built during cold and warm runs':<38} {rebuilt}")
        print(f"{'stock / ours':<38} cold {stock_p50 / common.percentiles(cold)[0]:.1f}x, "
              f"warm {stock_p50 / common.percentiles(warm['turtle'])[0]:.1f}x")
        empty = _rounds(lambda p: catalog_page(profile, p), pages, 1, before=record_store.clear)
        common.report("empty store (all built on first use)", empty)
        record_warm.build({record_warm.EVERYTHING})
        breakdown(profile, page_size)


@contextlib.contextmanager
def tk_config(key: str, value):
    import ckan.plugins.toolkit as tk

    old = tk.config.get(key)
    tk.config[key] = value
    try:
        yield
    finally:
        tk.config[key] = old


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
    for profile, shape_profile in (("sca_dcatap_de", "v2.0-spec-konventionen"), ("sca_dcatap_de_3", "v3.0-spec")):
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
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    parser.add_argument("--cold-page", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        if args.cold_child:
            cold_child(args.cold_child, args.cold_page, args.page_size)
            return
        search_baseline.load(args.count)
        if args.only != "shacl":
            bench_catalog(args.ini, args.count, args.page_size, args.runs)
        if args.only != "catalog":
            import ckan.plugins.toolkit as tk

            tk.config["ckanext.dcat.datasets_per_page"] = max(args.page_size, args.shacl_sample)
            bench_shacl(args.shacl_sample)


if __name__ == "__main__":
    main()
