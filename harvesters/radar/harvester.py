# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_radar``: Smart-City-Radar exports (CSV, XLSX, JSON) into projects
and their partners (docs/radar.md).

Gather reads the file (through the base's safe fetcher), finds the header
with the mapping file and turns every row into one harvest object whose
guid is the row's radar id; rows that cannot be imported (no radar id or
title, an unknown entry type or status, a radar id twice) are rejected with
their row number and never stop the run. Import maps the categories,
matches partners to actors, finds the location and hands the project to
the base, which keeps ids stable, skips unchanged rows and respects what a
curator edited. The project an entry lands in is the one with the same
``radar_id``, whoever created it (the demo atlas, another source), so a
radar export updates the atlas instead of duplicating it.
"""
from __future__ import annotations

import datetime
import json
import re

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import shapely.geometry
import sqlalchemy as sa
from ckan import model

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, RecordError, SCAHarvesterBase
from ckanext.smartcityatlas.harvesters.radar import actors as actor_matching
from ckanext.smartcityatlas.harvesters.radar import geocode, reader, sheet

ACCEPT = ("text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, "
          "application/json;q=0.8, */*;q=0.1")
RADAR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")
RECORD_SOURCE = "Smart-City-Radar"
BOUNDARY_SIMPLIFY = 0.0005  # as the demo loader: a city-wide entry gets the same geometry
# field of the sheet → project fields it writes
WRITES = {
    "title": ("title",), "entry_type": ("project_kind",), "status": ("status", "status_updated"),
    "status_date": ("status_updated",), "summary": ("summary",), "notes": ("notes",),
    "themes": ("themes",), "fields_of_action": ("fields_of_action",), "topics": ("topics",),
    "measure": ("part_of",), "lead": ("partners",), "partners": ("partners",),
    "start_date": ("start_date",), "end_date": ("end_date",), "model_district": ("model_district",),
    "district": ("spatial", "location_source"), "address": ("spatial", "location_source"),
    "lat": ("spatial", "location_source"), "lon": ("spatial", "location_source"),
    "coordinates": ("spatial", "location_source"), "url": ("links",),
    "funding_programme": ("funding_programme",), "budget_eur": ("budget_eur",), "sdgs": ("sdgs",),
    "radar_id": ("radar_id",),
}
RADAR_FIELDS = tuple(sorted({f for fields in WRITES.values() for f in fields}))
# what a row of entry type "actor" writes (a curator's edit of them is kept, as for projects)
ACTOR_FIELDS = ("actor_kind", "helix_sector", "location_source", "notes", "radar_id", "sdgs", "spatial", "themes",
                "title", "topics", "url")


def _check_mapping(value):
    return sheet.check_mapping(value, "radar_mapping")


def _threshold(name):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise ValueError(f"{name} must be a number between 0 and 1")
        return float(value)
    return check


def _format(value):
    if value not in reader.FORMATS:
        raise ValueError(f"radar_format must be one of {', '.join(reader.FORMATS)}")
    return value


class SCARadarHarvester(SCAHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_radar"
    TITLE = "Smart-City-Radar"
    DESCRIPTION = ("Smart-City-Radar exports (CSV, XLSX, JSON) with a mapping file: measures, projects, "
                   "activities and topics with their partners, locations and status history")
    DATASET_TYPE = "project"
    OWNED_FIELDS = RADAR_FIELDS
    VALIDATE_DCAT = False
    CHECKS = {"radar_mapping": _check_mapping, "radar_format": _format,
              "match_threshold": _threshold("match_threshold"),
              "uncertain_threshold": _threshold("uncertain_threshold")}
    CONFIG_KEYS = tuple(CHECKS)

    def check_config(self, values: dict) -> dict:
        return {key: self.CHECKS[key](value) for key, value in values.items()}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._job_key = None
        self._state = None

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        from ckanext.smartcityatlas.harvesters.radar import upload

        if upload.is_upload(url):  # a file uploaded in the source form: read from the storage
            body, info = upload.read(url, cfg.source_id)
            content_type, name = upload.FORMATS.get(info.get("format")), info.get("file_name") or ""
        else:
            response = fetcher(url, accept=ACCEPT)
            body, content_type, name = response.body, response.content_type, response.url
        mapping = sheet.RadarMapping.for_source(cfg.extra.get("radar_mapping"))
        fmt = reader.detect_format(body, content_type, name, cfg.extra.get("radar_format"))
        table = reader.read(body, fmt, mapping.header_score, cfg.limits().max_bytes)
        problems = [f"[warning] {note}" for note in table.notes]
        fields_at: dict[int, str] = {}
        for i, column in enumerate(table.columns):
            if not column:
                continue
            field = mapping.field_of(column)
            if field is None:
                problems.append(f"[unmapped] column {column!r} is not in the radar mapping; ignored")
            elif field in fields_at.values():
                problems.append(f"[warning] column {column!r} maps to {field} like an earlier column; ignored")
            else:
                fields_at[i] = field
        missing = [f for f in ("radar_id", "title", "entry_type", "status") if f not in fields_at.values()]
        if missing:
            raise ValueError(f"the file has no column for {', '.join(missing)} (see the radar mapping)")
        records, present, seen = [], set(), {}
        for number, cells in table.rows:
            fields = {}
            for i, value in enumerate(cells):
                field = fields_at.get(i)
                if field and value not in (None, "", []):
                    fields[field] = sheet.cell_json(value)
            if not fields:
                continue  # an empty row
            rejected = self._reject_reason(fields, mapping, seen)
            radar_id = str(fields.get("radar_id") or "").strip()
            if rejected:
                problems.append(f"[rejected] row {number}: {rejected}")
                if radar_id and RADAR_ID.fullmatch(radar_id):
                    present.add(radar_id)  # still upstream: not withdrawn
                continue
            seen[radar_id] = number
            fields["radar_id"] = radar_id
            fields["entry_type"] = mapping.category("entry_types", fields["entry_type"])
            if fields["entry_type"] == sheet.ACTOR:
                fields.pop("status", None)  # actors have no status
            else:
                fields["status"] = mapping.category("statuses", fields["status"])
            content = json.dumps({"row": number, "columns": sorted(set(fields_at.values())), "fields": fields},
                                 ensure_ascii=False, sort_keys=True)
            records.append(Record(guid=radar_id, content=content))
        # actors first (projects name them as partners), then measures (projects name them in part_of)
        order = {sheet.ACTOR: 0, "measure": 1}
        records.sort(key=lambda r: order.get(json.loads(r.content)["fields"]["entry_type"], 2))
        return Gathered(records=records, problems=problems, present=present)

    @staticmethod
    def _reject_reason(fields, mapping, seen) -> str | None:
        radar_id = str(fields.get("radar_id") or "").strip()
        if not radar_id:
            return "no radar id"
        if not RADAR_ID.fullmatch(radar_id):
            return f"radar id {radar_id!r}: only letters, digits, '.', '_' and '-' (at most 64)"
        if radar_id in seen:
            return f"radar id {radar_id!r} appears twice (first in row {seen[radar_id]}); the first was used"
        if not str(fields.get("title") or "").strip():
            return f"{radar_id}: no title"
        kind = fields.get("entry_type")
        if kind is None:
            return f"{radar_id}: no entry type"
        if mapping.category("entry_types", kind) is None:
            return f"{radar_id}: unknown entry type {kind!r} (add it to entry_types of the radar mapping)"
        if mapping.category("entry_types", kind) == sheet.ACTOR:
            return None
        status = fields.get("status")
        if status is None:
            return f"{radar_id}: no status"
        if mapping.category("statuses", status) is None:
            return f"{radar_id}: unknown status {status!r} (add it to statuses of the radar mapping)"
        return None

    # ---- import ----------------------------------------------------------------

    def job_imported(self, harvest_object) -> None:
        """The run of a new uploaded file is done: earlier uploads go. (The
        partner actors of the job's projects are reindexed once by the base,
        harvesters/job_reindex.py.)"""
        from ckanext.smartcityatlas.harvesters.radar import upload

        source = harvest_object.source
        if upload.is_upload(source.url):
            upload.prune(source.id, source.url)

    def prepare_import(self, obj) -> None:
        """Per job: the mapping, the actors, the geocoder (read once, not per row)."""
        job_key = (obj.harvest_job_id, obj.source.config)
        if self._job_key == job_key and self._state is not None:
            return
        from ckanext.smartcityatlas.harvesters.radar import alias_store

        cfg = self.parse_config(obj.source.config)
        city = city_config.current()
        settings = city.settings.get("radar") or {}
        actors, gazetteer = _atlas_actors()
        gazetteer.update({name: point for name, point in (settings.get("gazetteer") or {}).items()})
        index = actor_matching.ActorIndex(
            actors, settings.get("actor_aliases") or {}, alias_store.aliases(),
            cfg.extra.get("match_threshold", settings.get("match_threshold", actor_matching.MATCH_THRESHOLD)),
            cfg.extra.get("uncertain_threshold",
                            settings.get("uncertain_threshold", actor_matching.UNCERTAIN_THRESHOLD)))
        policy = fetch.NetworkPolicy.from_config()

        def fetcher(url, accept="*/*"):
            return fetch.fetch(url, cfg.limits(), policy=policy, accept=accept)

        boundary = json.loads(json.dumps(shapely.geometry.mapping(city.home.boundary.simplify(BOUNDARY_SIMPLIFY))))
        # the radar is the city's own (in a region: its districts as the city names them)
        geocoder = geocode.Geocoder(city.home, gazetteer, tk.config.get("ckanext.smartcityatlas.radar.geocoder_url")
                                    or None, fetcher, boundary_point=lambda: boundary)
        self._state = {"mapping": sheet.RadarMapping.for_source(cfg.extra.get("radar_mapping")),
                       "actors": index, "geocoder": geocoder, "city": city,
                       # one query per job instead of several table scans per row
                       "radar_ids": _radar_ids(), "measures": {},
                       # the rows of entry type "actor" built in this job (after_import)
                       "actor_rows": set()}
        self._job_key = job_key

    def complete_package(self, pkg: dict) -> dict:
        """An uploaded file's address changes with every upload: the records
        name the source's stable download address instead, so a new file
        with the same row is unchanged."""
        from ckanext.smartcityatlas.harvesters.radar import upload

        if upload.is_upload(pkg.get("sca_harvest_source_url")):
            pkg["sca_harvest_source_url"] = upload.download_url(pkg["sca_harvest_source"])
        return pkg

    def _record_of(self, radar_id: str, kind: str = "project") -> tuple[str, str] | None:
        """(id, state) of the project (or actor) with this radar id: as it was
        when the job's import began (a row's own record is created under the
        id the base derives, so later lookups in the job give the same id)."""
        if self._state is None:
            return _by_radar_id(radar_id, kind)
        return self._state["radar_ids"].get((kind, radar_id))

    def package_id(self, source, guid, built) -> str:
        found = self._record_of(guid, built.get("type") or "project")
        return found[0] if found else super().package_id(source, guid, built)

    def owned_fields(self, built: dict) -> tuple[str, ...]:
        """Ownership covers what this file writes (the fields it has columns for)."""
        fields = ACTOR_FIELDS if built.get("type") == sheet.ACTOR else RADAR_FIELDS
        return tuple(sorted(k for k in built if k in fields))

    def keep_from_existing(self, pkg: dict, existing: dict) -> dict:
        """Only the fields the file has columns for are the radar's; the
        others (and the organisation) stay as they are."""
        kind = existing.get("type") or "project"
        out = {k: v for k, v in existing.items() if k in _schema_fields(kind) and k not in pkg}
        out.update(pkg)
        out["owner_org"] = existing.get("owner_org") or pkg.get("owner_org")
        return out

    def build_package(self, content, guid, mapper) -> dict:
        state = self._state
        data = json.loads(content)
        row, f = data["row"], data["fields"]
        present = set(data["columns"])
        mapping: sheet.RadarMapping = state["mapping"]
        if f["entry_type"] == sheet.ACTOR:
            return self._build_actor(guid, row, f, present, mapper)
        existing = self._record_of(guid)
        current = _package_fields(existing[0]) if existing else {}
        out: dict = {"radar_id": guid, "title": f["title"], "project_kind": f["entry_type"], "status": f["status"]}
        where = f"row {row}"

        # status and the date it holds from: the sheet's, else unchanged, else today
        date = f.get("status_date")
        effective = sheet.parse_date(date) if date is not None else None
        if date is not None and effective is None:
            mapper.drop(guid, f"{where}: status date", date)
        if effective is not None:
            out["status_updated"] = effective.isoformat()
        elif existing and current.get("status") == f["status"]:
            out["status_updated"] = current.get("status_updated") or ""  # unchanged: as it was
        else:
            out["status_updated"] = datetime.date.today().isoformat()

        for field in ("summary", "notes", "funding_programme"):
            if field in present:
                out[field] = str(f.get(field) or "")
        for field, category in (("themes", "themes"), ("fields_of_action", "fields_of_action"),
                                ("topics", "topics")):
            if field in present:
                out[field] = self._codes(mapping, category, f.get(field), mapper, guid, f"{where}: {field}")
        for field in ("start_date", "end_date"):
            if field in present:
                out[field] = self._date(f.get(field), mapper, guid, f"{where}: {field}")
        if out.get("start_date") and out.get("end_date") and out["end_date"] < out["start_date"]:
            mapper.drop(guid, f"{where}: end_date (before the start)", out["end_date"])
            out["end_date"] = ""
        if "budget_eur" in present:
            raw = f.get("budget_eur")
            number = sheet.parse_number(raw)
            if raw is not None and (number is None or number < 0):
                mapper.drop(guid, f"{where}: budget", raw)
            out["budget_eur"] = "" if number is None or number < 0 else (
                str(int(number)) if number.is_integer() else f"{number:.2f}")
        if "url" in present:
            links = [u for u in mapping.split(f.get("url")) if u.startswith(("http://", "https://"))]
            for bad in set(mapping.split(f.get("url"))) - set(links):
                mapper.drop(guid, f"{where}: link", bad)
            out["links"] = links
        if "sdgs" in present:
            out["sdgs"] = self._sdgs(mapping.split(f.get("sdgs")), mapper, guid, where)
        if "model_district" in present:
            out["model_district"] = self._model_district(f.get("model_district"), state["city"], mapper,
                                                         guid, where)
        if "measure" in present:
            out["part_of"] = self._measure(f.get("measure"), f["entry_type"], mapper, guid, where,
                                           state["measures"])
        if {"lead", "partners"} & present:
            out["partners"] = self._partners(f, mapping, state["actors"], mapper, guid, where)
        if present & {"district", "address", "lat", "lon", "coordinates"}:
            located = state["geocoder"].locate(f, row)
            mapper.notes.extend(located.notes)
            out["spatial"] = json.dumps(located.spatial, separators=(",", ":")) if located.spatial else ""
            out["location_source"] = located.source or ""
        if not existing or current.get("record_source") == RECORD_SOURCE:
            out["record_source"] = RECORD_SOURCE  # entries of others keep theirs
        return {k: (None if v == "" else v) for k, v in out.items()}  # an empty cell clears

    def _build_actor(self, guid, row, f, present, mapper) -> dict:
        """A row of entry type "actor": an actor of the atlas (docs/radar.md)."""
        state = self._state
        state["actor_rows"].add(guid)
        mapping: sheet.RadarMapping = state["mapping"]
        existing = self._record_of(guid, sheet.ACTOR)
        where = f"row {row}"
        out: dict = {"type": sheet.ACTOR, "radar_id": guid, "title": f["title"]}
        if {"notes", "summary"} & present:
            out["notes"] = str(f.get("notes") or f.get("summary") or "")
        for field, category in (("actor_kind", "actor_kinds"), ("helix_sector", "helix_sectors")):
            if field in present and f.get(field) not in (None, ""):
                code = mapping.category(category, f.get(field))
                if code is None:
                    mapper.drop(guid, f"{where}: {field}", f.get(field))
                else:
                    out[field] = code
        for field in ("themes", "topics"):
            if field in present:
                out[field] = self._codes(mapping, field, f.get(field), mapper, guid, f"{where}: {field}")
        if "url" in present:
            links = [u for u in mapping.split(f.get("url")) if u.startswith(("http://", "https://"))]
            for bad in set(mapping.split(f.get("url"))) - set(links[:1]):
                mapper.drop(guid, f"{where}: link", bad)
            out["url"] = links[0] if links else ""
        if "sdgs" in present:
            out["sdgs"] = self._sdgs(mapping.split(f.get("sdgs")), mapper, guid, where)
        if present & {"district", "address", "lat", "lon", "coordinates"}:
            located = state["geocoder"].locate(f, row)
            mapper.notes.extend(located.notes)
            out["spatial"] = json.dumps(located.spatial, separators=(",", ":")) if located.spatial else ""
            out["location_source"] = located.source or ""
        current = _package_fields(existing[0]) if existing else {}
        if not existing or current.get("record_source") == RECORD_SOURCE:
            out["record_source"] = RECORD_SOURCE
        # what the actor schema requires: a new actor needs it in the row, an
        # existing one keeps its own when the cell is empty
        for field, what in (("notes", "a description (Beschreibung or Kurzbeschreibung)"),
                            ("actor_kind", "an actor kind (Akteursart)"), ("helix_sector", "a sector (Sektor)")):
            if not out.get(field):
                out.pop(field, None)
                if not existing:
                    raise RecordError(f"{where}: the new actor {guid!r} needs {what}")
        return {k: (None if v == "" else v) for k, v in out.items()}

    def after_import(self, harvest_object, cfg, package_id: str) -> None:
        """An actor of the file is a partner the next rows can name."""
        if self._state is None or harvest_object.guid not in self._state["actor_rows"]:
            return  # a project: no query for its type
        pkg = model.Package.get(package_id)
        if pkg is not None and pkg.type == sheet.ACTOR:
            self._state["actors"].add(actor_matching.Actor(pkg.id, pkg.name, pkg.title or pkg.name))

    # ---- values ----------------------------------------------------------------

    @staticmethod
    def _codes(mapping, category, value, mapper, guid, where) -> list[str]:
        codes = []
        for name in mapping.split(value):
            code = mapping.category(category, name)
            if code is None:
                mapper.drop(guid, where, name)
            elif code not in codes:
                codes.append(code)
        return codes

    @staticmethod
    def _date(value, mapper, guid, where) -> str:
        if value in (None, ""):
            return ""
        parsed = sheet.parse_date(value)
        if parsed is None:
            mapper.drop(guid, where, value)
            return ""
        if str(value) != parsed.isoformat():
            mapper.note(guid, where, value, parsed.isoformat())
        return parsed.isoformat()

    @staticmethod
    def _sdgs(values, mapper, guid, where) -> list[str]:
        out = []
        for value in values:
            m = re.fullmatch(r"(?i)(?:sdg\s*)?(\d{1,2})(?:\.0)?", value.strip())
            if m and 1 <= int(m.group(1)) <= 17:
                if m.group(1).lstrip("0") not in out:
                    out.append(m.group(1).lstrip("0"))
            else:
                mapper.drop(guid, f"{where}: SDG", value)
        return out

    @staticmethod
    def _model_district(value, city, mapper, guid, where) -> str:
        if value in (None, ""):
            return ""
        for option in city.settings.get("model_districts", []):
            names = [option["value"], *(option.get("label") or {}).values()]
            if sheet.key(value) in {sheet.key(n) for n in names}:
                return option["value"]
        mapper.drop(guid, f"{where}: model district", value)
        return ""

    @staticmethod
    def _measure(value, kind, mapper, guid, where, known: dict) -> str:
        if value in (None, ""):
            return ""
        if kind == "measure":
            mapper.drop(guid, f"{where}: measure (a measure is part of no other)", value)
            return ""
        ref = str(value).strip()
        found = known.get(ref) or _measure_id(ref)
        if found is not None:
            known[ref] = found  # measures are imported first; one found stays found
        if found is None:
            mapper.drop(guid, f"{where}: measure (not in the atlas)", value)
            return ""
        return found

    def _partners(self, f, mapping, index, mapper, guid, where) -> list[dict]:
        out, seen = [], set()
        for column, default_role in (("lead", "lead"), ("partners", "partner")):
            for entry in mapping.split(f.get(column)):
                name, role = entry, default_role
                m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", entry)
                if m and mapping.category("roles", m.group(2)):
                    name, role = m.group(1).strip(), mapping.category("roles", m.group(2))
                match = index.match(name)
                if match.how == "fuzzy":
                    actor = index.actors[match.actor_id]
                    mapper.note(guid, f"{where}: partner", name, f"{actor.name} (similarity {match.score:.2f})")
                elif match.how == "uncertain":
                    mapper.notes.append(("uncertain", f"{where}: partner {name!r} may be the actor "
                                                      f"{match.candidate} ({match.candidate_title}, similarity "
                                                      f"{match.score:.2f}); kept as free text until a curator "
                                                      "resolves it (sca_radar_resolve_partner)"))
                elif match.how == "unknown":
                    mapper.notes.append(("unmatched", f"{where}: partner {name!r} is not an actor of the atlas; "
                                                      "kept as free text"))
                ident = match.actor_id or sheet.key(name)
                if ident in seen:
                    continue
                seen.add(ident)
                out.append({"actor": match.actor_id, "role": role} if match.actor_id
                           else {"name": name, "role": role})
        return out


# ---- lookups -----------------------------------------------------------------------

def _by_radar_id(radar_id: str, kind: str = "project") -> tuple[str, str] | None:
    """(id, state) of the project (or actor) with this radar id; an active one first."""
    row = model.Session.execute(sa.text(
        "SELECT id, state FROM package WHERE type = :kind AND extras->>'radar_id' = :v "
        "ORDER BY (state = 'active') DESC, metadata_created LIMIT 1"), {"v": radar_id, "kind": kind}).first()
    return (row[0], row[1]) if row else None


def _radar_ids() -> dict[tuple[str, str], tuple[str, str]]:
    """(type, radar id) → (id, state) of its project or actor, an active one first."""
    rows = model.Session.execute(sa.text(
        "SELECT DISTINCT ON (type, extras->>'radar_id') type, extras->>'radar_id', id, state FROM package "
        "WHERE type IN ('project', 'actor') AND extras ? 'radar_id' "
        "ORDER BY type, extras->>'radar_id', (state = 'active') DESC, metadata_created"))
    return {(kind, radar_id): (pid, state) for kind, radar_id, pid, state in rows}


def _package_fields(package_id: str) -> dict:
    row = model.Session.execute(sa.text(
        "SELECT extras->>'status', extras->>'status_updated', extras->>'record_source' FROM package "
        "WHERE id = :id"), {"id": package_id}).first()
    return {"status": row[0], "status_updated": row[1], "record_source": row[2]} if row else {}


def _measure_id(ref: str) -> str | None:
    """A measure by radar id, URL name or title."""
    row = model.Session.execute(sa.text(
        "SELECT id FROM package WHERE type = 'project' AND state = 'active' "
        "AND extras->>'project_kind' = 'measure' "
        "AND (extras->>'radar_id' = :ref OR name = :ref OR lower(title) = lower(:ref)) "
        "ORDER BY (extras->>'radar_id' = :ref) DESC NULLS LAST LIMIT 1"), {"ref": ref}).first()
    return row[0] if row else None


def _atlas_actors() -> tuple[list, dict]:
    """The active actors (for matching) and those with a point (gazetteer)."""
    rows = model.Session.execute(sa.text(
        "SELECT id, name, title, extras->>'spatial' FROM package WHERE type = 'actor' AND state = 'active'"))
    actors, gazetteer = [], {}
    for pid, name, title, spatial in rows:
        actors.append(actor_matching.Actor(pid, name, title or name))
        try:
            geom = json.loads(spatial) if spatial else None
        except ValueError:
            geom = None
        if isinstance(geom, dict) and geom.get("type") == "Point":
            gazetteer[title or name] = geom["coordinates"][:2]
    return actors, gazetteer


_FIELDS: dict[str, list[str]] = {}


def _schema_fields(kind: str = "project") -> list[str]:
    if kind not in _FIELDS:
        schema = sheet.schema_project() if kind == "project" else sheet._schema(f"{kind}.yaml")
        _FIELDS[kind] = [f["field_name"] for f in schema["dataset_fields"]] + ["resources"]
    return _FIELDS[kind]
