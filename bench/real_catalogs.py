#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sca-bench-instance: harvest
"""Import rate of real catalogue exports through ``sca_dcat_rdf``.

    deploy/sca bench real_catalogs [--folder DIR]

Every RDF file of ``--folder`` (default: the real exports of German portals
in ``tests/fixtures/harvest/real/``; point it at any folder of exports you
have, e.g. held-out catalogues of other publishers) is harvested as its own
source (a ``file:`` source of the site user, one page per file) into the
bench instance ``harvest``, which starts empty. Per file and in total:

- upstream: nodes typed ``dcat:Dataset`` in the file (rdflib; for a file that
  does not parse, ``<dcat:Dataset`` / ``a dcat:Dataset`` in its text);
- imported: datasets of the source afterwards (searchable: ``package_search``);
- repaired / degraded / flagged: imported records with at least one note of
  that kind (``sca_harvest_job_report``); flagged records lack something
  DCAT-AP.de requires and are withheld from the DCAT exports;
- elsewhere: records whose ``dct:identifier`` another source of the portal
  harvested already (kept once, as the duplicate rule says; not lost);
- refused: upstream − imported − elsewhere, with the reasons;
- seconds and records/s of the job (gather to ``harvest_jobs_run``).

Speed against the stock harvester is ``bench/harvest_compare.py``.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO / "tests" / "fixtures" / "harvest" / "real"
SUFFIXES = (".rdf", ".xml", ".ttl", ".jsonld", ".nt")
KINDS = {"repaired": ("repair",), "degraded": ("degraded", "unmapped"), "flagged": ("flagged",)}


def upstream(path: Path) -> int:
    import rdflib
    from rdflib.namespace import DCAT, RDF

    try:
        graph = rdflib.Graph().parse(str(path))
        return len(set(graph.subjects(RDF.type, DCAT.Dataset)))
    except Exception:  # noqa: BLE001 - a file that does not parse: count by its text
        text = path.read_text(encoding="utf-8", errors="replace")
        return len(re.findall(r"<dcat:Dataset[\s>]|\ba\s+dcat:Dataset\b", text))


def harvest(context: dict, org: dict, path: Path, number: int) -> dict:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    source = tk.get_action("harvest_source_create")(dict(context), {
        "name": f"real-{number}", "title": path.name, "url": path.as_uri(), "source_type": "sca_dcat_rdf",
        "owner_org": org["id"], "frequency": "MANUAL", "config": '{"max_pages": 1}'})
    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    harvester = p.get_plugin("sca_dcat_rdf")
    started = time.perf_counter()
    ids = queue.gather_stage(harvester, job) or []
    for obj_id in ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {"source_id": source["id"]})
    seconds = time.perf_counter() - started
    model.Session.remove()
    report = tk.get_action("sca_harvest_job_report")({"ignore_auth": True}, {"id": job.id})
    found = tk.get_action("package_search")({"ignore_auth": True}, {
        "fq": f"+harvest_source_id:{source['id']}", "rows": 1000, "include_private": True, "fl": "id"})
    imported = {d["id"] for d in found["results"]}
    kinds = [{n["kind"] for n in r["notes"]} for r in report["records"] if r["package_id"] in imported]
    row = {name: sum(bool(k & set(wanted)) for k in kinds) for name, wanted in KINDS.items()}
    # the same dct:identifier already harvested from another source: in the portal once
    row["elsewhere"] = sum(1 for r in report["records"] if r["package_id"] not in imported
                           and any(n["kind"] == "duplicate" for n in r["notes"]))
    reasons = sorted({n["message"][:160] for r in report["records"] if r["package_id"] not in imported
                      for n in r["notes"] if n["kind"] == "error"}
                     | {m[:160] for m in report["gather"] if not m.startswith(("[repair]", "[warning]"))})
    return {"imported": len(imported), "seconds": seconds, "reasons": reasons, **row}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in SUFFIXES)
    if not files:
        sys.exit(f"no RDF files in {args.folder}")

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    logging.getLogger().setLevel(logging.WARNING)
    app = make_app(load_config(args.ini))
    for name in ("ckan", "ckanext"):
        logging.getLogger(name).setLevel(logging.WARNING)
    flask_app = app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app
    with flask_app.test_request_context():
        import ckan.plugins.toolkit as tk

        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = {"user": user, "ignore_auth": True}
        org = tk.get_action("organization_create")(dict(context), {"name": "reale-kataloge",
                                                                   "title": "Reale Kataloge"})
        head = f"{'file':<48} {'upstream':>8} {'imported':>8} {'repaired':>8} {'degraded':>8} " \
               f"{'flagged':>7} {'elsewhere':>9} {'refused':>7} {'s':>6} {'rec/s':>6}"
        print(head)
        total = {"upstream": 0, "imported": 0, "repaired": 0, "degraded": 0, "flagged": 0, "elsewhere": 0,
                 "seconds": 0.0}
        refusals = []
        for number, path in enumerate(files, 1):
            count = upstream(path)
            row = harvest(context, org, path, number)
            refused = max(0, count - row["imported"] - row["elsewhere"])
            rate = row["imported"] / row["seconds"] if row["seconds"] else 0
            print(f"{path.name[:48]:<48} {count:>8} {row['imported']:>8} {row['repaired']:>8} "
                  f"{row['degraded']:>8} {row['flagged']:>7} {row['elsewhere']:>9} {refused:>7} "
                  f"{row['seconds']:>6.2f} {rate:>6.1f}")
            total["upstream"] += count
            for key in ("imported", "repaired", "degraded", "flagged", "elsewhere", "seconds"):
                total[key] += row[key]
            refusals += [f"{path.name}: {reason}" for reason in row["reasons"]] if refused else []
        present = total["imported"] + total["elsewhere"]
        share = 100 * present / total["upstream"] if total["upstream"] else 0
        print(f"{'total':<48} {total['upstream']:>8} {total['imported']:>8} {total['repaired']:>8} "
              f"{total['degraded']:>8} {total['flagged']:>7} {total['elsewhere']:>9} "
              f"{max(0, total['upstream'] - present):>7} "
              f"{total['seconds']:>6.2f} {total['imported'] / total['seconds'] if total['seconds'] else 0:>6.1f}")
        print(f"in the portal: {present} of {total['upstream']} datasets upstream ({share:.1f} %; "
              f"{total['elsewhere']} of them through another source's identical record)")
        for line in refusals:
            print(f"  refused: {line}")


if __name__ == "__main__":
    main()
