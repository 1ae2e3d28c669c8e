#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sca-bench-instance: load
"""The portal under many visitors at once: the production server (gunicorn,
deploy/gunicorn.conf.py) next to CKAN's development server, same data,
same mix, same run.

    deploy/sca bench load [--clients 50] [--seconds 60] [--warmup 30]
                          [--limiter bypass|exercise] [--servers gunicorn,dev]
                          [--workers N] [--threads N] [--datasets 1000]

Data (instance ``load``, loaded once, idempotently): the city's demo atlas
(``ckan sca demo-load``), its example Smart-City-Radar (``ckan sca
radar-demo``) and ``--datasets`` generated datasets (bench/search_baseline.py),
i.e. a city portal at launch.

Each server is started on a free port of 127.0.0.1 with the instance's ini,
warmed up for ``--warmup`` seconds (not counted; 30 s by default, because
Solr's JVM compiles its hot paths under the first server's warm-up: with
10 s the server measured first paid for it, 3.7 instead of 2.1 ms of Solr
CPU per request), then ``--clients``
concurrent clients (threads) send requests without pause for ``--seconds``
seconds, each request picking one of the mix below at random:

- ``sca_search``: atlas search, free text + facets (Action API)
- ``package_search``: free text with facets organization/tags/res_format/license_id
- ``/atlas/geojson``: the map data (gzip accepted, as browsers do)
- ``sca_match``: partners for a random project of the demo
- ``/atlas``: the atlas page
- actor page: a random actor of the demo
- ``/dataset/``: the dataset list, pages 1–3
- ``/catalog.ttl``: the DCAT-AP.de catalog, first page

Rate limits (platform/rate_limit.py) apply to anonymous callers per client
address. ``--limiter bypass`` (default) gives every client its own address
through a trusted proxy (``X-Forwarded-For``, ``trusted_proxies =
127.0.0.1`` in this run's ini), as 50 visitors behind the city's reverse
proxy would be; ``--limiter exercise`` sends every request from one address,
so the limiter refuses what exceeds the limits. Answers 429 are counted
apart from errors (any other status ≥ 400, timeouts, refused connections).

Printed per server and endpoint: requests, errors, 429s, p50/p95/max in ms;
total throughput; the machine's own parallel speed-up without CKAN
(bench/machine_scaling.py: one process per core over one process alone,
the ceiling of the ratio on this machine); the CPU time each part of the stack used in the run (the
server, Solr, PostgreSQL, Redis, this bench's clients; from /proc), per
request and as a share of the machine's cores; and the production server's
throughput as a multiple of the development server's.
"""
from __future__ import annotations

import argparse
import configparser
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import machine_scaling  # noqa: E402
import search_baseline  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TERMS = ["Verkehr", "Energie", "Mobilität", "Sensor", "Bildung", "Forschung", "Digitalisierung", "Klima",
         "Wasser", "Luftqualität", "Gesundheit", "Verwaltung", "Stadtteil", "Daten", "Beteiligung"]
API_ENDPOINTS = ("sca_search", "package_search", "sca_match")


def prepare_data(ini: str, datasets: int) -> dict:
    """Load the demo atlas, the radar example and generated datasets; return
    the names the mix picks from."""
    ckan = str(VENV_BIN / "ckan")
    for command in (["sca", "demo-load"], ["sca", "radar-demo"]):
        proc = subprocess.run([ckan, "-c", ini, *command], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"ckan {' '.join(command)} failed:\n{proc.stderr[-3000:]}")
        print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else f"ckan {' '.join(command)}: done")
    with common.ckan_app(ini):
        search_baseline.load(datasets)
        import ckan.plugins.toolkit as tk

        def names(dataset_type, field="name"):
            result = tk.get_action("package_search")({"ignore_auth": False}, {
                "fq": f"+dataset_type:{dataset_type}", "rows": 1000, "fl": field})
            return [r[field] for r in result["results"]]

        return {"actors": names("actor"), "projects": names("project", "id")}


def load_ini(ini: str) -> str:
    """This run's ini: the instance's, with the local proxy trusted so that
    clients can be told apart by X-Forwarded-For."""
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # keep option names as written
    parser.read(ini, encoding="utf-8")
    parser.set("app:main", "ckanext.smartcityatlas.rate_limit.trusted_proxies", "127.0.0.1")
    out = Path(ini).with_name("load-bench.ini")
    with out.open("w", encoding="utf-8") as fh:
        parser.write(fh)
    return str(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(kind: str, ini: str, port: int, log: Path, workers: int | None, threads: int | None):
    env = dict(os.environ)
    if kind == "gunicorn":
        env.update(CKAN_INI=ini, SCA_WEB_BIND=f"127.0.0.1:{port}", SCA_WEB_ACCESS_LOG=str(log.with_suffix(".access.log")))
        if workers:
            env["SCA_WEB_WORKERS"] = str(workers)
        if threads:
            env["SCA_WEB_THREADS"] = str(threads)
        command = [str(VENV_BIN / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py")]
        subprocess.run([str(VENV_BIN / "ckan"), "-c", ini, "translation", "js"], capture_output=True, check=True)
    else:
        command = [str(VENV_BIN / "ckan"), "-c", ini, "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader"]
    with log.open("ab") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{kind} exited with {proc.returncode}; see {log}")
        try:
            status, _ = request(port, "/api/3/action/status_show", {}, timeout=5)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"{kind} did not answer within 180 s; see {log}")


def stop_server(proc) -> None:
    try:
        os.killpg(proc.pid, 15)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()


def request(port: int, path: str, headers: dict, timeout: float = 60) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, len(body)
    finally:
        conn.close()


def mix(names: dict):
    """(endpoint, path, accept) pickers of the realistic mix."""
    facets = urllib.parse.quote(json.dumps(["organization", "tags", "res_format", "license_id"]))

    def q(rng):
        return urllib.parse.quote(rng.choice(TERMS))

    return [
        ("sca_search", lambda rng: f"/api/3/action/sca_search?q={q(rng)}&rows=20", "application/json"),
        ("package_search", lambda rng: f"/api/3/action/package_search?q={q(rng)}&rows=20&facet.field={facets}",
         "application/json"),
        ("/atlas/geojson", lambda rng: "/atlas/geojson", "application/geo+json"),
        ("sca_match", lambda rng: f"/api/3/action/sca_match?project_id={rng.choice(names['projects'])}",
         "application/json"),
        ("/atlas", lambda rng: "/atlas", "text/html"),
        ("actor page", lambda rng: f"/actor/{rng.choice(names['actors'])}", "text/html"),
        ("/dataset/", lambda rng: f"/dataset/?page={rng.randint(1, 3)}", "text/html"),
        ("/catalog.ttl", lambda rng: "/catalog.ttl", "text/turtle"),
    ]


def run_load(port: int, endpoints, clients: int, seconds: float, limiter: str, seed: int):
    results: list[tuple[str, object, float]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        # bypass: every client its own address behind the trusted local proxy
        forwarded = {"X-Forwarded-For": f"10.{index // 250}.{index % 250}.{seed % 250 + 1}"} if limiter == "bypass" else {}
        own = []
        while time.monotonic() < deadline:
            name, path, accept = rng.choice(endpoints)
            headers = {"Accept": accept, "Accept-Encoding": "gzip", "Accept-Language": "de", **forwarded}
            started = time.perf_counter()
            try:
                status, _ = request(port, path(rng), headers)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            own.append((name, status, (time.perf_counter() - started) * 1000))
        with lock:
            results.extend(own)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - started


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: str) -> tuple[str, list[str]] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            text = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    # the command name may hold spaces and parentheses: the fields follow the last ")"
    return cmdline, text[text.rindex(")") + 2:].split()


def cpu_by_group(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server (its process group), Solr,
    PostgreSQL (including its reaped backends), Redis and this bench."""
    groups = defaultdict(float)
    for pid in (name for name in os.listdir("/proc") if name.isdigit()):
        found = _proc_stat(pid)
        if found is None:
            continue
        cmdline, fields = found
        own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        reaped = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS  # cutime, cstime
        if int(fields[2]) == server_pid:  # pgrp: started with start_new_session
            # the server's own cutime holds the workers it reaped (recycled by max_requests)
            groups["server"] += own + (reaped if int(pid) == server_pid else 0)
        elif "java" in cmdline and "solr" in cmdline:
            groups["solr"] += own
        elif cmdline.startswith("postgres") or "bin/postgres" in cmdline:
            groups["postgres"] += own + (reaped if "bin/postgres" in cmdline else 0)  # the postmaster
        elif "redis-server" in cmdline:
            groups["redis"] += own
    times = os.times()
    groups["bench client"] = times.user + times.system
    return groups


def worker_count(server_pid: int) -> int:
    """The server's worker processes now (gunicorn's master forks them)."""
    try:
        with open(f"/proc/{server_pid}/task/{server_pid}/children", encoding="utf-8") as f:
            return len(f.read().split())
    except OSError:
        return 0


def print_cpu(before: dict, after: dict, wall: float, requests: int) -> None:
    cores = os.cpu_count() or 1
    used = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in after}
    total = sum(used.values())
    parts = ", ".join(f"{name} {seconds:.1f} s ({seconds * 1000 / max(requests, 1):.1f} ms/request)"
                      for name, seconds in sorted(used.items(), key=lambda item: -item[1]))
    print(f"  CPU in the run: {parts}; together {total:.1f} of {cores * wall:.0f} core-seconds "
          f"({100 * total / (cores * wall):.0f}% of {cores} cores)")


def clear_redis(ini: str) -> None:
    """Forget the response cache and rate-limit windows of an earlier server."""
    with common.ckan_app(ini):
        from ckan.lib.redis import connect_to_redis

        redis = connect_to_redis()
        for pattern in ("sca:cache:*", "sca:ratelimit:*"):
            keys = list(redis.scan_iter(pattern, count=1000))
            for i in range(0, len(keys), 500):
                redis.delete(*keys[i:i + 500])


def summarise(kind: str, results, wall: float) -> dict:
    by_endpoint = defaultdict(list)
    for name, status, ms in results:
        by_endpoint[name].append((status, ms))
    print(f"\n{kind}: {len(results)} requests in {wall:.1f} s = {len(results) / wall:.1f} requests/s")
    print(f"  {'endpoint':<16} {'n':>6} {'errors':>6} {'429':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    figures = {"throughput": len(results) / wall, "errors": 0, "limited": 0, "api_p95": 0.0}
    for name in sorted(by_endpoint):
        rows = by_endpoint[name]
        limited = sum(1 for s, _ in rows if s == 429)
        errors = [s for s, _ in rows if s != 429 and not (isinstance(s, int) and s < 400)]
        times = [ms for s, ms in rows if s != 429]
        p50, p95 = common.percentiles(times) if times else (0.0, 0.0)
        print(f"  {name:<16} {len(rows):>6} {len(errors):>6} {limited:>5} {p50:>8.0f} {p95:>8.0f} "
              f"{max(times, default=0):>8.0f}" + (f"  errors: {sorted(set(map(str, errors)))[:5]}" if errors else ""))
        figures["errors"] += len(errors)
        figures["limited"] += limited
        if name in API_ENDPOINTS:
            figures["api_p95"] = max(figures["api_p95"], p95)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=30)
    parser.add_argument("--limiter", choices=["bypass", "exercise"], default="bypass")
    parser.add_argument("--servers", default="gunicorn,dev", help="comma separated: gunicorn, dev")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (default: its config's)")
    parser.add_argument("--datasets", type=int, default=1000, help="generated datasets besides the demo")
    args = parser.parse_args()

    names = prepare_data(args.ini, args.datasets)
    print(f"data: {len(names['actors'])} actors, {len(names['projects'])} projects, demo + radar + "
          f"{args.datasets} datasets; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    # the ceiling of the ratio on this machine: what its cores do together over one alone
    scaling = machine_scaling.measure()
    machine_scaling.report(scaling)
    ini = load_ini(args.ini)
    endpoints = mix(names)
    log_dir = Path(args.ini).parent / "log"
    log_dir.mkdir(exist_ok=True)
    figures = {}
    for kind in [s.strip() for s in args.servers.split(",") if s.strip()]:
        if kind not in ("gunicorn", "dev"):
            raise SystemExit(f"unknown server {kind!r}: gunicorn or dev")
        clear_redis(ini)
        port = free_port()
        proc = start_server(kind, ini, port, log_dir / f"bench-load-{kind}.log", args.workers, args.threads)
        try:
            if args.warmup > 0:
                run_load(port, endpoints, min(args.clients, 8), args.warmup, "bypass", seed=99)
            cpu_before = cpu_by_group(proc.pid)
            results, wall = run_load(port, endpoints, args.clients, args.seconds, args.limiter, seed=1)
            cpu_after = cpu_by_group(proc.pid)
            workers = worker_count(proc.pid)
        finally:
            stop_server(proc)
        # what ran, also when deploy/gunicorn.conf.py chose (no --workers/--threads)
        label = (f"gunicorn (workers={workers}, threads={args.threads or 'default'}"
                 f"{'' if args.workers or args.threads else ': the defaults'})"
                 if kind == "gunicorn" else "development server (ckan run)")
        figures[kind] = summarise(f"{label}, {args.clients} clients, limiter {args.limiter}", results, wall)
        print_cpu(cpu_before, cpu_after, wall, len(results))
    if "gunicorn" in figures and "dev" in figures:
        g, d = figures["gunicorn"], figures["dev"]
        print(f"\nthroughput gunicorn / development server: {g['throughput']:.1f} / {d['throughput']:.1f} "
              f"= {g['throughput'] / d['throughput']:.2f}x (target >= 1.8x; the machine's {os.cpu_count()} cores "
              f"together: {', '.join(f'{k} {b / a:.2f}x' for k, (a, b) in scaling.items())})")
        print(f"errors: gunicorn {g['errors']}, development server {d['errors']} (target 0); "
              f"429 answers: {g['limited']} / {d['limited']}; "
              f"API p95 under {args.clients} clients: gunicorn {g['api_p95']:.0f} ms (target <= 1000 ms), "
              f"development server {d['api_p95']:.0f} ms")


if __name__ == "__main__":
    main()
