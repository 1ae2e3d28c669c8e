#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The network view's layout (assets/js/network-layout.js) in node: p50/p95
for 200 and 500 nodes, next to a baseline measured in the same run.

    deploy/sca bench network_layout [--runs 30] [--sizes 200,500] [--browser]
    python3 bench/network_layout.py [--browser]   # needs only node (and chromium), no services

Graphs are generated like the atlas (seeded): a fifth measures and projects,
the rest actors with German names; every project has 1–4 partners with
roles, most projects belong to a measure. In node, label widths are
estimated as the layout does without a browser (0.6 em per character,
12 px); with ``--browser`` the same runs in headless Chromium with widths
measured by a canvas, as the page does. Timed:

- baseline: the force simulation alone (what any force-directed drawing
  costs, without label placement);
- layout: the full deterministic layout the page runs (forces, scaling,
  label placement without overlaps), with the overlapping label pairs
  counted (must be 0) and how many labels needed a leader line.

The goal is under 1 s for 200 nodes. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LAYOUT = REPO / "ckanext-smartcityatlas/ckanext/smartcityatlas/assets/js/network-layout.js"
FIRST = ["Institut für", "Zentrum für", "Netzwerk", "Initiative", "Verein für", "Büro für", "Labor für"]
TOPICS = ["Stadtklima", "Energiesysteme", "Mobilität", "Sensorik", "Open Data", "Bürgerbeteiligung",
          "Digitale Verwaltung", "Wärmenetze", "Quartiersentwicklung", "Künstliche Intelligenz"]
SUFFIX = ["GmbH", "e. V.", "Dresden", "Sachsen", "AG", ""]
PROJECT = ["Smartes", "Digitales", "Vernetztes", "Offenes", "Nachhaltiges"]
NOUN = ["Quartier", "Messnetz", "Parkraummanagement", "Energiemodell", "Beteiligungsportal", "Klimadashboard"]
ROLES = ["lead", "partner", "funder", "operator", "research_partner", "user"]

DRIVER = r"""
const L = require(process.argv[1]);
const graph = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const runs = Number(process.argv[3]);
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const result = { baseline: [], layout: [] };
for (let i = 0; i < 3; i++) { L.layout(graph); }  // warm-up (JIT)
for (let i = 0; i < runs; i++) {
  let t = process.hrtime.bigint();
  L.forcesOnly(graph);
  result.baseline.push(ms(t));
  t = process.hrtime.bigint();
  const out = L.layout(graph);
  result.layout.push(ms(t));
  if (i === 0) {
    result.overlaps = L.overlaps(out.nodes.map((p) => ({ x: p.label.x, y: p.label.y, w: p.label.w, h: p.label.h })));
    result.leaders = out.nodes.filter((p) => p.label.leader).length;
    result.size = [Math.round(out.width), Math.round(out.height)];
  }
}
console.log(JSON.stringify(result));
"""

# the same in headless Chromium, with label widths measured by a canvas as the page does
BROWSER_DRIVER = r"""
const { chromium } = require(process.argv[4] + '/node_modules/playwright-core');
(async () => {
  const graph = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.setContent('<html><body></body></html>');
    await page.addScriptTag({ path: process.argv[1] });
    const result = await page.evaluate(({ graph, runs }) => {
      const ctx = document.createElement('canvas').getContext('2d');
      const measure = (text, node) => {
        ctx.font = (node && node.selected ? 'bold ' : '') + '12px "Helvetica Neue", Helvetica, Arial, sans-serif';
        return ctx.measureText(text).width;
      };
      const L = window.scaNetworkLayout;
      const r = { baseline: [], layout: [] };
      for (let i = 0; i < 3; i++) { L.layout(graph, { measure }); }
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        L.forcesOnly(graph);
        r.baseline.push(performance.now() - t);
        t = performance.now();
        const out = L.layout(graph, { measure });
        r.layout.push(performance.now() - t);
        if (i === 0) {
          r.overlaps = L.overlaps(out.nodes.map((p) => ({ x: p.label.x, y: p.label.y, w: p.label.w, h: p.label.h })));
          r.leaders = out.nodes.filter((p) => p.label.leader).length;
          r.size = [Math.round(out.width), Math.round(out.height)];
        }
      }
      return r;
    }, { graph, runs: Number(process.argv[3]) });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})();
"""


def graph(n: int, seed: int = 20261125) -> dict:
    rng = random.Random(seed + n)
    n_projects = n // 5
    n_measures = max(1, n_projects // 8)
    nodes, edges = [], []
    for i in range(n - n_projects):
        title = f"{rng.choice(FIRST)} {rng.choice(TOPICS)} {rng.choice(SUFFIX)}".strip()
        nodes.append({"id": f"a{i}", "title": title, "type": "actor", "selected": i % 3 == 0})
    actors = [node["id"] for node in nodes]
    for i in range(n_projects):
        measure = i < n_measures
        title = f"Maßnahme {rng.choice(TOPICS)}" if measure else f"{rng.choice(PROJECT)} {rng.choice(NOUN)} {i}"
        nodes.append({"id": f"p{i}", "title": title, "type": "project", "kind": "measure" if measure else "project",
                      "selected": measure})
        for actor in rng.sample(actors, rng.randint(1, 4)):
            edges.append({"source": actor, "target": f"p{i}", "kind": "partner", "roles": [rng.choice(ROLES)]})
        if not measure and rng.random() < 0.8:
            edges.append({"source": f"p{i}", "target": f"p{rng.randrange(n_measures)}", "kind": "member"})
    return {"nodes": nodes, "edges": edges}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", help="ignored: the layout needs no CKAN (accepted for deploy/sca bench)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sizes", default="200,500")
    parser.add_argument("--browser", action="store_true",
                        help="also in headless Chromium (/usr/bin/chromium, playwright-core from npm ci)")
    args = parser.parse_args()
    node = shutil.which("node")
    if not node:
        sys.exit("node is missing (Debian: apt-get install nodejs)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"network layout in node {version}, {args.runs} runs per size (after 3 warm-up runs)")
    for size in (int(s) for s in args.sizes.split(",")):
        g = graph(size)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(g, f)
        runtimes = [("node", [node, "-e", DRIVER, str(LAYOUT), f.name, str(args.runs)])]
        if args.browser:
            runtimes.append(("headless Chromium",
                             [node, "-e", BROWSER_DRIVER, str(LAYOUT), f.name, str(args.runs), str(REPO)]))
        try:
            for runtime, command in runtimes:
                proc = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO)
                if proc.returncode:
                    sys.exit(proc.stderr)
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"-- {size} nodes, {len(g['edges'])} edges, {runtime}")
                common.report("baseline: force simulation only", r["baseline"])
                common.report("layout: forces + labels (the page)", r["layout"])
                p50, p95 = common.percentiles(r["layout"])
                print(f"   overlapping label pairs: {r['overlaps']}, labels with a leader line: {r['leaders']}, "
                      f"drawing {r['size'][0]}×{r['size'][1]} px"
                      + (f"; goal p95 < 1000 ms: {'met' if p95 < 1000 else 'NOT met'}" if size <= 200 else ""))
        finally:
            Path(f.name).unlink()


if __name__ == "__main__":
    main()
