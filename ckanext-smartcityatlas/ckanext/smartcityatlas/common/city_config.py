# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city configuration: boundary, districts and their lookup table.

``ckanext.smartcityatlas.city`` names a built-in city (a folder in
``cities/``) or is the path of a city's own folder with the same files
(``city.yaml``, boundary and district GeoJSON, ``districts.csv``). Loaded
once per process; geometries are prepared for fast point-in-polygon tests.

``ckanext.smartcityatlas.region`` (optional) names a region folder
(``region.yaml``: a title and its member cities' folders, docs/city.md):
the atlas's city keeps its settings, while boundary and districts become
those of all members — the boundary their union, each district qualified
by its city ("Altstadt (Musterstadt)", id ``musterstadt:1``) so that two
cities' districts never mix in filters, facets or on the map.
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
    city: str = ""  # in a region: the member city's title (name and group carry it too)
    local_name: str = ""  # in a region: the name within its city

    @property
    def short_name(self) -> str:
        return self.local_name or self.name


@dataclasses.dataclass(frozen=True)
class City:
    folder: Path
    settings: dict
    boundary: shapely.geometry.base.BaseGeometry
    districts: tuple[District, ...]
    _index: STRtree = dataclasses.field(repr=False, compare=False)
    # a region's member cities (this city among them) and region.yaml; empty for one city
    members: tuple[City, ...] = dataclasses.field(default=(), repr=False, compare=False)
    region: dict = dataclasses.field(default_factory=dict, compare=False)

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

    @property
    def home(self) -> City:
        """The atlas's own city: itself, or in a region its member (its
        boundary is what "the whole city" means for the city's own records)."""
        return self.members[0] if self.members else self

    def district_by_name(self, name: str) -> District | None:
        for district in self.districts:
            if district.name == name or district.id == name:
                return district
        if self.members:  # in a region also as the atlas's own city names it (its demo files)
            own = self.home.district_by_name(name)
            qualified = f"{self.home.name}:{own.id}" if own else None
            return next((d for d in self.districts if d.id == qualified), None)
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


def _resolve(value: str, base: Path, marker: str, option: str) -> Path:
    path = Path(value)
    if path.is_absolute():
        folder = path
    elif value.startswith("."):
        folder = base / path
    else:
        folder = BUILTIN / value
    if not (folder / marker).exists():
        raise ValueError(f"{option}: no {marker} in {folder}")
    return folder


def folder_for(value: str) -> Path:
    return _resolve(value, Path(), "city.yaml", "ckanext.smartcityatlas.city")


def region_folder_for(value: str) -> Path:
    return _resolve(value, Path(), "region.yaml", "ckanext.smartcityatlas.region")


def _qualified(district: District, member: City) -> District:
    title = str(member.settings.get("title") or member.name)
    return dataclasses.replace(
        district, id=f"{member.name}:{district.id}", name=f"{district.name} ({title})",
        group=f"{district.group} ({title})" if district.group else "", city=title, local_name=district.name)


def member_folders(folder: Path) -> tuple[dict, list[Path]]:
    """``region.yaml`` of a region folder and its members' folders (as in
    ``ckanext.smartcityatlas.city``, relative ones from the region folder)."""
    spec = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8")) or {}
    if not isinstance(spec, dict) or not isinstance(spec.get("members") or [], list):
        raise ValueError(f"{folder / 'region.yaml'}: members must be a list of city folders")
    return spec, [_resolve(str(ref), folder, "city.yaml", f"{folder / 'region.yaml'}: members")
                  for ref in spec.get("members") or []]


def load_region(folder: Path, home: City) -> City:
    """The home city with the boundary and districts of all the region's
    members (``region.yaml``: ``title``, ``members``)."""
    spec, folders = member_folders(folder)
    members: list[City] = [home]
    for member_folder in folders:
        if member_folder.resolve() != home.folder.resolve():
            members.append(load(member_folder))
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        raise ValueError(f"{folder / 'region.yaml'}: two members with the same name in {names}")
    districts = tuple(_qualified(d, m) for m in members for d in m.districts)
    boundary = shapely.union_all([m.boundary for m in members])
    shapely.prepare(boundary)
    return City(home.folder, home.settings, boundary, districts, STRtree([d.geometry for d in districts]),
                members=tuple(members), region=spec)


@functools.lru_cache(maxsize=4)
def _cached(folder: str, region: str = "") -> City:
    city = load(Path(folder))
    return load_region(Path(region), city) if region else city


def current() -> City:
    region = (tk.config.get("ckanext.smartcityatlas.region") or "").strip()
    return _cached(str(folder_for(tk.config.get("ckanext.smartcityatlas.city"))),
                   str(region_folder_for(region)) if region else "")
