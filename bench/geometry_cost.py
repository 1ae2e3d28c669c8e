#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a huge search geometry costs the web process, without and with the caps.

    deploy/sca bench geometry_cost [--vertices 200000] [--runs 3]

POSTs ``package_search`` with an ``ext_intersects`` polygon of --vertices
vertices (GeoJSON text, about 8 MB for 200,000) through the WSGI app, in
process, and prints status, body size and wall time per request:

- "before": the caps off (request.max_body_kb_anonymous, search.geometry_max_*
  = 0), which is the code path before the caps existed;
- "after": the default caps, as an anonymous caller (the body cap answers
  413 before the body is read) and as a logged-in caller (no body cap by
  default: the vertex and byte caps answer 400 before shapely parses);
- the largest geometry the default caps accept, for scale.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

CAPS = ("ckanext.smartcityatlas.request.max_body_kb_anonymous", "ckanext.smartcityatlas.search.geometry_max_vertices",
        "ckanext.smartcityatlas.search.geometry_max_bytes")


def polygon_body(vertices: int) -> bytes:
    """A circle around Dresden's Altmarkt with full-precision coordinates."""
    ring = [[13.74 + 0.05 * math.cos(2 * math.pi * i / vertices), 51.05 + 0.05 * math.sin(2 * math.pi * i / vertices)]
            for i in range(vertices)]
    geometry = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    return json.dumps({"extras": {"ext_intersects": json.dumps(geometry)}, "rows": 1}).encode()


def measure(client, label: str, body: bytes, runs: int, headers: dict | None = None) -> None:
    times, status, size = [], None, 0
    for _ in range(runs):
        started = time.perf_counter()
        resp = client.post("/api/3/action/package_search", data=body, content_type="application/json",
                           headers=headers or {})
        times.append(time.perf_counter() - started)
        status, size = resp.status_code, len(resp.data)
    print(f"{label:<58} HTTP {status}  answer {size / 1e6:7.2f} MB  "
          f"min {min(times):6.3f} s  max {max(times):6.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", required=True)
    parser.add_argument("--vertices", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with common.ckan_app(args.ini):
        import ckan.plugins.toolkit as tk
        from ckan.config.middleware import make_app
        from ckan.cli import load_config

        app = make_app(load_config(args.ini))
        client = (app.apps["flask_app"]._wsgi_app if hasattr(app, "apps") else app._wsgi_app).test_client()
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        token = tk.get_action("api_token_create")({"user": site["name"], "ignore_auth": True},
                                                  {"user": site["name"], "name": "bench-geometry-cost"})["token"]
        logged_in = {"Authorization": token}
        body = polygon_body(args.vertices)
        defaults = {key: tk.config.get(key) for key in CAPS}
        print(f"package_search, ext_intersects of {args.vertices:,} vertices: body {len(body) / 1e6:.2f} MB; "
              f"caps {defaults}")
        for key in CAPS:
            tk.config[key] = 0
        measure(client, "before (caps off), anonymous", body, args.runs)
        tk.config.update(defaults)
        measure(client, "after, anonymous (body cap)", body, args.runs)
        measure(client, "after, logged in (vertex and byte caps)", body, args.runs, logged_in)
        largest = polygon_body(defaults[CAPS[1]] - 1)
        measure(client, f"after, largest accepted ({defaults[CAPS[1]] - 1:,} vertices, "
                        f"{len(largest) / 1e3:.0f} KB)", largest, args.runs, logged_in)


if __name__ == "__main__":
    main()
