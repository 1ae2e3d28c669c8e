#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sca-bench-instance: harvest
"""Our RDF harvester (``sca_dcat_rdf``) next to ckanext-dcat's stock
``dcat_rdf_harvester`` on the same generated DCAT-AP.de catalog, same run,
same configuration, DCAT-AP.de validation on save for both.

    deploy/sca bench harvest_compare [--count 5000] [--page-size 1000]
                                     [--order stock,ours] [--dump FILE]
                                     [--sql [--sql-callers]] [--profile FILE]
    deploy/sca bench harvest_compare --count 300     # quick try (about a minute)

The bench instance ``harvest`` starts empty on every run (own database, Solr
core and Redis database). Steps:

1. ``generator_catalog.pages`` writes a catalog of ``--count`` datasets in
   Turtle, Hydra-paged (``--page-size`` per page), with varied licences,
   formats, themes, dates and the usual repairs; a local HTTP server on
   127.0.0.1 serves it (allowed with ``allowed_networks`` for this run, as
   a sysadmin would for an intranet catalogue).
2. One configuration for both: the bench ini plus ``dcat_rdf_harvester``
   in ``ckan.plugins``. The stock harvester reads RDF with the profiles of
   ``ckanext.dcat.rdf.profiles``, i.e. the portal's ``sca_dcatap_de``, the same
   profile our harvester maps with; so its dicts carry the codes the dataset
   schema (ckanext-scheming) accepts. The on-save validation hook
   (``ckanext.smartcityatlas.validation.on_save``, on by default) runs for
   every dataset either harvester saves.
3. A warm-up job of each harvester on a 20-record catalog (imports, SHACL
   shapes compiled once, first connections), then the timed jobs, each run
   in-process like ckanext-harvest's tests do: ``queue.gather_stage``, then
   ``queue.fetch_and_import_stages`` for every object, then
   ``harvest_jobs_run``. Jobs run in ``--order`` (default: the stock one
   first, so ours runs on the database with the stock datasets in it).
4. Each job must end with every record searchable: ``package_search`` with
   ``harvest_source_id`` counts exactly ``--count`` datasets right after the
   job (no waiting), and no harvest object may have failed; otherwise the
   bench exits with an error.
5. An unchanged re-harvest of ours (every record "not modified"), right
   after its first job.

Figures: datasets/s per job (``--count`` / wall-clock time of the job from
gather to ``harvest_jobs_run`` done), the ratio ours/stock, the CPU time of
the bench process in the job (less sensitive to other load on the machine;
PostgreSQL and Solr not included) and of our harvester's worker process
(``harvesters/worker.py``: it builds the next records ahead and validates the
saved ones on the second core; how many records it built ahead), and where
the time goes (in the bench process: the worker's work counts only as far
as the import waits for it, for a record built ahead in "map", for findings
in "validate"). The breakdown wraps the functions involved with wall-clock
timers (no profiler; a timer costs about a microsecond). Each phase counts
its own time only: a phase called inside another is subtracted from the
outer one, so the phases and "other" add up to the job's time.

- fetch: downloading the pages (ours: ``common.fetch.fetch``; stock:
  ``DCATHarvester._get_content_and_type``);
- parse: rdflib parsing (``rdflib.Graph.parse``) and, in our gather,
  cutting each record out of the page (``dcat_rdf._subgraph``,
  ``Graph.serialize``);
- map: RDF → dataset dict (``RDFParser.datasets``, i.e. the ``sca_dcatap_de``
  profile, for both; ours also ``repair_graph`` and ``to_schema``, and
  taking a record its worker built ahead, ``harvest.worker.built``);
- validate: the portal's on-save hook (``record_checks.on_saved``: record
  read, DCAT-AP.de SHACL validation, quality score, both stored; our
  harvester runs the same checks after the save on the record it reads for
  the index, ``harvesters.validation.check_saved``, with the SHACL
  validation in its worker while it indexes, ``start_checks``) and our
  harvester's reading of the stored findings (``harvesters.validation``);
- create/update: ``package_create``/``package_update`` without the above
  and below (CKAN's schema validation, database writes);
- index: ``package_show_default_and_custom_schemas`` (the dicts CKAN 2.12
  indexes), ``PackageSearchIndex.index_package`` (Solr add, and the commit
  with ``ckan.search.solr_commit``) and ``PackageSearchIndex.commit``;
- read: the other ``package_show`` calls (the harvester's own, e.g. "does
  the dataset exist", and the activity stream's snapshot of every saved
  dataset, which runs right after the action);
- db commit: ``Session.commit`` (PostgreSQL), wherever called;
- other: the rest (harvest objects, duplicate and unchanged checks, names).

``--sql`` prints each timed job's SQL statements by total time (with
``--sql-callers``: by statement and the code that sent it); ``--profile
FILE`` writes cProfile statistics of ours' timed job (it runs slower then).

``--dump FILE`` writes our harvested datasets as stored after the first job
(without times), their stored findings, job report notes and field hashes
as JSON, to compare two versions of the harvester (``--only-ours`` skips
the stock harvester for that).
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generator_catalog  # noqa: E402

PHASES = ("fetch", "parse", "map", "validate", "create/update", "index", "read", "db commit")
# package_show inside these phases belongs to them (the index and the
# validation hook read the record; that is part of their cost)
READ_OWNERS = ("validate", "index")


class Clock:
    """Exclusive wall-clock time per phase (nested phases are subtracted)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self.calls = dict.fromkeys(PHASES, 0)
        self.stack: list[list] = []  # [phase, started, child seconds]

    @contextlib.contextmanager
    def phase(self, name: str):
        top = self.stack[-1][0] if self.stack else None
        if top == name or (name == "read" and top in READ_OWNERS) or (name == "read" and top is not None
                                                                        and top != "create/update"):
            yield  # counted by the phase around it
            return
        frame = [name, time.perf_counter(), 0.0]
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            took = time.perf_counter() - frame[1]
            self.seconds[name] += took - frame[2]
            self.calls[name] += 1
            if self.stack:
                self.stack[-1][2] += took

    def wrap(self, owner, attr: str, name: str, generator: bool = False) -> None:
        original = getattr(owner, attr)
        clock = self

        if generator:
            @functools.wraps(original)
            def timed(*args, **kwargs):
                it = original(*args, **kwargs)
                while True:
                    with clock.phase(name):
                        try:
                            item = next(it)
                        except StopIteration:
                            return
                    yield item
        else:
            @functools.wraps(original)
            def timed(*args, **kwargs):
                with clock.phase(name):
                    return original(*args, **kwargs)
        setattr(owner, attr, timed)


CLOCK = Clock()


def instrument() -> None:
    import rdflib
    import sqlalchemy.orm

    from ckan import logic
    from ckan.lib.search.index import PackageSearchIndex
    from ckanext.dcat.harvesters.base import DCATHarvester
    from ckanext.dcat.processors import RDFParser

    from ckanext.smartcityatlas.harvesters import worker as harvest_worker
    from ckanext.smartcityatlas.common import fetch
    from ckanext.smartcityatlas.harvesters import dcat_rdf
    from ckanext.smartcityatlas.harvesters import checks
    from ckanext.smartcityatlas.quality import record_checks

    CLOCK.wrap(fetch, "fetch", "fetch")
    CLOCK.wrap(DCATHarvester, "_get_content_and_type", "fetch")
    CLOCK.wrap(rdflib.Graph, "parse", "parse")
    CLOCK.wrap(rdflib.Graph, "serialize", "parse")
    CLOCK.wrap(dcat_rdf, "_subgraph", "parse")
    CLOCK.wrap(RDFParser, "datasets", "map", generator=True)
    CLOCK.wrap(dcat_rdf, "repair_graph", "map")
    CLOCK.wrap(dcat_rdf, "to_schema", "map")
    CLOCK.wrap(harvest_worker, "built", "map")
    CLOCK.wrap(record_checks, "on_saved", "validate")
    CLOCK.wrap(checks, "after_save", "validate")
    CLOCK.wrap(checks, "start_checks", "validate")
    CLOCK.wrap(checks, "check_saved", "validate")
    CLOCK.wrap(checks, "validate", "validate")
    CLOCK.wrap(logic, "package_show_default_and_custom_schemas", "index")
    CLOCK.wrap(PackageSearchIndex, "index_package", "index")
    CLOCK.wrap(PackageSearchIndex, "commit", "index")
    CLOCK.wrap(sqlalchemy.orm.Session, "commit", "db commit")
    for action, name in (("package_create", "create/update"), ("package_update", "create/update"),
                         ("package_show", "read")):
        original = logic._actions[action]
        logic._actions[action] = _timed_action(original, name)


class SQLStats:
    """Time and count of each SQL statement (by its text) the bench process sends."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.active = False
        self.callers = False

    def install(self) -> None:
        import sqlalchemy as sa

        stats = self

        @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("sca_started", []).append(time.perf_counter())

        @sa.event.listens_for(sa.engine.Engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):
            took = time.perf_counter() - conn.info["sca_started"].pop()
            if stats.active:
                key = " ".join(statement.split())[:160]
                if stats.callers:
                    key = f"{key[:90]} <- {_callers()}"
                stats.seconds[key] = stats.seconds.get(key, 0.0) + took
                stats.calls[key] = stats.calls.get(key, 0) + 1

    def print(self, label: str, count: int, top: int = 40) -> None:
        total = sum(self.seconds.values())
        print(f"\nSQL of {label}: {sum(self.calls.values())} statements ({sum(self.calls.values()) / count:.1f} "
              f"per dataset), {total:.1f} s; the {top} slowest in total:")
        for key, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {seconds:7.1f} s {self.calls[key]:7d}x {seconds * 1e3 / self.calls[key]:6.2f} ms  {key}")
        self.seconds.clear()
        self.calls.clear()


SQL = SQLStats()


def _callers(depth: int = 4) -> str:
    """The nearest frames outside SQLAlchemy (who sent the statement)."""
    import traceback

    frames = [f for f in traceback.extract_stack()[:-3]
              if "/sqlalchemy/" not in f.filename and not f.filename.endswith("harvest_compare.py")]
    return " < ".join(f"{Path(f.filename).parent.name}/{Path(f.filename).name}:{f.lineno}"
                      for f in reversed(frames[-depth:]))


def _timed_action(original, name):
    @functools.wraps(original)
    def timed(context, data_dict):
        with CLOCK.phase(name):
            return original(context, data_dict)
    # keep what CKAN reads from action functions (auth_audit_exempt, side_effect_free, …)
    timed.__dict__.update(getattr(original, "__dict__", {}))
    return timed


# ---- the catalog server ----------------------------------------------------------

class CatalogServer:
    def __init__(self):
        self.pages: dict[str, bytes] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, body: bool):
                page = server.pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                if body:
                    self.wfile.write(page)

            def do_GET(self):
                self._answer(True)

            def do_HEAD(self):  # the stock harvester asks HEAD first
                self._answer(False)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add_catalog(self, prefix: str, count: int, page_size: int, seed: int, kind: str) -> dict:
        pages, info = generator_catalog.pages(count, page_size, self.base, prefix=prefix, seed=seed, kind=kind)
        self.pages.update(pages)
        return info


# ---- harvesting ---------------------------------------------------------------------

def setup(context: dict) -> dict:
    import ckan.plugins.toolkit as tk

    org = tk.get_action("organization_create")(dict(context), {
        "name": "stadt-musterstadt", "title": "Landeshauptstadt Musterstadt"})
    return org


def create_source(context: dict, org: dict, name: str, url: str, source_type: str) -> dict:
    import ckan.plugins.toolkit as tk

    # ckanext-harvest logs an error while the source's own dataset is being created
    quiet = logging.getLogger("ckanext.harvest.plugin")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        return tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": f"Katalog Musterstadt ({name})", "url": url, "source_type": source_type,
            "owner_org": org["id"], "frequency": "MANUAL", "config": "{}"})
    finally:
        quiet.level = level


def run_job(source: dict, harvester, profile: str | None = None) -> dict:
    """One job in-process: gather, fetch+import of every object, harvest_jobs_run.
    ``profile``: write cProfile statistics of the job to this file."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    from ckanext.smartcityatlas.harvesters import worker as harvest_worker

    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    workers_before, forks_before = set(harvest_worker.cpu_seconds), harvest_worker.forks
    ahead_before = harvest_worker.taken_ahead
    CLOCK.reset()
    started, cpu = time.perf_counter(), time.process_time()
    SQL.active = True
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(harvester, job)
    if not isinstance(ids, list):
        ids = []
    gathered = time.perf_counter()
    for obj_id in ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    imported = time.perf_counter()
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {"source_id": source["id"]})
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    SQL.active = False
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    phases = dict(CLOCK.seconds)
    CLOCK.reset()
    model.Session.remove()
    report = tk.get_action("harvest_job_report")({"ignore_auth": True}, {"id": job.id})
    job_row = tk.get_action("harvest_job_show")({"ignore_auth": True}, {"id": job.id})
    worker_cpu = sum(v for pid, v in harvest_worker.cpu_seconds.items() if pid not in workers_before)
    return {"job": job.id, "status": job_row["status"], "objects": len(ids), "seconds": took, "cpu": cpu,
            "worker_cpu": worker_cpu, "worker_forks": harvest_worker.forks - forks_before,
            "built_ahead": harvest_worker.taken_ahead - ahead_before,
            "gather": gathered - started, "import": imported - gathered, "phases": phases,
            "stats": job_row.get("stats") or {}, "errors": _object_errors(report),
            "gather_errors": [e["message"] for e in report.get("gather_errors") or []]}


def _object_errors(report: dict) -> list[str]:
    out = []
    for obj in (report.get("object_errors") or {}).values():
        for error in obj.get("errors") or []:
            out.append(f"{obj.get('guid')}: {error.get('message')}"[:300])
    return out


def searchable(source_id: str) -> int:
    import ckan.plugins.toolkit as tk

    return tk.get_action("package_search")({"ignore_auth": True}, {
        "fq": f"+harvest_source_id:{source_id}", "rows": 0, "include_private": True})["count"]


def check(label: str, result: dict, source_id: str, expected: int) -> int:
    found = searchable(source_id)
    failed = [e for e in result["errors"]]
    problems = []
    if found != expected:
        problems.append(f"{found} of {expected} datasets searchable right after the job")
    if result["gather_errors"]:
        problems.append(f"gather errors: {result['gather_errors'][:3]}")
    if failed:
        problems.append(f"{len(failed)} object errors, e.g. {failed[:3]}")
    if result["status"] != "Finished":
        problems.append(f"job status {result['status']}")
    if problems:
        sys.exit(f"FAILED ({label}): " + "; ".join(problems))
    return found


def print_job(label: str, result: dict, count: int) -> None:
    seconds = result["seconds"]
    stats = ", ".join(f"{k} {v}" for k, v in sorted(result["stats"].items()) if v)
    print(f"{label:<34} {count} datasets in {seconds:7.1f} s = {count / seconds:6.1f} datasets/s"
          f"   (gather {result['gather']:5.1f} s, import {result['import']:6.1f} s; CPU of this process "
          f"{result['cpu']:6.1f} s"
          + (f", of its worker process {result['worker_cpu']:5.1f} s ({result['worker_forks']} forked, "
             f"{result['built_ahead']} records built ahead)" if result["worker_forks"] else "") + f"; {stats})")


def print_breakdown(results: list[tuple[str, dict]], count: int) -> None:
    print("\nwhere the time goes (s; ms per dataset in brackets)")
    print(f"{'phase':<15}" + "".join(f"{label:>29}" for label, _ in results))
    for phase in PHASES + ("other",):
        row = f"{phase:<15}"
        for _label, result in results:
            if phase == "other":
                seconds = result["seconds"] - sum(result["phases"].values())
            else:
                seconds = result["phases"][phase]
            row += f"{seconds:15.1f} ({seconds * 1000 / count:6.1f} ms) {seconds / result['seconds']:4.0%}"
        print(row)
    row = f"{'total':<15}"
    for _label, result in results:
        row += f"{result['seconds']:15.1f} ({result['seconds'] * 1000 / count:6.1f} ms) 100%"
    print(row)


def stored_summary(source_id: str) -> dict:
    """What each harvester stored, to see that both did the same work."""
    from ckan import model
    import sqlalchemy as sa

    row = model.Session.execute(sa.text(
        "SELECT count(*), "
        "count(*) FILTER (WHERE p.extras ? 'spatial'), "
        "count(*) FILTER (WHERE p.extras ? 'temporal_start'), "
        "count(*) FILTER (WHERE p.extras ? 'contact_email'), "
        "(SELECT count(*) FROM resource r JOIN package q ON q.id = r.package_id "
        "   WHERE q.extras->>'sca_harvest_source' = :source OR q.id IN ("
        "   SELECT package_id FROM harvest_object WHERE harvest_source_id = :source)) "
        "FROM package p WHERE p.id IN (SELECT package_id FROM harvest_object WHERE harvest_source_id = :source) "
        "AND p.state = 'active'"), {"source": source_id}).first()
    found = model.Session.execute(sa.text(
        "SELECT v.status, count(*) FROM sca_validation v WHERE v.package_id IN "
        "(SELECT package_id FROM harvest_object WHERE harvest_source_id = :source) GROUP BY v.status"),
        {"source": source_id}).all()
    return {"datasets": row[0], "with spatial": row[1], "with temporal": row[2], "with contact e-mail": row[3],
            "resources": row[4], "validation": dict(sorted(found))}


def dump(path: str, source_id: str) -> None:
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckanext.harvest.model import HarvestObject
    from ckanext.smartcityatlas.quality import conformance

    volatile = {"metadata_modified", "metadata_created", "sca_harvested_at", "harvest_object_id",
                "revision_id", "harvest"}
    ids = sorted({r[0] for r in model.Session.query(HarvestObject.package_id).filter(
        HarvestObject.harvest_source_id == source_id, HarvestObject.current == True)})  # noqa: E712
    out = {}
    for package_id in ids:
        pkg = tk.get_action("package_show")({"ignore_auth": True, "use_cache": False}, {"id": package_id})
        pkg = {k: v for k, v in pkg.items() if k not in volatile}
        for res in pkg.get("resources") or []:
            for key in ("metadata_modified", "created", "last_modified"):
                res.pop(key, None)
        pkg.pop("organization", None)
        found = conformance.stored_findings(package_id) or {}
        pkg["_validation"] = {k: found.get(k) for k in ("status", "violations", "warnings")}
        obj = model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id,
                                                        HarvestObject.current == True).first()  # noqa: E712
        extras = {e.key: e.value for e in obj.extras}
        pkg["_report"] = sorted(json.loads(extras.get("sca_report") or "[]"), key=json.dumps)
        pkg["_hashes"] = {"content": extras.get("sca_content_hash"),
                          "fields": json.loads(extras.get("sca_field_hashes") or "{}")}
        pkg["_object"] = {"state": obj.state, "report_status": obj.report_status}
        out[pkg["sca_original_uri"] or package_id] = pkg
    Path(path).write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False, default=str))
    print(f"wrote {len(out)} datasets to {path}")


def load_app(ini: str):
    """The bench ini plus ckanext-dcat's stock RDF harvester and the local catalog server allowed."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    config = load_config(ini)
    plugins = config["ckan.plugins"].split()
    if "dcat_rdf_harvester" not in plugins:
        plugins.append("dcat_rdf_harvester")
    config["ckan.plugins"] = " ".join(plugins)
    config["ckanext.smartcityatlas.harvest.allowed_networks"] = "127.0.0.1/32"
    app = make_app(config)
    return app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--order", default="stock,ours", choices=["stock,ours", "ours,stock"])
    parser.add_argument("--dump", help="write our harvested datasets as stored (JSON) to this file")
    parser.add_argument("--profile", metavar="FILE",
                        help="write cProfile statistics of ours' timed job to FILE (slows it down; "
                             "read with python -m pstats FILE)")
    parser.add_argument("--sql", action="store_true",
                        help="print the SQL statements of each timed job by total time")
    parser.add_argument("--sql-callers", action="store_true",
                        help="with --sql: by statement and the code that sent it (slower)")
    parser.add_argument("--only-ours", action="store_true",
                        help="skip the stock harvester (to compare two versions of ours quickly)")
    args = parser.parse_args()

    logging.getLogger().setLevel(logging.WARNING)
    flask_app = load_app(args.ini)
    for name in ("ckan", "ckanext"):  # one line per dataset would drown the figures
        logging.getLogger(name).setLevel(logging.WARNING)
    with flask_app.test_request_context():
        run(args)


def run(args) -> None:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk

    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    org = setup(context)
    server = CatalogServer()
    harvesters = {"ours": ("sca_dcat_rdf", p.get_plugin("sca_dcat_rdf")),
                  "stock": ("dcat_rdf", p.get_plugin("dcat_rdf_harvester"))}
    labels = {"ours": "ours (sca_dcat_rdf)", "stock": "stock (dcat_rdf_harvester)"}

    # the same records for both, under an address per harvester (one URL, one source)
    started = time.perf_counter()
    warm = {k: server.add_catalog(f"/{k}/warmup", 20, 20, seed=1, kind="warm") for k in harvesters}
    catalogs = {k: server.add_catalog(f"/{k}/catalog", args.count, args.page_size, seed=20261126, kind="ds")
                for k in harvesters}
    info = catalogs["ours"]
    print(f"catalog: {args.count} datasets, {info['pages']} Turtle pages of {args.page_size}, "
          f"{info['bytes'] / 1e6:.1f} MB, {info['repairs']} values to repair; generated twice in "
          f"{time.perf_counter() - started:.1f} s; served on {server.base}")
    print(f"machine: {os.cpu_count()} cores, load {_load()}; validation on save: "
          f"{tk.asbool(tk.config.get('ckanext.smartcityatlas.validation.on_save'))} "
          f"({tk.config.get('ckanext.smartcityatlas.validation.profile')}); "
          f"RDF profiles: {tk.config.get('ckanext.dcat.rdf.profiles')}; "
          f"solr_commit: {tk.config.get('ckan.search.solr_commit')}")

    instrument()
    if args.sql:
        SQL.install()
        SQL.callers = args.sql_callers
    order = ["ours"] if args.only_ours else args.order.split(",")
    for key in order:  # warm-up: imports, compiled shapes, connections
        source_type, harvester = harvesters[key]
        source = create_source(context, org, f"warmup-{key}", warm[key]["first"], source_type)
        result = run_job(source, harvester)
        check(f"warm-up {key}", result, source["id"], 20)
    print(f"warm-up: 20 datasets with each harvester\n")

    results, sources = {}, {}
    for key in order:
        source_type, harvester = harvesters[key]
        sources[key] = create_source(context, org, f"katalog-{key}", catalogs[key]["first"], source_type)
        results[key] = run_job(sources[key], harvester, args.profile if key == "ours" else None)
        check(labels[key], results[key], sources[key]["id"], args.count)
        print_job(labels[key], results[key], args.count)
        if args.sql:
            SQL.print(labels[key], args.count)
        if key == "ours":
            if args.dump:
                dump(args.dump, sources["ours"]["id"])
            # right away: the stock harvester takes the "current" flag of any
            # harvest object with the same guid (IRI), whatever its source
            again = reharvest(sources["ours"], harvesters["ours"][1], args.count)
    if "stock" in results:
        ratio = results["stock"]["seconds"] / results["ours"]["seconds"]
        print(f"{'ratio ours / stock (datasets/s)':<34} {ratio:.2f}x (goal: 1.5x)")

    print_breakdown([(labels[k], results[k]) for k in order] + [("ours, re-harvest", again)], args.count)
    print("\nstored (active datasets of each source)")
    for key in order:
        print(f"  {labels[key]:<32} {stored_summary(sources[key]['id'])}")
    print(f"\nmachine load after the run: {_load()}")


def reharvest(source: dict, harvester, count: int) -> dict:
    again = run_job(source, harvester)
    check("re-harvest ours", again, source["id"], count)
    print_job("ours, unchanged re-harvest", again, count)
    not_modified = again["stats"].get("not modified", 0)
    if not_modified != count:
        sys.exit(f"FAILED: the unchanged re-harvest reported {not_modified} of {count} as not modified")
    return again


def _load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return " ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    main()
