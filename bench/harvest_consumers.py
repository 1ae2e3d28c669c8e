#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sca-bench-instance: harvest
"""One DCAT harvest job imported by one fetch consumer, and the same-sized
job by several (``SCA_FETCH_CONSUMERS``), same run.

    deploy/sca bench harvest_consumers [--count 2000] [--consumers 2] [--page-size 1000]

The instance ``harvest`` starts empty. Two generated DCAT-AP.de catalogs of
``--count`` records each (bench/generator_catalog.py, different records)
are served on 127.0.0.1; each gets a ``sca_dcat_rdf`` source. For each job
the gather stage runs in this process, its objects go onto the real Redis
fetch queue, and real consumer processes (``ckan sca harvest-consumer
fetch``, as `deploy/sca up` runs them, started and listening before) import
them. Timed: from queueing the first object to the last object's state
committed. Printed: records/s with 1 and with ``--consumers`` consumers,
the speed-up, how many records each consumer took, and that every record
was imported exactly once.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harvest_compare  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def start_consumers(ini: str, count: int, log_dir: Path, label: str) -> list:
    procs = []
    for n in range(count):
        log = log_dir / f"bench-consumers-{label}-{n}.log"
        log.write_text("")
        out = log.open("ab")
        proc = subprocess.Popen([str(VENV_BIN / "ckan"), "-c", ini, "sca", "harvest-consumer", "fetch"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append((proc, log, out))
    deadline = time.monotonic() + 180
    for proc, log, _ in procs:
        while "consumer listening on" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"a fetch consumer did not start; see {log}")
            time.sleep(0.3)
    return procs


def stop_consumers(procs) -> list[int]:
    taken = []
    for proc, log, out in procs:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        out.close()
        taken.append(len(re.findall(r"Received harvest object id", log.read_text(errors="replace"))))
    return taken


def job_with_consumers(ini: str, source: dict, consumers: int, log_dir: Path, label: str) -> dict:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    queue.get_connection().delete(queue.get_fetch_routing_key())
    procs = start_consumers(ini, consumers, log_dir, label)
    try:
        job = HarvestJob(source=HarvestSource.get(source["id"]))
        job.status = "Running"
        job.save()
        gather_started = time.perf_counter()
        ids = queue.gather_stage(p.get_plugin("sca_dcat_rdf"), job)
        gather = time.perf_counter() - gather_started
        started = time.perf_counter()
        publisher = queue.get_fetch_publisher()
        for object_id in ids:
            publisher.send({"harvest_object_id": object_id})
        publisher.close()
        while True:
            model.Session.remove()
            left = model.Session.query(HarvestObject).filter(
                HarvestObject.harvest_job_id == job.id,
                HarvestObject.state.in_(("WAITING", "FETCH", "IMPORT"))).count()
            if not left:
                break
            if any(proc.poll() is not None for proc, _, _ in procs):
                raise SystemExit("a fetch consumer died; see its log in " + str(log_dir))
            time.sleep(0.2)
        took = time.perf_counter() - started
    finally:
        taken = stop_consumers(procs)
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})
    report = tk.get_action("sca_harvest_job_report")({"ignore_auth": True}, {"id": job.id})
    errored = [r for r in report["records"] if r["status"] == "errored"]
    packages = {r["package_id"] for r in report["records"] if r["package_id"]}
    return {"objects": len(ids), "gather": gather, "import": took, "taken": taken,
            "errored": len(errored), "packages": len(packages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--consumers", type=int, default=2)
    args = parser.parse_args()

    flask_app = harvest_compare.load_app(args.ini)
    log_dir = Path(args.ini).parent / "log"
    with flask_app.test_request_context():
        import ckan.plugins.toolkit as tk

        from ckanext.smartcityatlas.harvesters import worker

        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": user["name"], "ignore_auth": True}
        server = harvest_compare.CatalogServer()
        org = harvest_compare.setup(context)
        results = {}
        for n, label in ((1, "one"), (args.consumers, "many")):
            server.add_catalog(f"/{label}", args.count, args.page_size, seed=20261206 + n, kind=f"c{n}")
            source = harvest_compare.create_source(context, org, f"consumers-{label}",
                                                   f"{server.base}/{label}-p1.ttl", "sca_dcat_rdf")
            results[n] = job_with_consumers(args.ini, source, n, log_dir, label)
            r = results[n]
            print(f"{n} consumer(s): {r['objects']} records imported in {r['import']:.1f} s = "
                  f"{r['objects'] / r['import']:.1f} records/s (gather {r['gather']:.1f} s); "
                  f"taken per consumer {r['taken']}; datasets {r['packages']}, errored {r['errored']}")
            if r["packages"] != args.count or r["errored"] or sum(r["taken"]) != r["objects"]:
                raise SystemExit("not every record was imported exactly once")
        worker.stop()
    one, many = results[1], results[args.consumers]
    print(f"\nspeed-up with {args.consumers} consumers: "
          f"{(many['objects'] / many['import']) / (one['objects'] / one['import']):.2f}x "
          f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
