# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas as open data: two DCAT datasets (actors, projects) with CSV,
GeoJSON and RDF distributions, regenerated in the background.

Actors and projects are not dcat:Datasets themselves. When one changes, the
change hook marks the database session; after the commit one job is queued
(a Redis key debounces: changes while a job is waiting share it). The job
reads the records as an anonymous visitor sees them (public only, locations
coarsened where the actor asked for it), writes the files into the storage
folder and updates the two datasets (size, checksum, modified).

Records harvested from another atlas (a regional atlas, harvester
``sca_atlas``) are in the files too, never as this city's own: each with its
provenance (``source_city``, ``source_atlas``, ``original_iri``; empty for
the atlas's own records) and, in RDF, the original IRI as ``dct:source`` and
``prov:wasDerivedFrom``. A harvested actor this atlas already has (a private
copy with ``sca_same_as``) is never in them: the actor it names is.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
from pathlib import Path

import rdflib
import shapely.geometry
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, PROV, RDF, RDFS

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.common.caller import site_context
from ckanext.smartcityatlas.common import after_commit, city_config, web_address
from ckanext.smartcityatlas.dcat import exchange, iris, settings
from ckanext.smartcityatlas.common.spreadsheet import csv_cell

log = logging.getLogger(__name__)

register = Registry()

PENDING_KEY = "smartcityatlas:dcat:opendata:pending"
PENDING_TTL = 900  # a crashed job must not block regeneration for ever
# Changes counted, and the count the last finished regeneration started
# from: a job whose worker died (kill -9, OOM) leaves DONE behind CHANGED,
# and the scheduler queues the regeneration again (catch_up).
CHANGED_KEY = "smartcityatlas:dcat:opendata:changed"
DONE_KEY = "smartcityatlas:dcat:opendata:done"
RUNNING_KEY = "smartcityatlas:dcat:opendata:running"  # a job's lease
RUNNING_TTL = 900
SCHEMA = rdflib.Namespace("https://schema.org/")
LOCN = rdflib.Namespace("http://www.w3.org/ns/locn#")
GSP = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
SCA = rdflib.Namespace("https://w3id.org/smartcityatlas/ns#")


# where a record harvested from another atlas comes from (empty for the atlas's own)
PROVENANCE = ("source_city", "source_atlas", "original_iri")


@dataclasses.dataclass(frozen=True)
class Kind:
    entity_type: str
    slug: str
    title_de: str
    title_en: str
    columns: tuple[str, ...]


ACTORS = Kind("actor", "akteure", "Akteure", "Actors", (
    "id", "iri", "name", "title", "description", "description_en", "actor_kind", "helix_sector",
    "themes", "topics", "competences", "url", "districts", "longitude", "latitude",
    "location_precision", "organization", "modified", *PROVENANCE))
PROJECTS = Kind("project", "projekte", "Projekte", "Projects", (
    "id", "iri", "name", "title", "summary", "summary_en", "description", "description_en",
    "project_kind", "status", "start_date", "end_date", "part_of", "themes", "fields_of_action",
    "topics", "model_district", "partners", "funding_programme", "districts", "longitude",
    "latitude", "organization", "modified", *PROVENANCE))
KINDS = (ACTORS, PROJECTS)
FILES = (("csv", "CSV", "text/csv"), ("geojson", "GeoJSON", "application/geo+json"),
         ("ttl", "Turtle", "text/turtle"))


# ---- IRIs -------------------------------------------------------------------

# Stable IRI of an actor or project (the exchange format's, the same in every file)
entity_iri = exchange.entity_iri


def dataset_name(kind: Kind) -> str:
    return f"smart-city-atlas-{city_config.current().settings['name']}-{kind.slug}"


def file_name(kind: Kind, ext: str) -> str:
    return f"{dataset_name(kind)}.{ext}"


def folder() -> Path:
    return Path(tk.config.get("ckan.storage_path")) / "smartcityatlas" / "opendata"


def file_url(name: str) -> str:
    return f"{settings.site_url()}/opendata/atlas/{name}"


# ---- records ------------------------------------------------------------------

def public_records(entity_type: str) -> list[dict]:
    """What an anonymous visitor may see: active, public, coarsened locations."""
    context = {"user": "", "ignore_auth": False}
    rows = tk.config.get("ckanext.smartcityatlas.dcat.opendata_page_size")
    out, start = [], 0
    while True:
        page = tk.get_action("package_search")(dict(context), {
            "fq": f"+dataset_type:{entity_type}", "rows": rows, "start": start,
            "sort": "name asc", "include_private": False})
        # a shared actor's copy is private; should one be public, the actor it names stands for it
        out.extend(r for r in page["results"] if not r.get("private") and not r.get("sca_same_as"))
        start += rows
        if start >= page["count"] or not page["results"]:
            return out


def _geometry(record: dict):
    try:
        return shapely.geometry.shape(json.loads(record["spatial"])) if record.get("spatial") else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def provenance(record: dict) -> dict:
    """Source city, atlas and original IRI of a record harvested from another atlas, else empty."""
    if not record.get("sca_source_atlas"):
        return dict.fromkeys(PROVENANCE, "")
    original = record.get("sca_original_uri") or ""
    return {"source_city": record.get("sca_source_city") or "", "source_atlas": record["sca_source_atlas"],
            "original_iri": original if web_address.is_web_iri(original) else ""}


def row(kind: Kind, record: dict, public_ids: set[str]) -> dict:
    geom = _geometry(record)
    point = geom.representative_point() if geom is not None else None
    base = {
        "id": record["id"], "iri": entity_iri(kind.entity_type, record["id"]),
        "name": record["name"], "title": record["title"],
        "description": record.get("notes") or "", "description_en": record.get("description_en") or "",
        "themes": as_list(record.get("themes")), "topics": as_list(record.get("topics")),
        "url": record.get("url") or "",
        "districts": [d.get("name") for d in as_list(record.get("sca_districts")) if isinstance(d, dict)],
        "longitude": round(point.x, 5) if point is not None else "",
        "latitude": round(point.y, 5) if point is not None else "",
        "organization": (record.get("organization") or {}).get("title", ""),
        "modified": record.get("metadata_modified", ""),
        **provenance(record),
    }
    if kind is ACTORS:
        base.update(actor_kind=record.get("actor_kind", ""), helix_sector=record.get("helix_sector", ""),
                    competences=as_list(record.get("competences")),
                    location_precision=record.get("location_precision", ""))
    else:
        partners = []
        for p in as_list(record.get("partners")):
            if p.get("actor") in public_ids:  # a private partner stays invisible
                partners.append(entity_iri("actor", p["actor"]))
            elif p.get("name"):
                partners.append(p["name"])
        part_of = record.get("part_of")
        base.update(summary=record.get("summary") or "", summary_en=record.get("summary_en") or "",
                    project_kind=record.get("project_kind", ""), status=record.get("status", ""),
                    start_date=record.get("start_date") or "", end_date=record.get("end_date") or "",
                    part_of=entity_iri("project", part_of) if part_of in public_ids else "",
                    fields_of_action=as_list(record.get("fields_of_action")),
                    model_district=record.get("model_district") or "", partners=partners,
                    funding_programme=record.get("funding_programme") or "")
    return base


# ---- file formats ---------------------------------------------------------------

def to_csv(kind: Kind, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(kind.columns)
    for r in rows:
        writer.writerow([csv_cell(r.get(c, "")) for c in kind.columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: spreadsheets then read UTF-8


def to_geojson(kind: Kind, rows: list[dict], records: list[dict]) -> bytes:
    features = []
    for r, record in zip(rows, records):
        geom = _geometry(record)
        props = {c: r[c] for c in kind.columns if c not in ("longitude", "latitude")}
        features.append({"type": "Feature", "id": r["iri"],
                         "geometry": shapely.geometry.mapping(geom) if geom is not None else None,
                         "properties": props})
    data = {"type": "FeatureCollection", "features": features}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def to_rdf(kind: Kind, rows: list[dict]) -> bytes:
    g = rdflib.Graph()
    for prefix, ns in (("foaf", FOAF), ("dct", DCT), ("schema", SCHEMA), ("locn", LOCN), ("sca", SCA),
                       ("prov", PROV)):
        g.bind(prefix, ns)
    for r in rows:
        node = URIRef(r["iri"])
        if kind is ACTORS:
            g.add((node, RDF.type, FOAF.Organization))
            g.add((node, FOAF.name, Literal(r["title"])))
            if r["url"]:
                g.add((node, FOAF.homepage, URIRef(r["url"])))
            for value in r["competences"]:
                g.add((node, SCHEMA.knowsAbout, Literal(value, lang="de")))
            g.add((node, SCA.actorKind, Literal(r["actor_kind"])))
            g.add((node, SCA.helixSector, Literal(r["helix_sector"])))
        else:
            g.add((node, RDF.type, FOAF.Project))
            g.add((node, DCT.title, Literal(r["title"], lang="de")))
            g.add((node, SCA.projectKind, Literal(r["project_kind"])))
            g.add((node, SCA.status, Literal(r["status"])))
            for partner in r["partners"]:  # an actor's IRI, or the name of a partner not in the atlas
                g.add((node, SCHEMA.participant,
                       URIRef(partner) if web_address.is_web_iri(partner) else Literal(partner)))
            if r["part_of"]:
                g.add((node, DCT.isPartOf, URIRef(r["part_of"])))
            for key, pred in (("start_date", SCHEMA.startDate), ("end_date", SCHEMA.endDate)):
                if r[key]:
                    g.add((node, pred, Literal(r[key])))
        g.add((node, RDFS.label, Literal(r["title"])))
        for key, lang in (("description", "de"), ("description_en", "en")):
            if r[key]:
                g.add((node, DCT.description, Literal(r[key], lang=lang)))
        for value in r["themes"] + r["topics"]:
            g.add((node, DCT.subject, Literal(value)))
        for value in r["districts"]:
            g.add((node, SCA.district, Literal(value)))
        if r["longitude"] != "":
            g.add((node, LOCN.geometry, Literal(f"POINT({r['longitude']} {r['latitude']})",
                                                datatype=GSP.wktLiteral)))
        g.add((node, DCT.modified, Literal(r["modified"])))
        _add_provenance(g, node, r)
    # a stored address that is no IRI (an older record) is left out, logged:
    # it would stop the whole file, and with it the regeneration for everyone
    iris.drop_invalid_iris(g)
    return g.serialize(format="turtle").encode("utf-8")


def _add_provenance(g: rdflib.Graph, node: URIRef, r: dict) -> None:
    """A record from another atlas: its original there (not this city as publisher)."""
    if r["original_iri"]:
        g.add((node, DCT.source, URIRef(r["original_iri"])))
        g.add((node, PROV.wasDerivedFrom, URIRef(r["original_iri"])))
    if r["source_atlas"]:
        g.add((node, SCA.sourceAtlas, Literal(r["source_atlas"])))
        g.add((node, SCA.sourceCity, Literal(r["source_city"])))


# ---- regeneration ---------------------------------------------------------------

def write_files(kind: Kind) -> dict[str, tuple[int, str]]:
    """Write the three files of one kind atomically; name → (bytes, sha256)."""
    records = public_records(kind.entity_type)
    actor_ids = {a["id"] for a in public_records("actor")} if kind is PROJECTS else set()
    project_ids = {r["id"] for r in records} if kind is PROJECTS else set()
    rows = [row(kind, r, actor_ids | project_ids) for r in records]
    contents = {"csv": to_csv(kind, rows), "geojson": to_geojson(kind, rows, records),
                "ttl": to_rdf(kind, rows)}
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    out = {}
    for ext, data in contents.items():
        name = file_name(kind, ext)
        tmp = target / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(target / name)
        out[name] = (len(data), hashlib.sha256(data).hexdigest())
    return out


def _organization() -> str:
    city = city_config.current()
    name = city.settings.get("default_organization") or f"{city.settings['name']}-open-data"
    try:
        return tk.get_action("organization_show")(site_context(), {"id": name})["id"]
    except tk.ObjectNotFound:
        return tk.get_action("organization_create")(site_context(), {
            "name": name, "title": settings.city_title()})["id"]


def dataset_dict(kind: Kind, files: dict[str, tuple[int, str]]) -> dict:
    city = city_config.current()
    cfg = settings.dcat_settings()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    resources = []
    for ext, label, media in FILES:
        name = file_name(kind, ext)
        size, digest = files[name]
        resources.append({
            "url": file_url(name), "download_url": file_url(name), "name": f"{kind.title_de} ({label})",
            "description": f"{kind.title_de} des Smart City Atlas als {label}.",
            "format": label, "mimetype": media, "size": size, "hash": digest, "hash_algorithm": "sha256",
            "availability": "STABLE", "modified": now,
        })
    # the exchange format other atlases harvest (docs/exchange-format.md): a live, paged API
    feed = exchange.records_url(kind.entity_type)
    resources.append({
        "url": feed, "name": f"{kind.title_de} (JSON-LD, Austauschformat {exchange.VERSION})",
        "description": (f"{kind.title_de} des Smart City Atlas im Austauschformat {exchange.VERSION} "
                        f"(JSON-LD, seitenweise; Kontext: {exchange.context_url()}), "
                        "das andere Atlanten einlesen."),
        "format": "JSON-LD", "mimetype": "application/ld+json", "availability": "STABLE", "modified": now,
    })
    title = f"Smart City Atlas {city.settings.get('title', city.name)} – {kind.title_de}"
    what = "Akteure (Unternehmen, Hochschulen, Initiativen, Verwaltung)" if kind is ACTORS else \
        "Maßnahmen, Projekte, Aktivitäten und Themen"
    return {
        "type": "dataset", "name": dataset_name(kind), "title": title,
        "title_en": f"Smart City Atlas {city.settings.get('title', city.name)} – {kind.title_en}",
        "notes": (f"Die {what} des Smart-City-Ökosystems aus dem Smart City Atlas, mit Ort, Themen "
                  "und Beziehungen. Wird bei jeder Änderung im Atlas neu erzeugt; enthält nur "
                  "öffentliche Einträge."),
        "description_en": (f"The {kind.title_en.lower()} of the smart-city ecosystem from the Smart City "
                           "Atlas, with location, topics and relations. Regenerated on every change; "
                           "public entries only."),
        "owner_org": _organization(), "license_id": city.settings.get("content_license"),
        "license_attribution": cfg.get("attribution") or settings.city_title(),
        "theme": ["REGI", "TECH", "GOVE"], "tag_string": f"Smart City,{kind.title_de},Atlas",
        "frequency": "IRREG", "language": ["DEU"],
        "spatial": json.dumps(shapely.geometry.mapping(city.boundary.simplify(0.001)),
                              separators=(",", ":")),
        "spatial_text": city.settings.get("title", city.name), "modified": now,
        "url": f"{settings.site_url()}/{kind.entity_type}",
        "provenance": ("Redaktionell gepflegte Einträge des Smart City Atlas. Einträge, die aus dem Smart City "
                       "Atlas einer anderen Stadt übernommen wurden, nennen ihre Herkunft (source_city, "
                       "source_atlas, original_iri)."),
        "resources": resources,
    }


def regenerate() -> dict[str, str]:
    """Rewrite the files and update (or create) both datasets; name → id."""
    result = {}
    for kind in KINDS:
        files = write_files(kind)
        data = dataset_dict(kind, files)
        try:
            existing = tk.get_action("package_show")(site_context(), {"id": data["name"]})
        except tk.ObjectNotFound:
            existing = None
        if existing is None:
            pkg = tk.get_action("package_create")(site_context(), data)
        else:
            data["id"] = existing["id"]
            # keep resource ids, so distribution IRIs stay stable
            by_url = {r["url"]: r["id"] for r in existing.get("resources", [])}
            for res in data["resources"]:
                if res["url"] in by_url:
                    res["id"] = by_url[res["url"]]
            pkg = tk.get_action("package_update")(site_context(), data)
        result[pkg["name"]] = pkg["id"]
    log.info("atlas open data regenerated: %s", ", ".join(result))
    return result


def regenerate_job() -> None:
    """The background job: clear the debounce key first, so a change during
    the run queues the next run; note what it covered once it is done."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    covers = redis.get(CHANGED_KEY) or b"0"
    with redis.pipeline() as pipe:
        pipe.delete(PENDING_KEY)
        pipe.set(RUNNING_KEY, "1", ex=RUNNING_TTL)
        pipe.execute()
    regenerate()
    with redis.pipeline() as pipe:
        pipe.set(DONE_KEY, covers)
        pipe.delete(RUNNING_KEY)
        pipe.execute()


def _queue() -> bool:
    from ckan.lib.redis import connect_to_redis

    if not connect_to_redis().set(PENDING_KEY, "1", nx=True, ex=PENDING_TTL):
        return False
    tk.enqueue_job(regenerate_job, title="Smart City Atlas: regenerate the atlas open data")
    return True


def request_regeneration() -> bool:
    """Queue one regeneration unless one is already waiting; True if queued."""
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().incr(CHANGED_KEY)
    return _queue()


@register.periodic_task("opendata_catch_up")
def catch_up() -> bool:
    """Scheduler task: a change no finished regeneration covers, while no
    job is waiting or running, means a worker died on it: queue it again."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    changed, done, running = redis.mget(CHANGED_KEY, DONE_KEY, RUNNING_KEY)
    if running is not None or int(changed or 0) <= int(done or 0):
        return False
    return _queue()


# ---- change hook (IDomainObjectModification, before commit) -------------------

def on_entity_change(entity, operation: str) -> None:
    """The job is queued after the commit, so the worker never reads the
    database before the change is visible."""
    if getattr(entity, "type", None) not in ("actor", "project"):
        return
    after_commit.remember("opendata", True, lambda _changes: request_regeneration())
