# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city configuration: boundary, districts and their lookup table.

``ckanext.smartcityatlas.city`` names a built-in city (a folder in
``cities/``) or is the path of a city's own folder with the same files
(``city.yaml``, boundary and district GeoJSON, ``districts.csv``). Loaded
once per process; geometries are prepared for fast point-in-polygon tests.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import json
from pathlib import Path

import shapely
import shapely.geometry
import yaml
from shapely.strtree import STRtree

import ckan.plugins.toolkit as tk

BUILTIN = Path(__file__).resolve().parents[1] / "cities"


@dataclasses.dataclass(frozen=True)
class District:
    id: str
    name: str
    group_type: str  # e.g. stadtbezirk | ortschaft; "" for a city with one level of districts
    group: str
    geometry: shapely.geometry.base.BaseGeometry


@dataclasses.dataclass(frozen=True)
class City:
    folder: Path
    settings: dict
    boundary: shapely.geometry.base.BaseGeometry
    districts: tuple[District, ...]
    _index: STRtree = dataclasses.field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.settings["name"]

    @property
    def municipality_key(self) -> str:
        return str(self.settings["municipality_key"])

    def contains(self, geom) -> bool:
        """Whether geom lies inside the city (a 50 m tolerance for boundary noise)."""
        return self.boundary.buffer(0.0007).covers(geom)

    def districts_of(self, geom) -> list[District]:
        """Districts a location lies in: the district of each point, or for
        areas every district they cover a real part of (≥ 1 % of it)."""
        found: dict[str, District] = {}
        parts = list(getattr(geom, "geoms", [geom]))
        for part in parts:
            for i in self._index.query(part):
                district = self.districts[int(i)]
                if part.geom_type == "Point":
                    if district.geometry.covers(part):
                        found[district.id] = district
                elif part.intersects(district.geometry):
                    overlap = part.intersection(district.geometry).area
                    if overlap >= 0.01 * district.geometry.area:
                        found[district.id] = district
        return sorted(found.values(), key=lambda d: d.id)

    def district_point(self, district: District) -> dict:
        """A point inside the district (GeoJSON), for locations shown at
        district level only."""
        point = district.geometry.representative_point()
        return {"type": "Point", "coordinates": [round(point.x, 5), round(point.y, 5)]}

    def district_by_name(self, name: str) -> District | None:
        for district in self.districts:
            if district.name == name or district.id == name:
                return district
        return None


def _load_geojson(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    return features


def read_lookup(folder: Path, spec: dict) -> dict[str, dict] | None:
    """district id → row of the lookup table (``districts.lookup``), or None
    for a city with one level of districts and no table."""
    if not spec.get("lookup"):
        return None
    # utf-8-sig: a spreadsheet's "CSV UTF-8" starts with a byte order mark
    with open(folder / spec["lookup"], encoding="utf-8-sig", newline="") as fh:
        return {(row.get("district_id") or "").strip(): row for row in csv.DictReader(fh)}


def load(folder: Path) -> City:
    settings = yaml.safe_load((folder / "city.yaml").read_text(encoding="utf-8"))
    boundary = shapely.union_all([
        shapely.geometry.shape(f["geometry"]) for f in _load_geojson(folder / settings["boundary"])
    ])
    spec = settings["districts"]
    lookup = read_lookup(folder, spec)
    districts = []
    for feature in _load_geojson(folder / spec["file"]):
        props = feature["properties"]
        district_id = str(props[spec["id_property"]])
        row = {} if lookup is None else lookup.get(district_id)
        if row is None:
            raise ValueError(f"district {district_id} of {spec['file']} is missing in {spec['lookup']}")
        districts.append(District(
            id=district_id, name=(row.get("district") or "").strip() or str(props[spec["name_property"]]),
            group_type=(row.get("group_type") or "").strip(), group=(row.get("group") or "").strip(),
            geometry=shapely.geometry.shape(feature["geometry"]),
        ))
    districts.sort(key=lambda d: d.id)
    for d in districts:
        shapely.prepare(d.geometry)
    shapely.prepare(boundary)
    return City(folder, settings, boundary, tuple(districts), STRtree([d.geometry for d in districts]))


def folder_for(value: str) -> Path:
    path = Path(value)
    if path.is_absolute() or value.startswith("."):
        folder = path
    else:
        folder = BUILTIN / value
    if not (folder / "city.yaml").exists():
        raise ValueError(f"ckanext.smartcityatlas.city: no city.yaml in {folder}")
    return folder


@functools.lru_cache(maxsize=4)
def _cached(folder: str) -> City:
    return load(Path(folder))


def current() -> City:
    return _cached(str(folder_for(tk.config.get("ckanext.smartcityatlas.city"))))
