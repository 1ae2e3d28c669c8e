# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_atlas``: the actors, projects and measures of another Smart City
Atlas, read from its exchange format (docs/exchange-format.md).

Gather pages through ``records.jsonld`` with the base's guarded fetcher
(no private addresses unless allowed, size and time limits): a page that is
no exchange page of major version 1, a page seen twice, more than
``max_pages`` pages or fewer records than ``totalItems`` make the listing
incomplete, and nothing is withdrawn. Records come in the order the import
needs them: actors, then measures, then the other projects, so partners and
measures named by IRI are already here. Items that cannot be read (no IRI,
an unknown class) are rejected with their page and position; one with an
IRI still counts as present (not withdrawn).

Import maps the item onto our actor or project schema: codes this atlas
does not know are left out and reported (degraded), the source city's model
districts too; a partner or measure named by IRI becomes the id of its
harvested copy (the base's UUID5 of source and IRI), or of a local record
when the IRI is one of this atlas; a partner the harvest does not hold is
left out and reported. Provenance on every record: the source atlas and
city, the original IRI and page. An actor this atlas already has
(``shared_actors.py``) is kept private, marked with the actor and the rule,
and the source's projects name the existing actor: shown once, with all its
projects. Unchanged detection, field ownership, withdrawal and the job
report are the base's.
"""
from __future__ import annotations

import datetime
import json
import urllib.parse

import ckan.plugins as p
from ckan import model

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.common import fetch, web_address
from ckanext.smartcityatlas.common.ids import dataset_id
from ckanext.smartcityatlas.dcat import exchange
from ckanext.smartcityatlas.entities import registry_ids
from ckanext.smartcityatlas.harvesters import shared_actors
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, RecordError, SCAHarvesterBase, page_failed
from ckanext.smartcityatlas.harvesters.mapping import Mapper

ACCEPT = "application/ld+json, application/json;q=0.9"
MAX_IRI = 500
OUTLINE = "outline.geojson"  # next to records.jsonld (format 1.1)
# what this harvester writes: a curator's edit of one of them is kept (ownership)
ACTOR_FIELDS = ("title", "notes", "description_en", "actor_kind", "helix_sector", "themes", "topics",
                "competences", "sdgs", "url", "street_address", "postal_code", "locality", "spatial",
                "location_source", "location_precision", "register_court", "register_number", "ror_id",
                "wikidata_id")
PROJECT_FIELDS = ("title", "summary", "summary_en", "notes", "description_en", "project_kind", "status",
                  "start_date", "end_date", "part_of", "themes", "fields_of_action", "topics", "sdgs",
                  "funding_programme", "links", "partners", "spatial", "location_source")
PROVENANCE = ("sca_source_atlas", "sca_source_city", "sca_source_page")
CODED = {"actor": ("actor_kind", "helix_sector", "themes", "topics", "sdgs"),
         "project": ("project_kind", "status", "themes", "fields_of_action", "topics", "sdgs")}


def feed_url(url: str) -> str:
    """The address of the records: as given, or the exchange path under an atlas's site address."""
    if url.split("?", 1)[0].endswith(".jsonld"):
        return url
    return url.rstrip("/") + exchange.PATH + "/records.jsonld"


def _needs_outline(item: dict) -> bool:
    """A city-wide record of format 1.1: no polygon of its own, the city's outline is its place."""
    return item.get("citywide") is True and item.get("geometry") is None


def _is_iri(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_IRI and web_address.is_web_iri(value)


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return len(value) == 10 or value[10] == "T"


def _texts(value) -> list[str] | None:
    """A list of strings, or None when it is no list of strings."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip() for v in value if v.strip()]


def _schema_fields(entity_type: str) -> list[dict]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    return (scheming_get_dataset_schema(entity_type) or {}).get("dataset_fields", [])


def _choices(entity_type: str, field: str, subfield: str | None = None) -> set[str] | None:
    """The codes of a choice field of our schema (``subfield`` of a repeating one), or None."""
    from ckanext.scheming.helpers import scheming_field_by_name, scheming_field_choices

    found = scheming_field_by_name(_schema_fields(entity_type), field)
    if found and subfield:
        found = scheming_field_by_name(found.get("repeating_subfields") or [], subfield)
    choices = scheming_field_choices(found) if found else None
    return {c["value"] for c in choices} if choices else None


class SCAAtlasHarvester(SCAHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_atlas"
    TITLE = "Smart City Atlas (exchange format)"
    DESCRIPTION = ("Actors, projects, measures and partner relations of another Smart City Atlas, "
                   "from its exchange format 1.x, with their provenance; shared actors shown once")
    DATASET_TYPE = "project"
    VALIDATE_DCAT = False
    OWNED_FIELDS = tuple(sorted(set(ACTOR_FIELDS) | set(PROJECT_FIELDS)))
    CONFIG_KEYS = ("shared_actors",)

    def check_config(self, values: dict) -> dict:
        shared = values.get("shared_actors", True)
        if not isinstance(shared, bool):
            raise ValueError("shared_actors must be true or false")
        return {"shared_actors": shared}

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        address = feed_url(url)
        problems: list[str] = []
        items: dict[str, tuple[dict, dict, str]] = {}
        present: set[str] = set()
        seen_pages: set[str] = set()
        complete, total, number = True, None, 0
        while address:
            if number >= cfg.max_pages:
                problems.append(f"[error] more than {cfg.max_pages} pages (max_pages); paging stopped")
                complete = False
                break
            if address in seen_pages:
                problems.append(f"[error] page {address} was already read (a loop in the paging); paging stopped")
                complete = False
                break
            seen_pages.add(address)
            number += 1
            try:
                page = self._page(fetcher, address)
            except (fetch.FetchError, ValueError) as exc:
                if number == 1:
                    raise ValueError(str(exc) if isinstance(exc, fetch.FetchError) else f"{address}: {exc}") from exc
                problems.append(page_failed(number, address, exc))
                complete = False
                break
            if total is None:
                total = page["totalItems"]
            for position, item in enumerate(page["items"], 1):
                rejected = self._rejected(item)
                iri = item.get("@id") if isinstance(item, dict) else None
                if rejected:
                    problems.append(f"[rejected] page {number}, item {position}: {rejected}")
                    if _is_iri(iri):
                        present.add(iri)
                    continue
                if iri in items:
                    problems.append(f"[warning] {iri} is listed twice (page {number}); the first was used")
                    continue
                items[iri] = (item, page["atlas"], address)
            nxt = page.get("next")
            if nxt is not None and not isinstance(nxt, str):
                problems.append(f"[error] page {number}: next is no address; paging stopped")
                complete = False
                break
            address = urllib.parse.urljoin(address, nxt) if nxt else None
        if complete and total is not None and len(items) + len(present) < total:
            problems.append(f"[warning] the atlas reported {total} records but listed {len(items) + len(present)} "
                            "(changed while paging?); no record was withdrawn")
            complete = False
        outline = self._outline(fetcher, feed_url(url), items, problems)
        order = {"Actor": 0}
        ordered = sorted(items.values(), key=lambda entry: order.get(
            entry[0]["@type"], 1 if entry[0].get("kind") == "measure" else 2))
        records = [Record(guid=item["@id"], uri=item["@id"], content=json.dumps(
            {"item": item, "atlas": atlas, "listing": listing,
             **({"outline": outline} if outline and _needs_outline(item) else {})},
            ensure_ascii=False, sort_keys=True))
            for item, atlas, listing in ordered]
        return Gathered(records=records, complete=complete, problems=problems, present=present)

    @staticmethod
    def _outline(fetcher, address: str, items: dict, problems: list[str]) -> dict | None:
        """The source city's outline (format 1.1), read once: the place of its
        city-wide records, which come without their polygon."""
        if not any(_needs_outline(item) for item, _atlas, _listing in items.values()):
            return None
        where = urllib.parse.urljoin(address, OUTLINE)
        try:
            geometry = json.loads(fetcher(where, accept="application/geo+json, application/json").body)
        except (fetch.FetchError, ValueError, UnicodeDecodeError, RecursionError) as exc:
            problems.append(f"[warning] the city outline {where} could not be read ({str(exc)[:200]}); "
                            "city-wide records come without a location")
            return None
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(f"[warning] the city outline {where} is no polygon; city-wide records come without "
                            "a location")
            return None
        return geometry

    @staticmethod
    def _page(fetcher, address: str) -> dict:
        """One exchange page, checked; ValueError naming what is wrong."""
        response = fetcher(address, accept=ACCEPT)
        try:
            page = json.loads(response.body)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nesting bombs
            raise ValueError(f"the answer is no JSON ({str(exc)[:200]})") from None
        if not isinstance(page, dict):
            raise ValueError("the answer is no exchange page (a JSON object)")
        version = page.get("formatVersion")
        if not isinstance(version, str) or version.split(".", 1)[0] != exchange.VERSION.split(".", 1)[0]:
            raise ValueError(f"exchange format version {version!r} is not supported "
                             f"(this atlas reads {exchange.VERSION.split('.')[0]}.x)")
        atlas = page.get("atlas")
        if not isinstance(atlas, dict) or not _text(atlas.get("title")) or not _text(atlas.get("cityTitle")):
            raise ValueError("the page does not name its atlas (atlas.title, atlas.cityTitle)")
        total = page.get("totalItems")
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise ValueError("totalItems is no whole number")
        if not isinstance(page.get("items"), list):
            raise ValueError("the page has no items list")
        return page

    @staticmethod
    def _rejected(item) -> str | None:
        if not isinstance(item, dict):
            return "not an object"
        if not _is_iri(item.get("@id")):
            return f"@id {str(item.get('@id'))[:80]!r} is no web address"
        if item.get("@type") not in exchange.CLASSES.values():
            return f"{item['@id']}: unknown class {str(item.get('@type'))[:40]!r}"
        if not _text(item.get("title")):
            return f"{item['@id']}: no title"
        return None

    # ---- import ----------------------------------------------------------------

    def prepare_import(self, obj) -> None:
        """Per job: the actors a shared actor may be (read once, not per record)."""
        if getattr(self, "_job", None) == obj.harvest_job_id:
            return
        self._index = shared_actors.ActorIndex(obj.source.id)
        self._job = obj.harvest_job_id

    def owned_fields(self, built: dict) -> tuple[str, ...]:
        fields = ACTOR_FIELDS if built.get("type") == "actor" else PROJECT_FIELDS
        return tuple(sorted(k for k in built if k in fields))

    def keep_from_existing(self, pkg: dict, existing: dict) -> dict:
        """What the source does not send (a curator's contact e-mail, the
        editors' notes) stays as it is."""
        fields = {f["field_name"] for f in _schema_fields(existing.get("type") or "project")}
        out = {k: v for k, v in existing.items() if k in fields and k not in pkg and not k.startswith("sca_")}
        out.update(pkg)
        return out

    def complete_package(self, pkg: dict) -> dict:
        """An actor this atlas already has is shown once: its copy stays private."""
        if pkg.get("sca_same_as"):
            pkg["private"] = True
        return pkg

    def build_package(self, content, guid, mapper: Mapper) -> dict:
        data = json.loads(content)
        item, atlas = data["item"], data["atlas"]
        entity_type = "actor" if item["@type"] == "Actor" else "project"
        out: dict = {"type": entity_type, "title": _text(item["title"])}
        texts = {"notes": "description", "description_en": "description_en"}
        if entity_type == "project":
            texts.update(summary="summary", summary_en="summary_en", funding_programme="fundingProgramme",
                         start_date="startDate", end_date="endDate")
        else:
            texts.update(url="homepage")
        for field, key in texts.items():
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                mapper.drop(guid, key, value, "not a text")
                value = None
            elif field.endswith("_date") and value and not _is_date(value):
                mapper.drop(guid, key, value, "not an ISO 8601 date")
                value = None
            out[field] = _text(value)
        lists = {"themes": "themes", "topics": "topics", "sdgs": "sdgs"}
        lists.update({"competences": "competences"} if entity_type == "actor" else
                     {"fields_of_action": "fieldsOfAction", "links": "links"})
        for field, key in lists.items():
            values = _texts(item.get(key))
            if values is None:
                mapper.drop(guid, key, item.get(key), "not a list of texts")
            out[field] = values or []
        if entity_type == "actor":
            out["actor_kind"], out["helix_sector"] = _text(item.get("kind")), _text(item.get("helixSector"))
            self._address(item, out, mapper, guid)
            self._registry_ids(item, out, mapper, guid)
        else:
            out["project_kind"], out["status"] = _text(item.get("kind")), _text(item.get("status"))
            out["links"] = [v for v in out["links"] if _is_iri(v)]
            out["part_of"] = self._reference(item.get("partOf"), "project", mapper, guid, "partOf")
            out["partners"] = self._partners(item.get("partners"), mapper, guid)
        self._codes(entity_type, out, mapper, guid)
        geometry = item.get("geometry")
        if _needs_outline(item) and data.get("outline"):
            # a city-wide record (format 1.1): the source city's outline, read once per harvest
            out["spatial"] = json.dumps(data["outline"], separators=(",", ":"), sort_keys=True)
            out["location_source"] = "city_boundary"
        elif isinstance(geometry, dict) and geometry.get("type"):
            out["spatial"] = json.dumps(geometry, separators=(",", ":"), sort_keys=True)
            out["location_source"] = "coordinates"
        elif geometry is not None:
            mapper.drop(guid, "geometry", str(geometry)[:80], "not a GeoJSON geometry")
        page = item.get("page")
        # names, not texts: a source cannot fill every page of this atlas with them
        out.update(sca_source_atlas=_text(atlas.get("title"))[:200],
                   sca_source_city=_text(atlas.get("cityTitle"))[:100],
                   sca_source_page=page if _is_iri(page) else None)
        if entity_type == "actor":
            out.update(self._same_as(item, out, guid))
        missing = [f for f in (("notes", "actor_kind", "helix_sector") if entity_type == "actor"
                               else ("project_kind", "status")) if not out.get(f)]
        if missing:
            raise RecordError(f"{guid}: no valid {', '.join(missing)}")
        return {k: (None if v == "" else v) for k, v in out.items()}

    @staticmethod
    def _address(item, out, mapper, guid) -> None:
        address = item.get("address")
        if address is not None and not isinstance(address, dict):
            mapper.drop(guid, "address", str(address)[:80], "not an object")
            address = None
        address = address or {}
        for field, key in (("street_address", "streetAddress"), ("postal_code", "postalCode"),
                           ("locality", "locality")):
            out[field] = _text(address.get(key)) if isinstance(address.get(key), str) else None
        # An actor the source shows at district level arrives with the source's
        # district point and no street: shown as it is (coarsening it again by
        # this atlas's districts would drop every point outside this city).
        out["location_precision"] = "exact"

    @staticmethod
    def _registry_ids(item, out, mapper, guid) -> None:
        """Registry and research ids (format 1.1) in their canonical form; a malformed one is left out."""
        for field, key, parse in (("register_number", "registerNumber", registry_ids.register_number),
                                  ("ror_id", "rorId", registry_ids.ror_id),
                                  ("wikidata_id", "wikidataId", registry_ids.wikidata_id)):
            value = item.get(key)
            out[field] = parse(value) if value is not None else None
            if value is not None and out[field] is None:
                mapper.drop(guid, key, str(value)[:80], "not a valid id")
        court = item.get("registerCourt")
        out["register_court"] = (_text(court)[:200] if out["register_number"] and isinstance(court, str)
                                 and registry_ids.court_key(court) else None)
        if out["register_number"] and not out["register_court"]:
            mapper.drop(guid, "registerNumber", out["register_number"], "a register number without its court")
            out["register_number"] = None

    @staticmethod
    def _codes(entity_type, out, mapper, guid) -> None:
        """Codes this atlas does not know are left out (reported), not refused."""
        for field in CODED[entity_type]:
            known = _choices(entity_type, field)
            if known is None:
                continue
            value = out.get(field)
            if isinstance(value, list):
                for bad in [v for v in value if v not in known]:
                    mapper.drop(guid, field, bad, "a code this atlas does not know")
                out[field] = [v for v in value if v in known]
            elif value is not None and value not in known:
                mapper.drop(guid, field, value, "a code this atlas does not know")
                out[field] = None

    def _reference(self, iri, entity_type: str, mapper, guid, where: str) -> str | None:
        """The local id for a record named by IRI: its harvested copy (the
        existing actor for a shared one), a record of this atlas, or None."""
        if iri is None:
            return None
        if not _is_iri(iri):
            mapper.drop(guid, where, str(iri)[:80], "not an IRI")
            return None
        copy = model.Session.get(model.Package, dataset_id(self.current_config.source_id, iri))
        if copy is not None and copy.state == "active" and copy.type == entity_type:
            return (copy.extras or {}).get("sca_same_as") or copy.id
        own = f"{exchange.entity_iri(entity_type, '')}"
        if iri.startswith(own):
            local = model.Session.get(model.Package, iri[len(own):])
            if local is not None and local.state == "active" and local.type == entity_type:
                return local.id
        mapper.drop(guid, where, iri, "not in this harvest nor in this atlas")
        return None

    def _partners(self, value, mapper, guid) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list):
            mapper.drop(guid, "partners", str(value)[:80], "not a list")
            return []
        partners = []
        for partner in value:
            if not isinstance(partner, dict):
                mapper.drop(guid, "partners", str(partner)[:80], "not an object")
                continue
            role = _text(partner.get("role")) if isinstance(partner.get("role"), str) else None
            if role not in (_choices("project", "partners", "role") or {role}):
                mapper.drop(guid, "partners.role", role, "a code this atlas does not know; partner instead")
                role = "partner"
            if partner.get("actor") is not None:
                actor = self._reference(partner["actor"], "actor", mapper, guid, "partners")
                if actor:
                    partners.append({"actor": actor, "role": role})
            elif isinstance(partner.get("name"), str) and _text(partner["name"]):
                partners.append({"name": _text(partner["name"]), "role": role})
        return partners

    def _same_as(self, item: dict, out: dict, guid: str) -> dict:
        """The shared-actor mark: the existing actor and the rule, unless a
        curator decided (split this copy off, or merged it with an actor the
        rules missed) or the source configuration says no."""
        mine = model.Session.get(model.Package, dataset_id(self.current_config.source_id, guid))
        decided = shared_actors.curator_decision(mine)
        if decided is not None:
            return decided
        if not self.current_config.extra.get("shared_actors", True) or getattr(self, "_index", None) is None:
            return {"sca_same_as": None, "sca_same_as_rule": None}
        address = item.get("address") if isinstance(item.get("address"), dict) else {}
        registry = shared_actors.registry_keys(out.get("register_court"), out.get("register_number"),
                                               out.get("ror_id"), out.get("wikidata_id"))
        facts = shared_actors.Facts.of(item.get("homepage"), item.get("emailDomain"), item.get("title"),
                                       address.get("postalCode"), registry)
        found = self._index.match(facts)
        if found is None:
            return {"sca_same_as": None, "sca_same_as_rule": None}
        return {"sca_same_as": found[0], "sca_same_as_rule": found[1]}
