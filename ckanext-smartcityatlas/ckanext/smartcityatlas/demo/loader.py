# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load a city's demo atlas (organisations, actors, projects, datasets) idempotently.

The demo files live in the city folder (``demo/actors.yaml``,
``demo/projects.yaml`` and optionally ``demo/datasets.yaml``, DCAT-AP.de
datasets whose strings may name ``{site_url}``). Every entity stores a hash of its source entry in
``sca_import_hash``: an unchanged entry is skipped (no update, no activity),
a changed one is patched, a new one created. Location keywords of projects:
``location: city`` (the city boundary) and ``location: district:<name>`` (a
point inside that district).
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import shapely.geometry
import yaml

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.caller import site_context
from ckanext.smartcityatlas.demo import source_titles
from ckanext.smartcityatlas.entities import relations

log = logging.getLogger(__name__)
LOADER_VERSION = "2"  # bump to re-apply every entry after a loader change (2: source titles)
BOUNDARY_SIMPLIFY = 0.0005  # ~50 m, keeps the record small


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, dict] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.failed)} failed")


def demo_folder(city=None) -> Path:
    return (city or city_config.current()).folder / "demo"


def read(folder: Path) -> tuple[list[dict], list[dict], list[dict]]:
    actors = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8")) or {}
    projects = yaml.safe_load((folder / "projects.yaml").read_text(encoding="utf-8")) or {}
    return actors.get("organizations", []), actors.get("actors", []), projects.get("projects", [])


def read_datasets(folder: Path) -> list[dict]:
    path = folder / "datasets.yaml"
    if not path.exists():
        return []
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("datasets", [])
    site_url = tk.config.get("ckan.site_url").rstrip("/")
    return json.loads(json.dumps(entries).replace("{site_url}", site_url))


def entry_hash(entry: dict) -> str:
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str) + LOADER_VERSION
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_location(entry: dict, city) -> dict:
    """Entry fields → dataset fields for the location."""
    out = dict(entry)
    keyword = out.pop("location", None)
    if keyword == "city":
        boundary = city.home.boundary.simplify(BOUNDARY_SIMPLIFY)  # in a region: the city's own
        out["spatial"] = shapely.geometry.mapping(boundary)
        out["location_source"] = "city_boundary"
    elif isinstance(keyword, str) and keyword.startswith("district:"):
        district = city.district_by_name(keyword.split(":", 1)[1])
        if district is None:
            raise ValueError(f"unknown district in {keyword!r}")
        out["spatial"] = city.district_point(district)
        out["location_source"] = "district_centroid"
    elif keyword is not None:
        raise ValueError(f"unknown location keyword {keyword!r}")
    if isinstance(out.get("spatial"), dict):
        out["spatial"] = json.dumps(_plain(out["spatial"]), separators=(",", ":"))
    return out


def readable_sources(entry: dict) -> dict:
    """``record_source`` with the titles of the cited documents in place of
    their file names in the seed folder (source_titles.py)."""
    text = entry.get("record_source")
    return {**entry, "record_source": source_titles.readable(text)} if isinstance(text, str) else entry


def _plain(geojson):
    """shapely's mapping uses tuples; GeoJSON wants lists."""
    return json.loads(json.dumps(geojson))


def ensure_organizations(orgs: list[dict], report: Report) -> None:
    for org in orgs:
        try:
            existing = tk.get_action("organization_show")(site_context(), {"id": org["name"]})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(site_context(), dict(org))
            report.created.append(f"organization {org['name']}")
            continue
        # fields the demo gained later; what a person changed stays
        missing = {k: v for k, v in org.items() if k not in ("name", "title", "description") and not existing.get(k)}
        if missing:
            tk.get_action("organization_patch")(site_context(), {"id": existing["id"], **missing})
            report.updated.append(f"organization {org['name']}")
        else:
            report.unchanged.append(f"organization {org['name']}")


def upsert(entry: dict, dataset_type: str, city, report: Report) -> None:
    name = entry["name"]
    digest = entry_hash(entry)
    try:
        existing = tk.get_action("package_show")(site_context(), {"id": name})
    except tk.ObjectNotFound:
        existing = None
    if existing and existing.get("sca_import_hash") == digest and existing.get("state") == "active":
        report.unchanged.append(name)
        return
    data = readable_sources(resolve_location(entry, city))
    data.update(type=dataset_type, sca_import_hash=digest)
    try:
        if existing is None:
            tk.get_action("package_create")(site_context(), data)
            report.created.append(name)
        else:
            data["id"] = existing["id"]
            data["state"] = "active"
            tk.get_action("package_update")(site_context(), data)
            report.updated.append(name)
    except tk.ValidationError as exc:
        report.failed[name] = exc.error_dict
        log.error("demo entry %s refused: %s", name, exc.error_dict)


def load(folder: Path | None = None) -> Report:
    city = city_config.current()
    orgs, actors, projects = read(folder or demo_folder(city))
    report = Report()
    ensure_organizations(orgs, report)
    # each partner actor reindexed once at the end, not after every project naming it
    with relations.deferred_actor_reindex():
        for actor in actors:
            upsert(actor, "actor", city, report)
        # measures first: other projects name them in part_of
        for project in sorted(projects, key=lambda p: p.get("project_kind") != "measure"):
            upsert(project, "project", city, report)
    for dataset in read_datasets(folder or demo_folder(city)):
        upsert(dataset, "dataset", city, report)
    load_datarequests(folder or demo_folder(city), report)
    return report


def load_datarequests(folder: Path, report: Report) -> None:
    """``demo/datarequests.yaml``: public data requests with their answers (created once, by title)."""
    from ckanext.smartcityatlas.datarequests import store

    path = folder / "datarequests.yaml"
    if not path.exists():
        return
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("datarequests", [])
    known = {row["title"] for row in store.listing(None, None, 1000, 0)[1]}
    for entry in entries:
        if entry["title"] in known:
            report.unchanged.append(f"data request {entry['title']}")
            continue
        created = tk.get_action("sca_datarequest_create")(
            site_context(), {"title": entry["title"], "description": entry["description"],
                         "organization": entry.get("organization")})
        if entry.get("status", "open") != "open":
            tk.get_action("sca_datarequest_update")(site_context(), {
                "id": created["id"], "status": entry["status"], "dataset": entry.get("dataset"),
                "reason": entry.get("reason")})
        report.created.append(f"data request {entry['title']}")
