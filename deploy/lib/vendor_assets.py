#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Copy front-end libraries from node_modules (npm ci, package-lock.json)
into the extension's assets, where CKAN's webassets serve them: no CDN.

    python3 deploy/lib/vendor_assets.py          # refresh the vendored copies
    python3 deploy/lib/vendor_assets.py --check  # exit 1 if they differ from node_modules
"""
import filecmp
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "ckanext-smartcityatlas/ckanext/smartcityatlas/assets/vendor"
FILES = {  # node_modules path → vendor path
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/LICENSE": "leaflet/LICENSE",
    "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
    "leaflet.markercluster/MIT-LICENCE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
}


def main(check: bool) -> int:
    stale = []
    for src, dst in FILES.items():
        source, target = REPO / "node_modules" / src, VENDOR / dst
        if not source.exists():
            print(f"missing {source}: run npm ci first", file=sys.stderr)
            return 1
        if check:
            if not target.exists() or not filecmp.cmp(source, target, shallow=False):
                stale.append(dst)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    if stale:
        print("vendored assets differ from node_modules: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
