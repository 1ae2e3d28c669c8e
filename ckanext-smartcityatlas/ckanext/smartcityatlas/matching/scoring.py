# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scoring and explaining match candidates.

A score is the sum of a few parts, each with a fixed maximum weight (the
weights add up to 1.0), and each part that contributes becomes one line of
the explanation with its weight — so the explanation *is* the score, not a
story told about it:

======================  =====  ==================================================
kind                    max    contributes when the candidate …
======================  =====  ==================================================
matching_terms          0.40   uses the profile's specific terms (German analysis,
                               weighted by rarity among the actors; the square
                               root of the share of the profile's term weight)
shared_topics           0.23   shares topics (0.12), themes (0.05), fields of
                               action (0.04), SDGs (0.02); by the share of the
                               profile's values it covers
shared_partners         0.15   has worked with partners of the profile
                               (in other projects the caller may see)
same_measure            0.12   is already a partner in the same measure
complementary_sector    0.05   brings a helix sector the profile lacks
distance                0.05   is near (linear to zero at the distance limit),
                               measured from the point, or from the nearest edge
                               of a project's area (0 inside it)
======================  =====  ==================================================

In a regional atlas candidates come from every city (``same_city``
restricts them to the profile's city); each result names the candidate's
city and its distance (``city``, ``distance_km``, ``where``), also when it is
too far away for the distance part to count.
"""
from __future__ import annotations

import dataclasses
import math

import ckan.plugins.toolkit as tk
import shapely.geometry
import shapely.ops
from babel.numbers import format_decimal

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.language import language
from ckanext.smartcityatlas.entities.choices import choice_labels
from ckanext.smartcityatlas.matching import solr
from ckanext.smartcityatlas.matching.profile import Profile, home_city

KINDS = ("matching_terms", "shared_topics", "shared_partners", "same_measure", "complementary_sector", "distance")
VOCAB_WEIGHTS = {"topics": 0.12, "themes": 0.05, "fields_of_action": 0.04, "sdgs": 0.02}
W_TERMS = 0.40
W_PARTNERS = 0.15
W_MEASURE = 0.12
W_SECTOR = 0.05
W_DISTANCE = 0.05
PARTNERS_FOR_FULL_WEIGHT = 2
CANDIDATE_FIELDS = ("id,name,title,dataset_type,extras_actor_kind,extras_helix_sector,sca_topics,sca_themes,"
                    "sca_fields_of_action,sca_sdgs,sca_point,sca_measure_ids,sca_city,score")


@dataclasses.dataclass
class Options:
    point: tuple[float, float] | None = None     # (lon, lat)
    radius_km: float | None = None
    sectors: list[str] = dataclasses.field(default_factory=list)
    kinds: list[str] = dataclasses.field(default_factory=list)
    limit: int = 10
    same_city: bool = False


def _listing(values) -> str:
    return ", ".join(values)


def _km(value: float) -> str:
    return format_decimal(round(value, 1), format="#,##0.0", locale=language())


def collaborations(profile: Profile, labels: list[str] | None) -> dict[str, set[str]]:
    """Candidate id → the profile's partners it has worked with elsewhere."""
    if not profile.partners:
        return {}
    fq = ["+dataset_type:project",
          "+sca_partner_ids:(" + " OR ".join(solr.quoted(i) for i in profile.partners) + ")"]
    if profile.source_id:
        # not the project itself, and for an actor not its own projects
        fq.append(f"-id:{solr.quoted(profile.source_id)}")
        fq.append(f"-sca_partner_ids:{solr.quoted(profile.source_id)}")
    found: dict[str, set[str]] = {}
    for doc in solr.search(labels, fq=fq, fl="sca_partner_ids", rows=2000):
        ids = set(doc.get("sca_partner_ids", []))
        known = ids & set(profile.partners)
        for actor_id in ids - set(profile.partners):
            found.setdefault(actor_id, set()).update(known)
    return found


def retrieve(profile: Profile, options: Options, labels: list[str] | None,
             extra_ids: list[str], rows: int) -> list[dict]:
    """Candidates from Solr: actors sharing a vocabulary value, a term or a
    relation with the profile, best first; per-term frequencies attached."""
    terms = list(profile.terms)
    params = {}
    should = []
    for i, term in enumerate(terms):
        params[f"sca_t{i}"] = f"{{!term f=text}}{term}"
        should.append(f"should=$sca_t{i}")
    for field, values in profile.vocab.items():
        params[f"sca_v_{field}"] = f"sca_{field}:(" + " OR ".join(solr.quoted(v) for v in values) + ")^3"
        should.append(f"should=$sca_v_{field}")
    if extra_ids:
        params["sca_ids"] = "id:(" + " OR ".join(solr.quoted(i) for i in extra_ids[:500]) + ")^5"
        should.append("should=$sca_ids")
    if profile.measure:
        params["sca_m"] = f"sca_measure_ids:{solr.quoted(profile.measure[0])}^3"
        should.append("should=$sca_m")
    q = "{!bool " + " ".join(should) + "}" if should else "*:*"
    fq = ["+dataset_type:actor"]
    if profile.exclude:
        fq.append("-id:(" + " OR ".join(solr.quoted(i) for i in profile.exclude) + ")")
    if options.sectors:
        fq.append("+extras_helix_sector:(" + " OR ".join(solr.quoted(s) for s in options.sectors) + ")")
    if options.kinds:
        fq.append("+extras_actor_kind:(" + " OR ".join(solr.quoted(k) for k in options.kinds) + ")")
    if options.same_city and profile.city:
        fq.append(f"+sca_city:{solr.quoted(profile.city)}")
    if options.radius_km and options.point:
        lon, lat = options.point
        fq.append(f"{{!geofilt sfield=spatial_geom pt={lat:.6f},{lon:.6f} d={float(options.radius_km):.3f}}}")
    fl = [CANDIDATE_FIELDS] + [f"sca_tf{i}:termfreq(text,'{t}')" for i, t in enumerate(terms)]
    return solr.search(labels, q=q, fq=fq, fl=",".join(fl), rows=rows, sort="score desc,id asc", **params)


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def distance_of(doc: dict, profile: Profile, options: Options) -> float | None:
    """km from the given point, else from the profile's area (its nearest
    edge, 0 inside) or point, to the candidate; None without both locations."""
    if not doc.get("sca_point") or not (options.point or profile.point):
        return None
    lon, lat = (float(v) for v in doc["sca_point"][0].split(","))
    if options.point or profile.area is None:
        return _distance_km(options.point or profile.point, (lon, lat))
    candidate = shapely.geometry.Point(lon, lat)
    if profile.area.covers(candidate):
        return 0.0
    nearest = shapely.ops.nearest_points(profile.area, candidate)[0]
    return _distance_km((nearest.x, nearest.y), (lon, lat))


def _city_of(doc: dict) -> str:
    cities = doc.get("sca_city") or []
    return str(cities[0] if isinstance(cities, list) and cities else cities or "")


def where(km: float | None, city: str) -> str:
    """The candidate's city and distance in a sentence; the city is named in
    a region and for another city's entries (one city's atlas reads as before)."""
    if city and not city_config.current().members and city == home_city():
        city = ""
    if km is None:
        return tk._("In {city}").format(city=city) if city else ""
    if not city:
        return tk._("About {km} km away").format(km=_km(km))
    return tk._("About {km} km away, in {city}").format(km=_km(km), city=city)


def explain(doc: dict, profile: Profile, options: Options, worked_with: set[str]) -> list[dict]:
    """The contributing parts of a candidate's score, heaviest first. The
    ``detail`` of each part is a function: texts are written only for the
    few candidates that are shown (translating and formatting for all
    candidates would cost more than the scoring)."""
    items = []

    def add(kind: str, weight: float, detail) -> None:
        weight = round(weight, 4)
        if weight > 0:
            items.append({"kind": kind, "detail": detail, "weight": weight})

    for field, values in profile.vocab.items():
        shared = values & set(doc.get(f"sca_{field}", []))
        if shared:
            add("shared_topics", VOCAB_WEIGHTS[field] * len(shared) / len(values),
                lambda field=field, shared=shared: _vocab_text(field).format(
                    values=_listing(sorted(choice_labels(field).get(v, v) for v in shared))))
    if profile.terms:
        matched = [t for i, t in enumerate(profile.terms) if float(doc.get(f"sca_tf{i}", 0)) > 0]
        if matched:
            share = sum(profile.terms[t] for t in matched) / sum(profile.terms.values())
            # square root: the first shared specific terms count most
            add("matching_terms", W_TERMS * math.sqrt(share),
                lambda matched=matched: tk._("Matching terms in the description: {values}").format(
                    values=_listing(sorted({profile.surface.get(t, t) for t in matched}, key=str.lower)[:6])))
    if worked_with:
        names = sorted(profile.partners.get(i, "") for i in worked_with if profile.partners.get(i))
        if names:
            add("shared_partners", W_PARTNERS * min(1.0, len(names) / PARTNERS_FOR_FULL_WEIGHT),
                lambda names=names: tk._("Has already worked with partners of {title}: {values}").format(
                    title=profile.title, values=_listing(names)))
    if profile.measure and profile.measure[0] in doc.get("sca_measure_ids", []):
        add("same_measure", W_MEASURE,
            lambda: tk._("Is already a partner in the measure {title}").format(title=profile.measure[1]))
    sector = doc.get("extras_helix_sector")
    if sector and profile.sectors and sector not in profile.sectors and not options.sectors:
        add("complementary_sector", W_SECTOR, lambda sector=sector: _sector_text(sector, profile.sectors))
    km = distance_of(doc, profile, options)
    if km is not None:
        limit = float(options.radius_km or tk.config.get("ckanext.smartcityatlas.match.distance_km"))
        if km < limit:
            add("distance", W_DISTANCE * (1 - km / limit), lambda km=km: where(km, _city_of(doc)))
    return sorted(items, key=lambda item: -item["weight"])


def _vocab_text(field: str) -> str:
    return {
        "topics": tk._("Shared topics: {values}"),
        "themes": tk._("Shared themes of the strategy: {values}"),
        "fields_of_action": tk._("Shared fields of action: {values}"),
        "sdgs": tk._("Shared Sustainable Development Goals: {values}"),
    }[field]


def _sector_text(sector: str, present: set[str]) -> str:
    names = choice_labels("helix_sector")
    return tk._("Brings in the sector {sector} (present so far: {present})").format(
        sector=names.get(sector, sector), present=_listing(sorted(names.get(s, s) for s in present)))


def rank(profile: Profile, options: Options, labels: list[str] | None) -> list[dict]:
    worked = collaborations(profile, labels)
    extra = sorted(worked, key=lambda i: -len(worked[i]))
    rows = tk.config.get("ckanext.smartcityatlas.match.max_candidates")
    results = []
    for doc in retrieve(profile, options, labels, extra, rows):
        explanation = explain(doc, profile, options, worked.get(doc["id"], set()))
        score = round(sum(item["weight"] for item in explanation), 4)
        if score <= 0:
            continue
        results.append({"id": doc["id"], "name": doc.get("name"), "title": doc.get("title"),
                        "type": doc.get("dataset_type"), "actor_kind": doc.get("extras_actor_kind"),
                        "helix_sector": doc.get("extras_helix_sector"), "city": _city_of(doc),
                        "distance_km": None, "where": "", "score": score, "explanation": explanation,
                        "_doc": doc})
    results.sort(key=lambda r: (-r["score"], r["title"] or ""))
    shown = results[: options.limit]
    for result in shown:
        km = distance_of(result.pop("_doc"), profile, options)
        result["distance_km"] = None if km is None else round(km, 1)
        result["where"] = where(km, result["city"])
        for item in result["explanation"]:
            item["detail"] = item["detail"]()
    return shown
