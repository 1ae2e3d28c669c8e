# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a match is looked for: the profile of an actor, a project or a
free-text needs description.

A profile holds the vocabulary values (topics, themes, fields of action,
SDGs), the weighted terms of its texts, the sectors already present, the
partners already known, a location and the ids never to propose (itself,
its known partners). Everything is read with the caller's permissions.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.entities import locations, relations
from ckanext.smartcityatlas.matching import solr

VOCAB_FIELDS = ("topics", "themes", "fields_of_action", "sdgs")
TEXT_FIELDS = {"actor": ("notes", "competences"), "project": ("title", "summary", "notes")}
MAX_TERMS = 25
# common German and English words that carry no profile (the text analysis
# keeps them because CKAN searches phrases)
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also auch auf aus bei beim bis bisher dabei damit dann das dass
dem den denen der deren des die dies diese diesem diesen dieser dieses doch dort durch ein eine einem
einen einer eines etwa fur für gegen hat hatte haben hier ihre ihrem ihren ihrer ins ist jede jedem
jeden jeder kann konnen können laut mehr mit nach neue neuen neuer nicht noch nur oder ohne sehr seit sich
sie sind so soll sollen sowie uber über um und uns unter vom von vor war was weiter welche wenn werden
wie wird wir zu zum zur zwischen suche suchen gesucht brauchen benötigen
the and for with from that this are into our their will about also any can could has have how its more
new not other some such than them then there these they those was were what when where which who why
you your looking look seeking search searching find need needs want wanted would like
""".split())
# words of the domain nearly every entry and every request uses: as
# "matching terms" they explain nothing ("Partner", "Maßnahmen", "des
# Modellprojekts"). Compared after the index's analysis, so every word form
# and every compound they head is meant ("Partnern", "Modellprojekte").
GENERIC_WORDS = frozenset("""
partner partnerin partnerschaft partnership kooperation cooperation collaboration zusammenarbeit
massnahme maßnahme measure projekt project vorhaben modellprojekt modellvorhaben initiative
smart city cities stadt städte städtisch urban kommune municipality
""".split())


def city_stopwords() -> frozenset[str]:
    """The city's own name (and ``matching.stopwords`` of city.yaml, e.g. the
    adjective "dresdner"): nearly every entry names the city, so it matches nothing."""
    settings = city_config.current().settings
    words = [settings.get("name"), settings.get("title"),
             *((settings.get("matching") or {}).get("stopwords") or [])]
    return frozenset(part for w in words if w for part in str(w).lower().split())


@dataclasses.dataclass
class Profile:
    kind: str                       # actor | project | needs
    title: str = ""
    vocab: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    terms: dict[str, float] = dataclasses.field(default_factory=dict)   # term → idf
    surface: dict[str, str] = dataclasses.field(default_factory=dict)   # term → word shown
    sectors: set[str] = dataclasses.field(default_factory=set)
    partners: dict[str, str] = dataclasses.field(default_factory=dict)  # actor id → title
    exclude: set[str] = dataclasses.field(default_factory=set)
    measure: tuple[str, str] | None = None                              # (id, title)
    point: tuple[float, float] | None = None                            # (lon, lat)
    area: object | None = None          # a project's or actor's area (shapely), distances are measured from it
    city: str = ""                      # its city: the source city of a harvested record, else this atlas's
    source_id: str | None = None


def home_city() -> str:
    settings = city_config.current().settings
    return str(settings.get("title") or settings["name"])


@functools.lru_cache(maxsize=4)
def _generic_terms(_core: str) -> frozenset[str]:
    """The index terms of GENERIC_WORDS (per Solr core: its analysis)."""
    return frozenset(term for term, _word in whole_words(solr.analyse(" ".join(sorted(GENERIC_WORDS)))).values())


def generic_terms() -> frozenset[str]:
    return _generic_terms(tk.config.get("solr_url") or "")


def whole_words(tokens: list[tuple[str, str, int]]) -> dict[int, tuple[str, str]]:
    """Start offset → ``(term, surface)`` of each whole word: the longest
    term at a position (the others are the parts of a compound)."""
    best: dict[int, tuple[str, str]] = {}
    for term, surface, start in tokens:
        if start not in best or len(term) > len(best[start][0]):
            best[start] = (term, surface)
    return best


def content_terms(text: str) -> list[tuple[str, str]]:
    """``(term, surface word)`` of the words of ``text`` that can describe a
    profile: no stop words, the city's name, numbers or generic domain words; a generic word
    takes the parts of its compound with it ("Modellprojekts": neither
    "modell" nor "projekt")."""
    tokens = solr.analyse(text)
    generic = generic_terms()
    stopwords = STOPWORDS | city_stopwords()
    dropped = {start for start, (term, surface) in whole_words(tokens).items()
               if term in generic or surface.lower() in stopwords}
    return [(term, surface) for term, surface, start in tokens
            if start not in dropped and term not in stopwords and term not in generic and not term.isdigit()]


def weigh_terms(profile: Profile, text: str, labels: list[str] | None) -> None:
    """Pick the profile's most specific terms (tf · idf over the actors)."""
    counts: dict[str, int] = {}
    for term, surface in content_terms(text):
        counts[term] = counts.get(term, 0) + 1
        profile.surface.setdefault(term, _display(term, surface))
    if not counts:
        return
    terms = sorted(counts)[:200]
    # rarity among the actors the caller may see: terms no actor uses cannot
    # match, terms most actors use do not discriminate
    stats = solr.facet_counts(labels, ["+dataset_type:actor"], [f"{{!term f=text}}{t}" for t in terms])
    if stats is None:
        return
    n, df = stats
    weights, idfs = {}, {}
    for term in terms:
        count = df.get(f"{{!term f=text}}{term}", 0)
        if count < 1 or count > 0.3 * n:
            continue
        idfs[term] = math.log((n + 1) / count)
        weights[term] = (1 + math.log(counts[term])) * idfs[term]
    best = sorted(weights, key=lambda t: (-weights[t], t))[:MAX_TERMS]
    profile.terms = {t: idfs[t] for t in best}


def _display(term: str, surface: str) -> str:
    """The word to show for a term: the part of the surface word it came
    from ("Mobilität" for the term of "…mobilität" in a compound)."""
    folded = surface.lower().translate(str.maketrans("äöüß", "aous"))
    at = folded.find(term[:4])
    if at <= 0:
        return surface.strip(".,;:!?()\"'„“")
    part = surface[at:].strip(".,;:!?()\"'„“")
    return part[:1].upper() + part[1:]


def of_entity(context: dict, entity: dict, labels: list[str] | None) -> Profile:
    kind = entity.get("type")
    profile = Profile(kind=kind, title=entity.get("title") or entity.get("name"), source_id=entity["id"])
    profile.exclude.add(entity["id"])
    for field in VOCAB_FIELDS:
        values = {str(v) for v in as_list(entity.get(field)) if v}
        if values:
            profile.vocab[field] = values
    text = " ".join(" ".join(map(str, as_list(entity.get(f)))) for f in TEXT_FIELDS.get(kind, ()))
    weigh_terms(profile, text, labels)
    profile.point = locations.display_point(entity.get("spatial"))
    profile.area = _area(entity.get("spatial"))
    profile.city = entity.get("sca_source_city") or home_city()
    if kind == "project":
        ids = relations.partner_actor_ids(entity)
        for doc in solr.search(labels, fq=["+dataset_type:actor", "+id:(" + " OR ".join(solr.quoted(i) for i in ids) + ")"],
                               fl="id,title,extras_helix_sector", rows=len(ids)) if ids else []:
            profile.partners[doc["id"]] = doc.get("title", "")
            if doc.get("extras_helix_sector"):
                profile.sectors.add(doc["extras_helix_sector"])
        profile.exclude |= set(ids)
        if entity.get("part_of"):
            docs = solr.search(labels, fq=[f"+id:{solr.quoted(entity['part_of'])}"], fl="id,title", rows=1)
            if docs:
                profile.measure = (docs[0]["id"], docs[0].get("title", ""))
        elif entity.get("project_kind") == "measure":
            profile.measure = (entity["id"], profile.title)
    elif kind == "actor":
        if entity.get("helix_sector"):
            profile.sectors.add(entity["helix_sector"])
        # its partners: the other actors of the projects it is part of
        for doc in solr.search(labels, fq=["+dataset_type:project", f"+sca_partner_ids:{solr.quoted(entity['id'])}"],
                               fl="sca_partner_ids", rows=500):
            for actor_id in doc.get("sca_partner_ids", []):
                if actor_id != entity["id"]:
                    profile.partners.setdefault(actor_id, "")
        if profile.partners:
            ids = list(profile.partners)
            for doc in solr.search(labels, fq=["+id:(" + " OR ".join(solr.quoted(i) for i in ids) + ")"],
                                   fl="id,title", rows=len(ids)):
                profile.partners[doc["id"]] = doc.get("title", "")
            profile.partners = {k: v for k, v in profile.partners.items() if v}
        profile.exclude |= set(profile.partners)
    return profile


def _area(spatial):
    """The location when it is an area (Polygon, MultiPolygon), else None."""
    try:
        geom = locations.parse(spatial)[1] if spatial else None
    except locations.LocationError:
        return None
    return geom if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") else None


def of_needs(text: str, labels: list[str] | None) -> Profile:
    profile = Profile(kind="needs", title=text[:80], city=home_city())
    weigh_terms(profile, text, labels)
    if not profile.terms:
        raise tk.ValidationError({"q": [tk._("The description contains no words the atlas knows.")]})
    return profile
