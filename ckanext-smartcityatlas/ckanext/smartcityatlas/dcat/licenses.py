# SPDX-License-Identifier: AGPL-3.0-or-later
"""CKAN's licence list = the dcat-ap.de licence list (K31).

``licenses.json`` is generated from the shipped vocabulary
(``python -m ckanext.smartcityatlas.dcat.licenses`` rewrites it; a test
checks it is current). Unless ``licenses_group_url`` is configured, the
plugin points CKAN at this file.
"""
from __future__ import annotations

import json
from pathlib import Path

from ckanext.smartcityatlas.dcat import vocab

LICENSES_FILE = Path(__file__).resolve().parent / "licenses.json"


def generate() -> str:
    return json.dumps(vocab.dcatde_licenses(), ensure_ascii=False, indent=1) + "\n"


def use_dcatde_licenses(config) -> None:
    """IConfigurer hook: default ``licenses_group_url`` to the shipped list."""
    if not config.get("licenses_group_url"):
        config["licenses_group_url"] = "file://" + str(LICENSES_FILE)


if __name__ == "__main__":
    LICENSES_FILE.write_text(generate(), encoding="utf-8")
    print(f"wrote {LICENSES_FILE}")
