# SPDX-License-Identifier: AGPL-3.0-or-later
"""An invented city's folder, written as docs/city.md says: its city.yaml and
districts.csv are the examples of the documentation (read from it, so the
test follows the text), the district outlines four squares of our own."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "city.md"
# 2 x 2 squares in WGS 84 (longitude, latitude), nowhere near Dresden; ids and
# names as in the documentation's districts.csv
WEST, MIDDLE, EAST, SOUTH, CENTRE, NORTH = 11.00, 11.05, 11.10, 50.90, 50.93, 50.96
SQUARES = {
    "1": ("Altstadt", (WEST, CENTRE, MIDDLE, NORTH)),
    "2": ("Nordviertel", (MIDDLE, CENTRE, EAST, NORTH)),
    "3": ("Auenbach", (WEST, SOUTH, MIDDLE, CENTRE)),
    "4": ("Hügelheim", (MIDDLE, SOUTH, EAST, CENTRE)),
}
ALTSTADT_POINT = {"type": "Point", "coordinates": [11.02, 50.945]}
AUENBACH_POINT = {"type": "Point", "coordinates": [11.02, 50.91]}


def doc_block(name: str) -> str:
    """The code block of docs/city.md marked ``<!-- name of the example … -->``,
    without the list's indentation."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- " + re.escape(name) + r" of the example[^>]*-->\s*\n(\s*)```\w*\n(.*?)\n\s*```",
                      text, re.S)
    assert found, f"docs/city.md has no example {name}"
    indent = found.group(1).replace("\n", "")
    return "\n".join(line[len(indent):] if line.startswith(indent) else line
                     for line in found.group(2).splitlines()) + "\n"


def square(west, south, east, north) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


def districts_geojson(**metadata) -> dict:
    features = [{"type": "Feature", "properties": {"ot_nr": nr, "ot_name": name}, "geometry": square(*box)}
                for nr, (name, box) in SQUARES.items()]
    return {"type": "FeatureCollection", "name": "ortsteile",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            **metadata, "features": features}


def write_example_city(folder: Path, boundary: bool = False) -> Path:
    """Steps 1 to 4 of docs/city.md (and 5 with a boundary file of our own
    when boundary is true): the folder without anything else."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "city.yaml").write_text(doc_block("city.yaml"), encoding="utf-8")
    (folder / "districts.csv").write_text(doc_block("districts.csv"), encoding="utf-8")
    write_json(folder / "ortsteile.geojson", districts_geojson(attribution="Stadt Musterstadt (invented)",
                                                               license="dl-by-de/2.0"))
    if boundary:
        write_json(folder / "grenze.geojson", {"type": "Feature", "properties": {},
                                               "geometry": square(WEST, SOUTH, EAST, NORTH)})
    return folder


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def settings(folder: Path) -> dict:
    return yaml.safe_load((folder / "city.yaml").read_text(encoding="utf-8"))


def edit_settings(folder: Path, change) -> None:
    """Rewrite city.yaml after change(settings) (lines and comments are lost)."""
    data = settings(folder)
    change(data)
    (folder / "city.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_region(folder: Path, members: list[str], title: str = "Region (invented)") -> Path:
    """A region folder (docs/city.md, "A region"): ``region.yaml`` naming its
    member cities' folders (built-in names or paths)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "region.yaml").write_text(yaml.safe_dump({"title": title, "members": members}, allow_unicode=True),
                                        encoding="utf-8")
    return folder
