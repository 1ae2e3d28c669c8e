#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Quality scores for 5,000 datasets: the first computation, an incremental
one, the scheduler's staleness pass, and the dashboard's response time.

    deploy/sca bench quality [--datasets 5000] [--runs 50]

Uses the bench instance's generated DCAT-AP.de datasets (loaded by
bench/search_baseline.py if missing). Figures, each next to a baseline
measured in the same run:

- first run: validate and score every dataset from scratch
  (``record_checks.recheck``: read the record, DCAT-AP.de validation,
  score, store) vs reading the record alone (``package_show``);
- incremental: rescoring from the stored findings (what a save costs once
  the record is read; validation is what ``recheck`` adds on top);
- the scheduler's staleness pass over all stored scores;
- ``/dashboard/quality`` and ``sca_quality_list`` as a sysadmin who sees all
  5,000 (the page also counts the summary over all of them) vs a bare
  ``package_search`` of 50 rows.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import search_baseline  # noqa: E402


def _per_record(label: str, fn, ids: list[str]) -> list[float]:
    from ckan import model

    samples = []
    started = time.perf_counter()
    for i, package_id in enumerate(ids):
        t = time.perf_counter()
        fn(package_id)
        samples.append((time.perf_counter() - t) * 1000)
        if i % 100 == 99:
            model.Session.commit()
    model.Session.commit()
    took = time.perf_counter() - started
    p50, p95 = common.percentiles(samples)
    print(f"{label:<46} {len(ids)} in {took:6.1f} s = {len(ids) / took:6.1f}/s   p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        search_baseline.load(args.datasets)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    with flask_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan import model

        from ckanext.smartcityatlas.quality import dataset_quality, record_checks
        from ckanext.smartcityatlas.quality import conformance

        ids = [r.id for r in model.Session.query(model.Package.id).filter(
            model.Package.type == "dataset", model.Package.state == "active",
            model.Package.name.like("bench-%")).order_by(model.Package.name).limit(args.datasets)]
        print(f"{len(ids)} generated datasets\n")

        _per_record("baseline: package_show (read the record)", conformance.package_dict, ids)
        _per_record("first run: read + validate + score + store", record_checks.recheck, ids)

        def rescore(package_id):
            found = conformance.stored_findings(package_id)
            dataset_quality.score_and_store(conformance.package_dict(package_id),
                                            found["status"] if found else None)

        _per_record("incremental: read + score from stored findings", rescore, ids)

        started = time.perf_counter()
        flipped = record_checks.refresh_staleness()
        print(f"{'staleness pass (scheduler task)':<46} {len(ids)} scores in "
              f"{time.perf_counter() - started:6.2f} s, {flipped} changed\n")

        sysadmin = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        api_token = tk.get_action("api_token_create")(
            {"user": sysadmin, "ignore_auth": True}, {"user": sysadmin, "name": "bench-quality"})["token"]
        context = {"user": sysadmin}

        def quality_list():
            tk.get_action("sca_quality_list")(dict(context), {"limit": 50})

        def package_search():
            tk.get_action("package_search")(dict(context), {"rows": 50, "include_private": True,
                                                             "fq": "+dataset_type:dataset"})

        base = common.timed(package_search, args.runs)
        listing = common.timed(quality_list, args.runs)

    # pages through the WSGI app, outside the request context above (its
    # cached anonymous user would answer every request)
    client = flask_app.test_client()
    headers = {"Authorization": api_token}

    def get(path):
        def run():
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
        return run

    b50, b95 = common.percentiles(base)
    for name, samples in (
            ("/dashboard/quality (page)", common.timed(get("/dashboard/quality"), args.runs, warmup=2)),
            ("sca_quality_list (50 rows)", listing),
            ("/dashboard/quality.csv (all rows)", common.timed(get("/dashboard/quality.csv"),
                                                              max(5, args.runs // 5), warmup=1))):
        p50, p95 = common.percentiles(samples)
        print(f"{name:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   | package_search (50 rows) "
              f"p50 {b50:6.1f}  p95 {b95:6.1f}")


if __name__ == "__main__":
    main()
