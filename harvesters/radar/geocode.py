# SPDX-License-Identifier: AGPL-3.0-or-later
"""Where a radar entry is, in this order:

1. coordinates of the sheet (latitude/longitude columns or one "51.05, 13.74"
   column), accepted inside the city; swapped latitude and longitude are
   turned round (and reported), coordinates outside the city are reported
   and ignored;
2. the address or place column through the geocoder: offline, the city's
   gazetteer (``radar.gazetteer`` in city.yaml: known institutions) and the
   actors of the atlas with a location, then a district named in the
   address; a geocoding service (``ckanext.smartcityatlas.radar.geocoder_url``,
   Nominatim-style JSON or GeoJSON) only if configured;
3. the district column: a point inside the district ("stadtweit": the city
   boundary);
4. else no location, with a warning.
"""
from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse

import shapely.geometry

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.harvesters.parse_error import describe
from ckanext.smartcityatlas.harvesters.radar.sheet import key, parse_coordinate

CITY_WIDE = {"stadtweit", "gesamtstaedtisch", "gesamte stadt", "city-wide", "citywide", "ganze stadt"}


@dataclasses.dataclass
class Located:
    spatial: dict | None = None
    source: str | None = None  # location_source of the schema
    notes: list[tuple[str, str]] = dataclasses.field(default_factory=list)


class Geocoder:
    def __init__(self, city, gazetteer: dict[str, list[float]] | None = None, service_url: str | None = None,
                 fetcher=None, boundary_point=None):
        self.city = city
        self.gazetteer = {key(name): point for name, point in (gazetteer or {}).items()}
        self.service_url = service_url
        self.fetcher = fetcher
        self.boundary = boundary_point  # callable → GeoJSON of the city area
        self.districts = {key(d.name): d for d in city.districts}
        self.cache: dict[str, list[float] | None] = {}
        self.title = city.settings.get("title") or city.name

    def locate(self, fields: dict, row: int) -> Located:
        out = Located()
        point = self._coordinates(fields, row, out)
        if point is not None:
            out.spatial, out.source = _point(point), "coordinates"
            return out
        address = str(fields.get("address") or "").strip()
        if address:
            if key(address) in CITY_WIDE:
                return self._city_wide(out)
            found = self._geocode(address, row, out)
            if found is not None:
                out.spatial, out.source = found
                return out
        district = str(fields.get("district") or "").strip()
        if district:
            if key(district) in CITY_WIDE:
                return self._city_wide(out)
            found = self._district(district)
            if found is not None:
                out.spatial, out.source = found, "district_centroid"
                return out
            out.notes.append(("unmapped", f"row {row}: district {district!r} is not a district of the city"))
        out.notes.append(("warning", f"row {row}: no location (no coordinates, known address or district)"))
        return out

    def _city_wide(self, out: Located) -> Located:
        out.spatial, out.source = self.boundary(), "city_boundary"
        return out

    # ---- 1. coordinates ----------------------------------------------------------

    def _coordinates(self, fields, row, out) -> list[float] | None:
        lat, lon = parse_coordinate(fields.get("lat")), parse_coordinate(fields.get("lon"))
        raw = fields.get("coordinates")
        if (lat is None or lon is None) and raw not in (None, ""):
            pair = _pair(str(raw))
            if pair is None:
                out.notes.append(("unmapped", f"row {row}: coordinates {raw!r} are not 'latitude, longitude'"))
                return None
            lat, lon = pair
        if lat is None or lon is None:
            if fields.get("lat") not in (None, "") or fields.get("lon") not in (None, ""):
                out.notes.append(("unmapped", f"row {row}: coordinates {fields.get('lat')!r}, "
                                              f"{fields.get('lon')!r} are not two numbers"))
            return None
        if self._inside(lon, lat):
            return [lon, lat]
        if self._inside(lat, lon):
            out.notes.append(("repair", f"row {row}: latitude and longitude were swapped "
                                        f"({lat}, {lon} → {lon}, {lat})"))
            return [lat, lon]
        out.notes.append(("warning", f"row {row}: coordinates {lat}, {lon} lie outside {self.title}; "
                                     "ignored"))
        return None

    def _inside(self, lon: float, lat: float) -> bool:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
        return self.city.contains(shapely.geometry.Point(lon, lat))

    # ---- 2. address ----------------------------------------------------------------

    def _geocode(self, address: str, row: int, out: Located):
        k = key(address)
        point = self.gazetteer.get(k)
        if point is None:
            point = next((p for name, p in self.gazetteer.items() if len(name) >= 6 and name in k), None)
        if point is not None and self._inside(*point):
            return _point(point), "address"
        district = self._district(address, contained=True)
        if district is not None:
            return district, "district_centroid"
        if self.service_url and self.fetcher is not None:
            point = self._service(address, row, out)
            if point is not None:
                return _point(point), "address"
        return None

    def _service(self, address: str, row: int, out: Located) -> list[float] | None:
        if address in self.cache:
            return self.cache[address]
        query = urllib.parse.urlencode({"q": f"{address}, {self.city.settings.get('title', '')}",
                                        "format": "json", "limit": 1})
        url = self.service_url + ("&" if "?" in self.service_url else "?") + query
        point = None
        try:
            answer = json.loads(self.fetcher(url, accept="application/json").body.decode("utf-8"))
            if isinstance(answer, dict) and answer.get("features"):
                point = [float(c) for c in answer["features"][0]["geometry"]["coordinates"][:2]]
            elif isinstance(answer, list) and answer:
                point = [float(answer[0]["lon"]), float(answer[0]["lat"])]
        except fetch.FetchError as exc:
            out.notes.append(("warning", f"row {row}: the geocoding service failed for {address!r}: {exc}"))
            return None
        except Exception as exc:  # noqa: BLE001 - a failing service must not stop the row
            out.notes.append(("warning", f"row {row}: the geocoding service failed for {address!r}: "
                                         f"its answer is unreadable ({describe(exc)})"))
            return None
        if point is not None and not self._inside(*point):
            out.notes.append(("warning", f"row {row}: the geocoding service placed {address!r} outside "
                                         f"{self.title}; ignored"))
            point = None
        self.cache[address] = point
        return point

    # ---- 3. district ---------------------------------------------------------------

    def _district(self, text: str, contained: bool = False) -> dict | None:
        """A point inside the district (or Stadtbezirk/Ortschaft, or the
        districts whose name starts with the text: "Johannstadt")."""
        k = key(text)
        found = [self.districts[k]] if k in self.districts else [
            d for d in self.city.districts if d.id == text.strip() or key(d.group) == k]
        if not found and len(k) >= 4:
            found = [d for name, d in self.districts.items() if name.startswith(k)]
        if not found and contained:
            hits = [d for name, d in self.districts.items() if len(name) >= 5 and re.search(
                rf"(^|[^\w]){re.escape(name)}($|[^\w])", k)]
            found = [max(hits, key=lambda d: len(d.name))] if hits else []
        if not found:
            return None
        if len(found) == 1:
            return self.city.district_point(found[0])
        point = shapely.union_all([d.geometry for d in found]).representative_point()
        return {"type": "Point", "coordinates": [round(point.x, 5), round(point.y, 5)]}


def _point(point) -> dict:
    return {"type": "Point", "coordinates": [round(float(point[0]), 6), round(float(point[1]), 6)]}


def _pair(text: str) -> tuple[float, float] | None:
    text = text.strip().strip("()[]")
    if ";" in text:
        parts = text.split(";")
    elif text.count(",") == 1:
        parts = text.split(",")
    elif ", " in text:
        parts = text.split(", ")
    else:
        parts = text.split()
    if len(parts) != 2:
        return None
    a, b = parse_coordinate(parts[0]), parse_coordinate(parts[1])
    return (a, b) if a is not None and b is not None else None
