#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvesting a 1,000-row Smart-City-Radar file (``sca_radar``): the first
run (every row created, with partner matching, geocoding and the status
history), an unchanged re-run (every row recognised as unchanged: no save,
no activity) and a run in which a tenth of the rows changed their status.

    deploy/sca bench radar [--rows 1000]

Each run of the bench uses fresh radar ids (a new source), so the first run
really creates. The file is a CSV on the local disk (``file://``, as a
sysadmin's source), so the figures are the harvester's, not a network's.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

COLUMNS = ["Radar-ID", "Titel", "Typ", "Status", "Stand", "Kurzbeschreibung", "Maßnahme", "Federführung",
           "Partner", "Stadtteil", "Breite", "Länge", "Themenblock", "Themen", "Beginn", "Budget (EUR)"]
KINDS = ["Projekt"] * 6 + ["Aktivität"] * 3 + ["Thema"]
STATUSES = ["Idee", "Geplant", "Laufend", "Abgeschlossen"]
TOPICS = ["Energie", "Mobilität und Verkehr", "Umwelt und Klima", "Beteiligung", "Offene Daten",
          "Wohnen und Quartiere"]
DISTRICTS = ["Johannstadt-Nord", "Friedrichstadt", "Prohlis-Nord", "Pieschen-Süd", "Striesen-Ost", "stadtweit"]
ACTORS = 40


def radar_file(prefix: str, rows: int, actor_titles: list[str], changed: set[int] = frozenset()) -> bytes:
    rnd = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for i in range(rows):
        measure = i < 10
        status = STATUSES[(i + (1 if i in changed else 0)) % len(STATUSES)]
        lat, lon = ("", "") if i % 3 else (f"{51.03 + rnd.random() * 0.04:.5f}".replace(".", ","),
                                          f"{13.70 + rnd.random() * 0.08:.5f}".replace(".", ","))
        writer.writerow([
            f"{prefix}-{i:04d}", f"Eintrag {i} – Maßnahmenbündel für Straßen und Plätze",
            "Maßnahme" if measure else KINDS[i % len(KINDS)], status,
            "30.06.2025" if i in changed else "31.01.2025", f"Kurzbeschreibung des Eintrags {i} mit Umlauten: äöüß",
            "" if measure else f"{prefix}-{i % 10:04d}", actor_titles[i % len(actor_titles)],
            "; ".join(actor_titles[(i + k) % len(actor_titles)] for k in (1, 2)) + "; Verein Nummer " + str(i % 50),
            DISTRICTS[i % len(DISTRICTS)], lat, lon, "Smarte Partizipation",
            "; ".join(TOPICS[(i + k) % len(TOPICS)] for k in range(2)), "01.01.2024", f"{1000 * i:,}".replace(",", "."),
        ])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk

        from ckanext.smartcityatlas.demo import radar as cli

        context = common.site_context()
        org_name = "bench-radar"
        try:
            tk.get_action("organization_show")(dict(context), {"id": org_name})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(dict(context), {"name": org_name, "title": "Bench Radar"})
        titles = []
        for i in range(ACTORS):
            name = f"bench-radar-actor-{i}"
            title = f"Institut für Stadtforschung Nummer {i} GmbH"
            try:
                tk.get_action("package_show")(dict(context), {"id": name})
            except tk.ObjectNotFound:
                tk.get_action("package_create")(dict(context), {
                    "type": "actor", "name": name, "title": title, "owner_org": org_name,
                    "actor_kind": "company", "helix_sector": "business", "notes": "Bench-Akteur"})
            titles.append(title)
        prefix = "B" + uuid.uuid4().hex[:6].upper()
        folder = Path(tempfile.mkdtemp(prefix="sca-bench-radar-"))
        path = folder / "radar.csv"
        path.write_bytes(radar_file(prefix, args.rows, titles))
        source = tk.get_action("harvest_source_create")(dict(context), {
            "name": f"bench-radar-{prefix.lower()}", "title": f"Bench Radar {prefix}", "url": path.as_uri(),
            "source_type": "sca_radar", "frequency": "MANUAL", "config": "{}", "owner_org": org_name})

        def timed(label):
            started = time.perf_counter()
            report = cli.run(source)
            took = time.perf_counter() - started
            counts = report["counts"]
            print(f"{label:<34} {args.rows} rows in {took:7.1f} s = {args.rows / took:6.1f} rows/s   "
                  f"created {counts['created']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
                  f"rejected {counts['rejected']}, unmatched partners {counts['unmatched']}")
            return args.rows / took

        actors = tk.get_action("package_search")(dict(context), {"fq": "+dataset_type:actor", "rows": 0})["count"]
        print(f"sca_radar, {args.rows}-row CSV ({path.stat().st_size // 1024} KiB), {ACTORS} actors named, "
              f"{actors} actors in the atlas to match against")
        first = timed("first run (all created)")
        unchanged = timed("re-run, file unchanged")
        path.write_bytes(radar_file(prefix, args.rows, titles, changed=set(range(0, args.rows, 10))))
        timed("re-run, 10 % changed status")
        # the baseline in the same run: the unchanged re-run (reads, matches and compares every row, saves none)
        print(f"\nfirst run {first:.1f} rows/s = {first / unchanged:.2f} x its unchanged re-run ({unchanged:.1f} rows/s)"
              f"; targets (issue 28): first run >= 20 rows/s, unchanged >= 50 rows/s")


if __name__ == "__main__":
    main()
