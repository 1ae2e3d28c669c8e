# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas exchange format 1.1 (docs/exchange-format.md): the actors and
projects of this atlas as JSON-LD pages, read by other atlases (harvester
``sca_atlas``).

Live from the search index as an anonymous visitor sees it: public and
active records only, locations coarsened where the actor asked for it, no
contact data (an e-mail address travels as its domain only). Only the
records this atlas owns travel: records it harvested from another atlas
are left to their own atlas (no loops, no second copies in a region).

Paging is by key (``cursor=<last id>``, records sorted by id): pages do not
move when records are added or removed while a harvester pages, and there
is no deepest page. ``totalItems`` is the size of the whole listing; a
record missing from a complete listing is withdrawn, deleted or private.
``deleted.jsonld?since=…`` lists the IRIs of records deleted since then.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import shapely.geometry
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.dcat import settings
from ckanext.smartcityatlas.entities import coverage

VERSION = "1.1"
PATH = "/opendata/atlas/exchange/v1"
ENTITY_TYPES = ("actor", "project")
CLASSES = {"actor": "Actor", "project": "Project"}
# the key of a record in ``cursor``: CKAN ids (UUIDs), never Solr syntax
KEY_PATTERN = r"^[A-Za-z0-9_-]{1,100}$"
_KEY = re.compile(KEY_PATTERN)
# the field that marks a record harvested from another atlas (not exported again)
SOURCE_ATLAS_FIELD = "sca_source_atlas"

# the keys of each class, in the order of docs/exchange-format.md (tests/dcat/test_exchange.py)
ACTOR_KEYS = ("@id", "@type", "identifier", "name", "title", "description", "description_en", "kind",
              "helixSector", "themes", "topics", "competences", "sdgs", "homepage", "emailDomain",
              "registerCourt", "registerNumber", "rorId", "wikidataId", "address", "districts", "citywide",
              "geometry", "locationCoarsened", "page", "modified")
PROJECT_KEYS = ("@id", "@type", "identifier", "name", "title", "summary", "summary_en", "description",
                "description_en", "kind", "status", "startDate", "endDate", "partOf", "themes",
                "fieldsOfAction", "topics", "sdgs", "modelDistrict", "fundingProgramme", "links",
                "partners", "districts", "citywide", "geometry", "page", "modified")
PAGE_KEYS = ("@context", "@id", "@type", "formatVersion", "atlas", "totalItems", "itemsPerPage", "items", "next")
ATLAS_KEYS = ("@id", "title", "city", "cityTitle")
PARTNER_KEYS = ("actor", "name", "role")
ADDRESS_KEYS = ("streetAddress", "postalCode", "locality")

CONTEXT = {
    "@version": 1.1,
    "sca": "https://w3id.org/smartcityatlas/ns#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "locn": "http://www.w3.org/ns/locn#",
    "Actor": "foaf:Organization",
    "Project": "foaf:Project",
    "AtlasPage": "hydra:PartialCollectionView",
    "DeletedList": "sca:DeletedList",
    "formatVersion": "schema:schemaVersion",
    "atlas": {"@id": "dct:publisher"},
    "city": "sca:city",
    "cityTitle": "sca:cityTitle",
    "totalItems": "hydra:totalItems",
    "itemsPerPage": "hydra:itemsPerPage",
    "items": {"@id": "hydra:member", "@container": "@list"},
    "next": {"@id": "hydra:next", "@type": "@id"},
    "since": {"@id": "sca:since", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    "deleted": {"@id": "sca:deleted", "@container": "@set"},
    "deletedAt": {"@id": "sca:deletedAt", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    "identifier": "dct:identifier",
    "name": "sca:slug",
    "title": "dct:title",
    "summary": {"@id": "dct:abstract", "@language": "de"},
    "summary_en": {"@id": "dct:abstract", "@language": "en"},
    "description": {"@id": "dct:description", "@language": "de"},
    "description_en": {"@id": "dct:description", "@language": "en"},
    "kind": "sca:kind",
    "helixSector": "sca:helixSector",
    "status": "sca:status",
    "themes": {"@id": "sca:theme", "@container": "@set"},
    "topics": {"@id": "sca:topic", "@container": "@set"},
    "competences": {"@id": "schema:knowsAbout", "@container": "@set"},
    "sdgs": {"@id": "sca:sdg", "@container": "@set"},
    "fieldsOfAction": {"@id": "sca:fieldOfAction", "@container": "@set"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "emailDomain": "sca:emailDomain",
    "registerCourt": "sca:registerCourt",
    "registerNumber": "sca:registerNumber",
    "rorId": "sca:rorId",
    "wikidataId": "sca:wikidataId",
    "address": "locn:address",
    "streetAddress": "locn:thoroughfare",
    "postalCode": "locn:postCode",
    "locality": "locn:postName",
    "districts": {"@id": "sca:district", "@container": "@set"},
    "geometry": {"@id": "locn:geometry", "@type": "@json"},
    "citywide": "sca:citywide",
    "locationCoarsened": "sca:locationCoarsened",
    "page": {"@id": "foaf:page", "@type": "@id"},
    "modified": {"@id": "dct:modified", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    "startDate": {"@id": "schema:startDate", "@type": "http://www.w3.org/2001/XMLSchema#date"},
    "endDate": {"@id": "schema:endDate", "@type": "http://www.w3.org/2001/XMLSchema#date"},
    "partOf": {"@id": "dct:isPartOf", "@type": "@id"},
    "modelDistrict": "sca:modelDistrict",
    "fundingProgramme": "sca:fundingProgramme",
    "links": {"@id": "schema:url", "@type": "@id", "@container": "@set"},
    "partners": {"@id": "sca:partner", "@container": "@set"},
    "actor": {"@id": "sca:actor", "@type": "@id"},
    "role": "sca:role",
}


# ---- addresses ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Publisher:
    """Whose records are written: this atlas (``Publisher.this()``), or a
    city's atlas at another site (the region demo's invented neighbour
    writes its pages with this code, so they never drift from the format)."""
    site: str
    city: city_config.City

    @classmethod
    def this(cls) -> "Publisher":
        return cls(settings.site_url(), city_config.current())

    def iri(self, entity_type: str, record_id: str) -> str:
        """The record's IRI: site URL, type and id (never the name, which editors may change)."""
        return f"{self.site}/{entity_type}/{record_id}"

    def is_citywide(self, district_count: int) -> bool:
        return district_count >= coverage.limit_of(len(self.city.districts))


def base_url(site: str | None = None) -> str:
    return f"{site or settings.site_url()}{PATH}"


def context_url(site: str | None = None) -> str:
    return f"{base_url(site)}/context.jsonld"


def outline_url() -> str:
    return f"{base_url()}/outline.geojson"


def outline(city: city_config.City | None = None) -> dict:
    """The city's outline (GeoJSON geometry, simplified to about 100 m): the
    place of every city-wide record, read once by a harvesting atlas."""
    boundary = (city or city_config.current()).boundary.simplify(0.001)
    return shapely.geometry.mapping(boundary)


def records_url(entity_type: str | None = None, after: str | None = None, site: str | None = None) -> str:
    params = "&".join(f"{k}={v}" for k, v in (("type", entity_type), ("cursor", after)) if v)
    return f"{base_url(site)}/records.jsonld" + (f"?{params}" if params else "")


def entity_iri(entity_type: str, record_id: str) -> str:
    """The IRI of a record of this atlas (as ``Publisher.iri``)."""
    return f"{settings.site_url()}/{entity_type}/{record_id}"


def page_size() -> int:
    return tk.config.get("ckanext.smartcityatlas.exchange.page_size")


def atlas_header(publisher: Publisher | None = None) -> dict:
    publisher = publisher or Publisher.this()
    city = publisher.city.settings
    city_title = city.get("title") or city["name"]
    return {"@id": publisher.site, "title": f"Smart City Atlas {city_title}", "city": city["name"],
            "cityTitle": city_title}


# ---- records ------------------------------------------------------------------------

def _fq(entity_type: str | None) -> str:
    types = [entity_type] if entity_type else list(ENTITY_TYPES)
    return f"+dataset_type:({' OR '.join(types)}) -extras_{SOURCE_ATLAS_FIELD}:[* TO *]"


def _search(fq: str, rows: int) -> dict:
    # an anonymous visitor's view: public records, coarsened locations
    return tk.get_action("package_search")({"user": "", "ignore_auth": False}, {
        "q": "*:*", "fq": fq, "rows": rows, "sort": "id asc", "include_private": False})


def _public_ids(ids: set[str]) -> set[str]:
    """Which of these ids are public, active actors or projects (partners, measures)."""
    if not ids:
        return set()
    rows = model.Session.execute(sa.text(
        "SELECT id FROM package WHERE id = ANY(:ids) AND state = 'active' AND NOT private "
        "AND type IN ('actor', 'project')"), {"ids": list(ids)})
    return {r[0] for r in rows}


def _geometry(record: dict):
    try:
        value = json.loads(record["spatial"]) if record.get("spatial") else None
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _text(value) -> str | None:
    value = "" if value is None else str(value).strip()
    return value or None


def _list(value) -> list[str]:
    return [str(v) for v in as_list(value) if v not in (None, "")]


def email_domain(value) -> str | None:
    """The domain of a functional mailbox: identifies the organisation, names no person."""
    text = _text(value)
    if not text or "@" not in text:
        return None
    return text.rsplit("@", 1)[1].strip().lower() or None


def _common(record: dict, publisher: Publisher) -> dict:
    kind = record["type"]
    districts = [d["name"] for d in as_list(record.get("sca_districts")) if isinstance(d, dict) and d.get("name")]
    # about the whole city (entities/coverage.py): the flag, not the city's polygon again in every record
    citywide = publisher.is_citywide(len(districts))
    return {
        "@id": publisher.iri(kind, record["id"]), "@type": CLASSES[kind], "identifier": record["id"],
        "name": record["name"], "title": record.get("title") or record["name"],
        "description": _text(record.get("notes")), "description_en": _text(record.get("description_en")),
        "themes": _list(record.get("themes")), "topics": _list(record.get("topics")),
        "sdgs": _list(record.get("sdgs")),
        "districts": districts, "citywide": citywide,
        "geometry": None if citywide else _geometry(record),
        "page": f"{publisher.site}/{kind}/{record['name']}",
        "modified": _text(record.get("metadata_modified")),
    }


def actor_item(record: dict, publisher: Publisher | None = None) -> dict:
    item = _common(record, publisher or Publisher.this())
    coarsened = bool(record.get("location_coarsened"))
    address = {"streetAddress": None if coarsened else _text(record.get("street_address")),
               "postalCode": _text(record.get("postal_code")), "locality": _text(record.get("locality"))}
    item.update(kind=_text(record.get("actor_kind")), helixSector=_text(record.get("helix_sector")),
                competences=_list(record.get("competences")), homepage=_text(record.get("url")),
                emailDomain=email_domain(record.get("contact_email")),
                registerCourt=_text(record.get("register_court")), registerNumber=_text(record.get("register_number")),
                rorId=_text(record.get("ror_id")), wikidataId=_text(record.get("wikidata_id")),
                address=address if any(address.values()) else None, locationCoarsened=coarsened)
    return {key: item[key] for key in ACTOR_KEYS}


def project_item(record: dict, public: set[str], publisher: Publisher | None = None) -> dict:
    """``public``: the ids a reference may name (public, active actors and projects)."""
    publisher = publisher or Publisher.this()
    item = _common(record, publisher)
    partners = []
    for partner in as_list(record.get("partners")):
        if not isinstance(partner, dict):
            continue
        actor = partner.get("actor")
        if actor in public:  # a private partner stays invisible, name and all
            partners.append({"actor": publisher.iri("actor", actor), "name": None,
                             "role": _text(partner.get("role"))})
        elif _text(partner.get("name")):
            partners.append({"actor": None, "name": _text(partner["name"]), "role": _text(partner.get("role"))})
    part_of = record.get("part_of")
    item.update(summary=_text(record.get("summary")), summary_en=_text(record.get("summary_en")),
                kind=_text(record.get("project_kind")), status=_text(record.get("status")),
                startDate=_text(record.get("start_date")), endDate=_text(record.get("end_date")),
                partOf=publisher.iri("project", part_of) if part_of in public else None,
                fieldsOfAction=_list(record.get("fields_of_action")),
                modelDistrict=_text(record.get("model_district")),
                fundingProgramme=_text(record.get("funding_programme")), links=_list(record.get("links")),
                partners=partners)
    return {key: item[key] for key in PROJECT_KEYS}


def items(records: list[dict], publisher: Publisher | None = None, public: set[str] | None = None) -> list[dict]:
    """The records as items; ``public``: the ids references may name (default: asked of the database)."""
    publisher = publisher or Publisher.this()
    if public is not None:
        return [actor_item(r, publisher) if r["type"] == "actor" else project_item(r, public, publisher)
                for r in records]
    referenced = set()
    for record in records:
        if record.get("type") == "project":
            referenced |= {p.get("actor") for p in as_list(record.get("partners"))
                           if isinstance(p, dict) and p.get("actor")}
            if record.get("part_of"):
                referenced.add(record["part_of"])
    return items(records, publisher, _public_ids(referenced))


def check_key(value) -> str | None:
    """``cursor`` as given, or ValueError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise ValueError("cursor")
    return value


def page(entity_type: str | None, after: str | None) -> dict:
    """One page of the listing: the records after ``after`` in id order."""
    rows = page_size()
    fq = _fq(entity_type)
    total = _search(fq, 0)["count"]
    found = _search(fq + (f' +id:{{"{after}" TO *]' if after else ""), rows)
    results = found["results"]
    out = listing_page(Publisher.this(), items(results), total, rows, entity_type, after)
    if found["count"] > len(results) and results:
        out["next"] = records_url(entity_type, results[-1]["id"])
    return out


def listing_page(publisher: Publisher, listed: list[dict], total: int, rows: int,
                 entity_type: str | None = None, after: str | None = None) -> dict:
    """A page of the listing without ``next``: the items and the header."""
    return {"@context": context_url(publisher.site), "@id": records_url(entity_type, after, publisher.site),
            "@type": "AtlasPage", "formatVersion": VERSION, "atlas": atlas_header(publisher), "totalItems": total,
            "itemsPerPage": rows, "items": listed}


def deleted(since: dt.datetime) -> dict:
    """The actors and projects deleted since ``since`` that were public when deleted."""
    rows = model.Session.execute(sa.text(
        "SELECT id, type, metadata_modified FROM package WHERE state = 'deleted' AND NOT private "
        "AND type IN ('actor', 'project') AND metadata_modified >= :since ORDER BY metadata_modified, id "
        "LIMIT :limit"), {"since": since, "limit": 10000})
    return {"@context": context_url(), "@type": "DeletedList", "formatVersion": VERSION,
            "atlas": atlas_header(), "since": since.isoformat(),
            "deleted": [{"@id": entity_iri(kind, pkg_id), "deletedAt": modified.isoformat()}
                        for pkg_id, kind, modified in rows]}


def parse_since(value) -> dt.datetime:
    """An ISO date or date-time (UTC when no zone is given), naive UTC as CKAN stores; ValueError."""
    if not isinstance(value, str) or not value or len(value) > 40:
        raise ValueError("since")
    try:
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except OverflowError:  # year 1 with an eastern offset
        raise ValueError("since") from None
    return parsed
