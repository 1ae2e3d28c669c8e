#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""How much more work the machine's cores do together than one core alone:
the ceiling of any multi-process server's throughput over a single-process
one (issue 27's ratio), measured without CKAN.

    python bench/machine_scaling.py [--seconds 4]

Two pure-Python workloads, each first in one process alone, then in one
process per core at the same time (started together, fixed wall time):

- ``loop``: arithmetic in a tight loop (fits the first-level caches);
- ``objects``: what a CKAN request does most: build dicts and lists of
  strings, serialise them to JSON and back, sort (a working set of tens of
  megabytes per process, like a worker's heap, so the shared caches and
  memory bandwidth take part).

Printed per workload: rounds per second of one process alone, of all
processes together, and their quotient (the speed-up; ideal: the number of
cores). On a virtual machine the cores may be hyperthreads or share their
caches with other guests, and the quotient then stays below the core count.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time


def _loop_round() -> None:
    total = 0
    for i in range(200_000):
        total += i * i % 7
    if total < 0:
        raise AssertionError


def _objects_round() -> None:
    records = [{"name": f"record-{i}", "title": f"Datensatz {i} über Luftqualität",
                "tags": [f"tag{i % 37}", f"tag{i % 11}"], "extras": {"district": str(i % 64), "n": i}}
               for i in range(5_000)]
    text = json.dumps(records)
    back = json.loads(text)
    back.sort(key=lambda r: (r["extras"]["district"], r["title"]))


WORKLOADS = {"loop": _loop_round, "objects": _objects_round}


def _run(name: str, seconds: float, start_at: float, out) -> None:
    work = WORKLOADS[name]
    work()  # warm the allocator
    while time.time() < start_at:
        time.sleep(0.001)
    rounds, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        work()
        rounds += 1
    out.put(rounds)


def rounds_per_second(name: str, processes: int, seconds: float) -> float:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.5
    workers = [ctx.Process(target=_run, args=(name, seconds, start_at, out)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    total = sum(out.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def measure(seconds: float = 4.0) -> dict[str, tuple[float, float]]:
    """{workload: (rounds/s of one process, rounds/s of one process per core)}"""
    n = cores()
    return {name: (rounds_per_second(name, 1, seconds), rounds_per_second(name, n, seconds)) for name in WORKLOADS}


def report(figures: dict[str, tuple[float, float]]) -> None:
    n = cores()
    for name, (one, all_) in figures.items():
        print(f"machine scaling, {name:<8}: 1 process {one:7.1f} rounds/s, {n} processes {all_:7.1f} rounds/s "
              f"= {all_ / one:.2f}x (ideal {n:.0f}x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0)
    report(measure(parser.parse_args().seconds))
