# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks a city folder before a portal uses it (``ckan sca city-check``).

Every finding names the file and the place in it (a key of city.yaml with
its line, a line of districts.csv, a feature of a GeoJSON file) and says
what to do. Errors stop the portal from working as configured; warnings
are things a city usually wants to fix (a contributor ID outside the
DCAT-AP.de lists, a location outside the boundary, placeholders left on
the legal pages).
"""
from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from pathlib import Path

import shapely
import shapely.geometry
import yaml

from ckanext.smartcityatlas.common import base_map, city_brand, city_texts, web_address
from ckanext.smartcityatlas.dcat import vocab
from ckanext.smartcityatlas.dcat.licenses import LICENSES_FILE
from ckanext.smartcityatlas.legal import settings as legal_settings

# The 16 Länder as city.yaml's ``state`` names them, with the first two
# digits of their municipalities' keys (AGS).
LAENDER = {
    "Schleswig-Holstein": "01", "Hamburg": "02", "Niedersachsen": "03", "Bremen": "04",
    "Nordrhein-Westfalen": "05", "Hessen": "06", "Rheinland-Pfalz": "07", "Baden-Württemberg": "08",
    "Bayern": "09", "Saarland": "10", "Berlin": "11", "Brandenburg": "12", "Mecklenburg-Vorpommern": "13",
    "Sachsen": "14", "Sachsen-Anhalt": "15", "Thüringen": "16",
}
KNOWN_KEYS = ("name", "title", "official_name", "state", "municipality_key", "regional_key", "boundary",
              "districts", "model_districts", "default_organization", "content_license", "dcat", "map_center",
              "map_zoom", "radar", "examples", "legal", "matching", "branding", "base_map")
DISTRICT_KEYS = ("file", "id_property", "name_property", "lookup", "group_labels", "label")
DCAT_KEYS = ("contributor_id", "geocoding_level", "geocoding_key_type", "geocoding_key", "publisher_name",
             "publisher_url", "contact_name", "contact_url", "contact_email", "attribution")
GEOCODING_KEY_TYPES = {"municipalityKey": "municipality_key", "regionalKey": "regional_key",
                       "districtKey": None, "stateKey": None, "municipalAssociationKey": None}
LOOKUP_COLUMNS = ("district_id", "district", "group_type", "group")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Germany with a margin: coordinates outside look swapped or projected
GERMANY = shapely.geometry.box(5.0, 47.0, 16.0, 55.5)
# a district may stick out of the boundary by this share of its area (digitising noise)
OUTSIDE_TOLERANCE = 0.01


@dataclasses.dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    file: str
    where: str     # a key (with its line), "line 7", "feature 3 (nr=17)"
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{self.severity.upper()} {place}: {self.message}"


class _Lines:
    """Line numbers of the keys of a YAML document ("dcat.contributor_id" → 33)."""

    def __init__(self, text: str):
        self.lines: dict[str, int] = {}
        self.literals: dict[str, str] = {}  # a scalar as written (01001000, not the number YAML made of it)
        try:
            self._walk(yaml.compose(text), "")
        except yaml.YAMLError:
            pass

    def _walk(self, node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = f"{prefix}{key.value}"
                self.lines[path] = key.start_mark.line + 1
                if isinstance(value, yaml.ScalarNode):
                    self.literals[path] = value.value
                self._walk(value, path + ".")
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.lines[f"{prefix}{i}"] = item.start_mark.line + 1
                self._walk(item, f"{prefix}{i}.")

    def at(self, key: str) -> str:
        """The key with its line, or with the line of the section it is missing from."""
        if key in self.lines:
            return f"{key} (line {self.lines[key]})"
        parent = key.rpartition(".")[0]
        while parent and parent not in self.lines:
            parent = parent.rpartition(".")[0]
        return f"{key} (in {parent}, line {self.lines[parent]})" if parent else key


class CityCheck:
    """The findings for one city folder: ``CityCheck(folder).run()``."""

    def __init__(self, folder: Path, demo: bool | None = None):
        self.folder = folder
        # False: the demo folder is not loaded (SCA_DEMO=0), so not checked
        self.demo = demo
        self.findings: list[Finding] = []
        self.settings: dict = {}
        self.lines = _Lines("")
        self.boundary = None
        self.districts: dict[str, tuple[str, object]] = {}  # id → (name, geometry or None)

    # -- reporting ---------------------------------------------------------

    def error(self, file: str, where: str, message: str) -> None:
        self.findings.append(Finding("error", file, where, message))

    def warning(self, file: str, where: str, message: str) -> None:
        self.findings.append(Finding("warning", file, where, message))

    def key_error(self, key: str, message: str, severity: str = "error") -> None:
        self.findings.append(Finding(severity, "city.yaml", self.lines.at(key), message))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    # -- the checks --------------------------------------------------------

    def run(self) -> list[Finding]:
        if not self.folder.is_dir():
            self.error(str(self.folder), "", "is not a folder")
            return self.findings
        if not self._read_settings():
            return self.findings
        self._check_keys()
        self._check_dcat()
        self._check_map()
        self._check_branding()
        self.boundary = self._read_boundary()
        self._read_districts()
        self._check_lookup()
        self._check_inside_boundary()
        self._check_radar()
        self._check_legal()
        self._check_demo()
        return self.findings

    def _read_settings(self) -> bool:
        path = self.folder / "city.yaml"
        if not path.is_file():
            self.error("city.yaml", "", f"missing in {self.folder} (docs/city.md has an example)")
            return False
        text = path.read_text(encoding="utf-8")
        try:
            settings = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            self.error("city.yaml", where, f"not valid YAML: {getattr(exc, 'problem', exc)}")
            return False
        if not isinstance(settings, dict):
            self.error("city.yaml", "", "must be a mapping of keys (name: …, title: …)")
            return False
        self.settings, self.lines = settings, _Lines(text)
        return True

    def _text(self, key: str, required: bool = True) -> str | None:
        value = self._get(key)
        if value is None:
            if required:
                self.key_error(key, "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.key_error(key, f"must be a text, not {value!r}")
            return None
        return value

    def _get(self, key: str):
        value = self.settings
        for part in key.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def _digits(self, key: str, count: int, required: bool) -> str | None:
        value = self._get(key)
        if value is None:
            if required:
                self.key_error(key, f"missing (a quoted string of {count} digits)")
            return None
        if not isinstance(value, str):
            # YAML reads 01001000 as an (octal) number and drops leading zeros
            written = self.lines.literals.get(key, str(value))
            self.key_error(key, f"must be a quoted string of {count} digits, not the number {written} "
                                f'(write it in quotes: "{written}")')
            return None
        if not re.fullmatch(rf"\d{{{count}}}", value):
            self.key_error(key, f"must be {count} digits, not {value!r}")
            return None
        return value

    def _check_keys(self) -> None:
        for key in self.settings:
            if key not in KNOWN_KEYS:
                self.key_error(str(key), f"unknown key (known: {', '.join(KNOWN_KEYS)})", "warning")
        name = self._text("name")
        if name and not SLUG.fullmatch(name):
            self.key_error("name", f"must be lower-case letters, digits and hyphens, not {name!r}")
        self._text("title")
        self._text("official_name")
        state = self._text("state")
        if state and state not in LAENDER:
            self.key_error("state", f"{state!r} is not a Land; one of: {', '.join(LAENDER)}")
        ags = self._digits("municipality_key", 8, required=True)
        if ags and state in LAENDER and not ags.startswith(LAENDER[state]):
            self.key_error("municipality_key", f"{ags} does not start with {LAENDER[state]}, the key of {state}")
        ars = self._digits("regional_key", 12, required=False)
        if ags and ars and (ars[:5] != ags[:5] or ars[9:] != ags[5:]):
            self.key_error("regional_key", f"{ars} does not match the municipality key {ags} (the regional key "
                                           f"is {ags[:5]}, 4 digits of the Gemeindeverband, {ags[5:]})")
        organization = self._text("default_organization", required=False)
        if organization is None and self._get("default_organization") is None:
            self.key_error("default_organization", "missing: suggestions of new entries (/atlas/korrektur) "
                                                   "and data requests then have no office", "warning")
        elif organization and not SLUG.fullmatch(organization):
            self.key_error("default_organization", f"must be a CKAN name (lower case, digits, - and _), "
                                                   f"not {organization!r}")
        licence = self._get("content_license")
        licences = {entry["id"] for entry in json.loads(LICENSES_FILE.read_text(encoding="utf-8"))}
        if licence is None:
            self.key_error("content_license", "missing: the atlas as open data has no licence", "warning")
        elif licence not in licences:
            self.key_error("content_license", f"{licence!r} is not in the dcat-ap.de licence list "
                                              f"(e.g. dl-by-de/2.0, dl-zero-de/2.0, cc-by/4.0)")
        self._check_model_districts()
        self._check_texts("examples", city_texts.EXAMPLE_KEYS)
        matching = self._get("matching")
        if matching is not None and not (isinstance(matching, dict) and isinstance(matching.get("stopwords", []), list)):
            self.key_error("matching", "must be a mapping with stopwords: [word, …]")

    def _check_texts(self, key: str, known: tuple[str, ...]) -> None:
        section = self._get(key)
        if section is None:
            return
        if not isinstance(section, dict):
            self.key_error(key, f"must be a mapping ({', '.join(known)})")
            return
        for sub, value in section.items():
            if sub not in known:
                self.key_error(f"{key}.{sub}", f"unknown key (known: {', '.join(known)})")
            elif not isinstance(value, str):
                self.key_error(f"{key}.{sub}", "must be a text")

    def _check_label(self, key: str, value) -> None:
        if isinstance(value, str) and value.strip():
            return
        if isinstance(value, dict) and value.get("de") and all(isinstance(v, str) for v in value.values()):
            if not value.get("en"):
                self.key_error(key, "has no English label (en: …); English pages show the German one", "warning")
            return
        self.key_error(key, f"must be a label {{de: …, en: …}}, not {value!r}")

    def _check_model_districts(self) -> None:
        items = self._get("model_districts")
        if items is None:
            return
        if not isinstance(items, list):
            self.key_error("model_districts", "must be a list of {value: …, label: {de: …, en: …}}")
            return
        for i, item in enumerate(items):
            key = f"model_districts.{i}"
            if not isinstance(item, dict) or not isinstance(item.get("value"), str) \
                    or not SLUG.fullmatch(item["value"]):
                self.key_error(key, "needs value: (lower case, digits, -) and label: {de: …, en: …}")
                continue
            self._check_label(f"{key}.label", item.get("label"))

    def _check_dcat(self) -> None:
        dcat = self._get("dcat")
        if dcat is None:
            self.key_error("dcat", "missing: the DCAT-AP.de export then has no contributor, geocoding, "
                                   "publisher or contact of the city (docs/dcat.md)", "warning")
            return
        if not isinstance(dcat, dict):
            self.key_error("dcat", "must be a mapping (contributor_id, publisher_name, …)")
            return
        for key in dcat:
            if key not in DCAT_KEYS:
                self.key_error(f"dcat.{key}", f"unknown key (known: {', '.join(DCAT_KEYS)})", "warning")
        self._check_contributor(dcat.get("contributor_id"))
        level = dcat.get("geocoding_level")
        if level is not None and level not in vocab.geocoding_levels():
            self.key_error("dcat.geocoding_level", f"{level!r} is not a level of the dcat-ap.de list "
                                                   f"({', '.join(vocab.geocoding_levels())})")
        key_type, key = dcat.get("geocoding_key_type"), dcat.get("geocoding_key")
        if (key_type is None) != (key is None):
            self.key_error("dcat.geocoding_key" if key is None else "dcat.geocoding_key_type",
                           "geocoding_key_type and geocoding_key go together")
        elif key_type is not None:
            if key_type not in GEOCODING_KEY_TYPES:
                self.key_error("dcat.geocoding_key_type", f"{key_type!r} is not one of "
                                                          f"{', '.join(GEOCODING_KEY_TYPES)}")
            elif not isinstance(key, str):
                self.key_error("dcat.geocoding_key", f"must be a quoted string, not the number {key!r}")
            elif GEOCODING_KEY_TYPES[key_type] and isinstance(self._get(GEOCODING_KEY_TYPES[key_type]), str) \
                    and self._get(GEOCODING_KEY_TYPES[key_type]) != key:
                self.key_error("dcat.geocoding_key", f"{key} is not the city's {GEOCODING_KEY_TYPES[key_type]} "
                                                     f"{self._get(GEOCODING_KEY_TYPES[key_type])}")
        for name in ("publisher_name", "contact_name", "attribution"):
            if name in dcat and not (isinstance(dcat[name], str) and dcat[name].strip()):
                self.key_error(f"dcat.{name}", "must be a text")
        for name in ("publisher_url", "contact_url"):
            if name in dcat and not web_address.is_web_iri(dcat[name]):
                self.key_error(f"dcat.{name}", f"must be a web address (https://…), not {dcat[name]!r}")
        email = dcat.get("contact_email")
        if email is not None and not (isinstance(email, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
            self.key_error("dcat.contact_email", f"must be a (functional) mail address, not {email!r}")

    def _check_contributor(self, iri) -> None:
        key = "dcat.contributor_id"
        if iri is None:
            self.key_error(key, "missing: the DCAT-AP.de 2.0 conventions (K12) report every dataset without "
                                "one; docs/city.md names the ID of each Land's portal", "warning")
            return
        if not isinstance(iri, str) or not iri.startswith(vocab.CONTRIBUTORS):
            self.key_error(key, f"must be an IRI of the dcat-ap.de contributor list ({vocab.CONTRIBUTORS}…), "
                                f"not {iri!r}")
            return
        missing = [profile for profile in vocab.CONTRIBUTOR_LISTS if iri not in vocab.contributors(profile)]
        if len(missing) == len(vocab.CONTRIBUTOR_LISTS):
            self.key_error(key, f"{iri} is in none of the shipped contributor lists: the conventions (K12) "
                                f"report every dataset unless the ID is newer than the lists (docs/city.md)",
                           "warning")
        elif missing:
            self.key_error(key, f"{iri} is not in the contributor list of DCAT-AP.de {', '.join(missing)} "
                                f"({', '.join(vocab.CONTRIBUTOR_LISTS[p] for p in missing)})", "warning")

    def _check_map(self) -> None:
        center = self._get("map_center")
        if center is not None and not (isinstance(center, list) and len(center) == 2
                                       and all(isinstance(v, (int, float)) for v in center)):
            self.key_error("map_center", f"must be [latitude, longitude], not {center!r}")
        elif center is not None and not GERMANY.covers(shapely.geometry.Point(center[1], center[0])):
            swapped = GERMANY.covers(shapely.geometry.Point(center[0], center[1]))
            self.key_error("map_center", f"{center} is not in Germany" +
                           (": latitude and longitude are swapped (write [latitude, longitude])" if swapped else ""))
        zoom = self._get("map_zoom")
        if zoom is not None and not (isinstance(zoom, int) and 1 <= zoom <= 19):
            self.key_error("map_zoom", f"must be a whole number from 1 to 19, not {zoom!r}")

    def _check_branding(self) -> None:
        for key, message in [*city_brand.problems(self.settings), *base_map.problems(self.settings)]:
            self.key_error(key, message)
        logo = (self._get("branding") or {}).get("logo") if isinstance(self._get("branding"), dict) else None
        if isinstance(logo, str) and not (self.folder / logo).is_file():
            self.key_error("branding.logo", f"{logo} is not in the folder (without a logo the header shows "
                                            "the site title)")

    # -- geometry ----------------------------------------------------------

    def _file(self, key: str) -> Path | None:
        if key == "boundary" and self._get(key) is None:
            self.key_error(key, "missing: the file name of the city boundary (none? make it from the districts "
                                "with `ckan sca city-boundary FOLDER`)")
            return None
        name = self._text(key)
        if name is None:
            return None
        path = self.folder / name
        if not path.is_file():
            hint = " (make it from the districts with `ckan sca city-boundary FOLDER`)" if key == "boundary" else ""
            self.key_error(key, f"the file {name} does not exist in {self.folder}{hint}")
            return None
        return path

    def _features(self, path: Path) -> list[tuple[int, dict, object]]:
        """(index, feature, shapely geometry or None where it is not a valid
        WGS 84 outline) of the features of path."""
        name = path.name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.error(name, "", "is not UTF-8 text")
            return []
        except json.JSONDecodeError as exc:
            self.error(name, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")
            return []
        if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
            self.error(name, "", "must be a GeoJSON FeatureCollection or Feature")
            return []
        crs = str(((data.get("crs") or {}).get("properties") or {}).get("name") or "")
        if crs and not re.search(r"CRS84$|EPSG::?4326$", crs):
            self.error(name, "crs", f"{crs} is not WGS 84: reproject the file to WGS 84 (EPSG:4326), "
                                    f"e.g. ogr2ogr -t_srs EPSG:4326 out.geojson {name}")
        features = data["features"] if data["type"] == "FeatureCollection" else [data]
        if not isinstance(features, list) or not features:
            self.error(name, "", "has no features")
            return []
        return [(i, feature if isinstance(feature, dict) else {}, self._geometry(name, i, feature))
                for i, feature in enumerate(features)]

    def _geometry(self, name: str, i: int, feature):
        where = f"feature {i}"
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            self.error(name, where, "has no geometry")
            return None
        try:
            geom = shapely.geometry.shape(feature["geometry"])
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            self.error(name, where, f"geometry is not GeoJSON: {exc}")
            return None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            self.error(name, where, f"is a {geom.geom_type}; only Polygon or MultiPolygon outlines are used")
            return None
        if geom.is_empty:
            self.error(name, where, "geometry is empty")
            return None
        minx, miny, maxx, maxy = geom.bounds
        if not all(math.isfinite(v) for v in geom.bounds) or abs(minx) > 180 or abs(maxx) > 180 \
                or abs(miny) > 90 or abs(maxy) > 90:
            self.error(name, where, f"coordinates ({minx:.0f}, {miny:.0f}) are no longitude/latitude: the file "
                                    f"looks projected (e.g. UTM, EPSG:25832/25833); reproject it to WGS 84 (EPSG:4326)")
            return None
        if not GERMANY.intersects(geom):
            swapped = GERMANY.intersects(shapely.geometry.box(miny, minx, maxy, maxx))
            self.error(name, where, "lies outside Germany" + (
                ": longitude and latitude are swapped (GeoJSON is [longitude, latitude])" if swapped else ""))
            return None
        if not geom.is_valid:
            self.error(name, where, f"geometry is not valid: {shapely.is_valid_reason(geom)} "
                                    f"(repair it, e.g. with QGIS's 'Fix geometries' or shapely.make_valid)")
            return None
        return geom

    def _read_boundary(self):
        path = self._file("boundary")
        if path is None:
            return None
        parts = [geom for _i, _f, geom in self._features(path)]
        return shapely.union_all(parts) if parts and None not in parts else None

    def _read_districts(self) -> None:
        spec = self._get("districts")
        if not isinstance(spec, dict):
            self.key_error("districts", "missing or not a mapping (file, id_property, name_property, lookup)")
            return
        for key in spec:
            if key not in DISTRICT_KEYS:
                self.key_error(f"districts.{key}", f"unknown key (known: {', '.join(DISTRICT_KEYS)})")
        if spec.get("label") is not None:
            self._check_label("districts.label", spec["label"])
        id_prop, name_prop = self._text("districts.id_property"), self._text("districts.name_property")
        path = self._file("districts.file")
        if path is None or id_prop is None or name_prop is None:
            return
        seen: dict[str, int] = {}
        for i, feature, geom in self._features(path):
            props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            where = f"feature {i}"
            if props.get(id_prop) in (None, ""):
                self.error(path.name, where, f"has no {id_prop} (districts.id_property); its properties: "
                                             f"{', '.join(props) or 'none'}")
                continue
            district_id = str(props[id_prop])
            where = f"feature {i} ({id_prop}={district_id})"
            if district_id in seen:
                self.error(path.name, where, f"the id {district_id} is also feature {seen[district_id]}'s")
                continue
            seen[district_id] = i
            if props.get(name_prop) in (None, ""):
                self.error(path.name, where, f"has no {name_prop} (districts.name_property)")
            # listed even with a broken outline: districts.csv is checked against the ids
            self.districts[district_id] = (str(props.get(name_prop) or district_id), geom)

    def _check_lookup(self) -> None:
        spec = self._get("districts")
        if not isinstance(spec, dict) or not self.districts:
            return
        labels = spec.get("group_labels") or {}
        if not isinstance(labels, dict):
            self.key_error("districts.group_labels", "must be a mapping group_type: {de: …, en: …}")
            labels = {}
        for kind, label in labels.items():
            self._check_label(f"districts.group_labels.{kind}", label)
        if not spec.get("lookup"):
            return  # one level of districts: names from the district file, no groups
        path = self._file("districts.lookup")
        if path is None:
            return
        name = path.name
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:  # -sig: a spreadsheet's byte order mark
                reader = csv.DictReader(fh)
                header = list(reader.fieldnames or [])
                rows = list(reader)
        except UnicodeDecodeError:
            self.error(name, "", "is not UTF-8 text (save it as CSV UTF-8)")
            return
        missing = [c for c in LOOKUP_COLUMNS if c not in header]
        if missing:
            self.error(name, "line 1", f"lacks the column(s) {', '.join(missing)}; the header must be "
                                       f"{','.join(LOOKUP_COLUMNS)} (comma-separated)")
            return
        listed: dict[str, int] = {}
        district_file = spec.get("file")
        for line, row in enumerate(rows, start=2):
            district_id = (row.get("district_id") or "").strip()
            if not district_id:
                self.error(name, f"line {line}", "has no district_id")
                continue
            if district_id in listed:
                self.error(name, f"line {line}", f"district {district_id} is listed again (first on line "
                                                 f"{listed[district_id]})")
                continue
            listed[district_id] = line
            if district_id not in self.districts:
                self.error(name, f"line {line}", f"district {district_id} is not in {district_file}")
            kind, group = (row.get("group_type") or "").strip(), (row.get("group") or "").strip()
            if bool(kind) != bool(group):
                self.error(name, f"line {line}", "group_type and group are both given or both empty")
            elif kind and kind not in labels:
                self.error(name, f"line {line}", f"group_type {kind!r} has no label in districts.group_labels "
                                                 f"of city.yaml ({kind}: {{de: …, en: …}})")
        for district_id, (district_name, _geom) in self.districts.items():
            if district_id not in listed:
                self.error(name, "", f"district {district_id} ({district_name}) of {district_file} is missing")

    def _check_inside_boundary(self) -> None:
        if self.boundary is None:
            return
        tolerant = self.boundary.buffer(0.0007)  # as the portal's own check (~50 m)
        center = self._get("map_center")
        if isinstance(center, list) and len(center) == 2 and all(isinstance(v, (int, float)) for v in center):
            if not tolerant.covers(shapely.geometry.Point(center[1], center[0])):
                self.key_error("map_center", f"{center} lies outside the city boundary", "warning")
        geoms = [geom for _name, geom in self.districts.values()]
        if not geoms or None in geoms:
            return  # a broken outline is named already; coverage says nothing then
        file = self._get("districts.file")
        for district_id, (name, geom) in self.districts.items():
            outside = geom.difference(tolerant).area
            if outside > OUTSIDE_TOLERANCE * geom.area:
                share = 100 * outside / geom.area
                self.warning(file, f"district {district_id} ({name})",
                             f"{share:.0f} % of it lies outside the boundary {self._get('boundary')}")
        uncovered = self.boundary.difference(shapely.union_all(geoms).buffer(0.0007)).area
        if uncovered > OUTSIDE_TOLERANCE * self.boundary.area:
            self.warning(self._get("boundary"), "", f"{100 * uncovered / self.boundary.area:.0f} % of the city "
                                                    f"lies in no district: locations there get no district")

    def _check_radar(self) -> None:
        radar = self._get("radar")
        if radar is None:
            return
        if not isinstance(radar, dict):
            self.key_error("radar", "must be a mapping (docs/radar.md)")
            return
        for key in ("match_threshold", "uncertain_threshold"):
            value = radar.get(key)
            if value is not None and not (isinstance(value, (int, float)) and 0 <= value <= 1):
                self.key_error(f"radar.{key}", f"must be a number from 0 to 1, not {value!r}")
        aliases = radar.get("actor_aliases") or {}
        if not isinstance(aliases, dict) or not all(isinstance(v, list) for v in aliases.values()):
            self.key_error("radar.actor_aliases", "must map an actor's URL name to a list of names")
        gazetteer = radar.get("gazetteer") or {}
        if not isinstance(gazetteer, dict):
            self.key_error("radar.gazetteer", "must map a place name to [longitude, latitude]")
            return
        for place, point in gazetteer.items():
            key = f"radar.gazetteer.{place}"
            if not (isinstance(point, list) and len(point) == 2 and all(isinstance(v, (int, float)) for v in point)):
                self.key_error(key, f"must be [longitude, latitude], not {point!r}")
            elif self.boundary is not None and not self.boundary.buffer(0.0007).covers(shapely.geometry.Point(point)):
                self.key_error(key, f"{point} lies outside the city boundary ([longitude, latitude]?)", "warning")

    # -- legal pages and demo ------------------------------------------------

    def _check_legal(self) -> None:
        for severity, key, message in legal_settings.problems(self.settings):
            self.key_error(key, message, severity)
        own = self.folder / "legal"
        if not own.is_dir():
            return
        known = set(legal_settings.values(self.settings, "de"))
        for path in sorted(own.glob("*.md")):
            page = path.name.split(".")[0]
            if page not in ("impressum", "datenschutz", "barrierefreiheit"):
                self.warning(f"legal/{path.name}", "", "is no page of the portal (impressum, datenschutz, "
                                                       "barrierefreiheit; .de.md or .en.md)")
            for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for placeholder in legal_settings.PLACEHOLDER.findall(text):
                    if placeholder not in known:
                        self.error(f"legal/{path.name}", f"line {line}", f"${{{placeholder}}} is not a known "
                                                                         f"value ({', '.join(sorted(known))})")

    def _check_demo(self) -> None:
        """The demo atlas ``deploy/sca up`` loads while SCA_DEMO=1 (a city
        without demo/ starts with an empty atlas)."""
        folder = self.folder / "demo"
        if not folder.is_dir() or self.demo is False:
            return
        for name in ("actors.yaml", "projects.yaml"):
            path = folder / name
            if not path.is_file():
                self.error(f"demo/{name}", "", "missing: demo-load reads it from demo/ (or set SCA_DEMO=0)")
                continue
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                self.error(f"demo/{name}", f"line {mark.line + 1}" if mark else "", f"not valid YAML: {exc}")
                continue
            if isinstance(data, dict):
                self._check_demo_entries(f"demo/{name}", data.get("actors" if name == "actors.yaml" else "projects"))
        radar = next((folder / n for n in ("radar.csv", "radar.xlsx", "radar.json") if (folder / n).exists()), None)
        if radar is not None and not self._get("default_organization"):
            self.key_error("default_organization", f"missing: radar-demo harvests demo/{radar.name} into it")

    def _check_demo_entries(self, file: str, entries) -> None:
        names = {name for name, _geom in self.districts.values()}
        outside = []
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            location = entry.get("location")
            if isinstance(location, str) and location.startswith("district:") \
                    and location.split(":", 1)[1] not in names and location.split(":", 1)[1] not in self.districts:
                self.error(file, str(entry.get("name")), f"location {location}: no such district")
            spatial = entry.get("spatial")
            if self.boundary is not None and isinstance(spatial, dict):
                try:
                    geom = shapely.geometry.shape(spatial)
                except (ValueError, TypeError, AttributeError, KeyError, IndexError):
                    continue
                if not self.boundary.buffer(0.0007).covers(geom):
                    outside.append(str(entry.get("name")))
        if outside:
            self.warning(file, ", ".join(outside[:5]) + (" …" if len(outside) > 5 else ""),
                         f"{len(outside)} entries lie outside the city boundary (a demo folder of another city?)")


def check(folder: Path, demo: bool | None = None) -> list[Finding]:
    return CityCheck(folder, demo).run()
