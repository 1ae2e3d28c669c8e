# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partner names of a radar row → actors of the atlas.

In this order: a name a curator already resolved (``sca_radar_alias``,
written by ``sca_radar_resolve_partner``); the city configuration's alias
list (``radar.actor_aliases`` in city.yaml); the actor's title or URL name,
then its title without a parenthesis or the abbreviation in it
("Hochschule … (HTW Dresden)" = "HTW Dresden"); then fuzzy matching
(difflib) on normalised names without legal forms. A score at or above
``match_threshold`` links the actor; between ``uncertain_threshold`` and it
the partner stays free text and the report names the candidate; below, the
partner stays free text as unknown.
"""
from __future__ import annotations

import collections
import dataclasses
import difflib
import re

import numpy

from ckanext.smartcityatlas.harvesters.radar.sheet import key

LEGAL_FORMS = re.compile(r"\b(ggmbh|gmbh|mbh|e\.? ?v\.?|ag|kg|co\.?|se|ug|kgaa|ev|eg|& ?co\.? ?kg)\b\.?")
MATCH_THRESHOLD = 0.9
UNCERTAIN_THRESHOLD = 0.75


def simple(name: str) -> str:
    text = key(name).replace("&", " ")
    text = LEGAL_FORMS.sub(" ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _tokens_sorted(text: str) -> str:
    return " ".join(sorted(text.split()))


@dataclasses.dataclass(frozen=True)
class Match:
    name: str              # as written in the row
    actor_id: str | None   # linked actor, or None (free text)
    how: str               # resolved | exact | alias | fuzzy | uncertain | unknown
    score: float = 0.0
    candidate: str | None = None  # an uncertain match: the actor's URL name
    candidate_title: str | None = None


@dataclasses.dataclass(frozen=True)
class Actor:
    id: str
    name: str
    title: str


class ActorIndex:
    def __init__(self, actors: list[Actor], aliases: dict[str, list[str]] | None = None,
                 resolved: dict[str, str] | None = None, match_threshold: float = MATCH_THRESHOLD,
                 uncertain_threshold: float = UNCERTAIN_THRESHOLD):
        self.actors = {a.id: a for a in actors}
        by_name = {a.name: a for a in actors}
        self.resolved = dict(resolved or {})  # key(name) → actor id
        self.exact: dict[str, str] = {}
        self.variants: dict[str, str] = {}
        self.alias: dict[str, str] = {}
        for actor in actors:
            self.exact.setdefault(simple(actor.title), actor.id)
            self.exact.setdefault(simple(actor.name), actor.id)
            for variant in _variants(actor.title):
                self.variants.setdefault(simple(variant), actor.id)
        for actor_name, names in (aliases or {}).items():
            actor = by_name.get(actor_name) or self.actors.get(actor_name)
            if actor is None:
                continue  # an alias list for an actor this portal does not have (yet)
            for alias in names:
                self.alias[simple(alias)] = actor.id
        names = {(simple(a.title), a.id) for a in actors}
        names |= {(simple(v), a.id) for a in actors for v in _variants(a.title) if len(simple(v)) >= 8}
        names |= {(alias, actor_id) for alias, actor_id in self.alias.items() if len(alias) >= 8}
        self.candidates = [_Candidate(n, self.actors[i]) for n, i in sorted(names) if n]
        self.match_threshold = match_threshold
        self.uncertain_threshold = uncertain_threshold
        # a radar file names the same partners in many rows: each name is compared once per run
        self._fuzzy: dict[str, tuple[Actor | None, float]] = {}
        self._counts: _CharCounts | None = None  # made at the first fuzzy comparison

    def add(self, actor: Actor) -> None:
        """An actor created during the run (a row of entry type "actor")."""
        self.actors[actor.id] = actor
        self.exact.setdefault(simple(actor.title), actor.id)
        self.exact.setdefault(simple(actor.name), actor.id)
        names = {simple(actor.title)}
        for variant in _variants(actor.title):
            self.variants.setdefault(simple(variant), actor.id)
            if len(simple(variant)) >= 8:
                names.add(simple(variant))
        self.candidates.extend(_Candidate(n, actor) for n in sorted(names) if n)
        self._fuzzy.clear()

    def match(self, name: str) -> Match:
        resolved = self.resolved.get(key(name))
        if resolved in self.actors:
            return Match(name, resolved, "resolved", 1.0)
        plain = simple(name)
        if not plain:
            return Match(name, None, "unknown")
        if plain in self.alias:  # the city's word first: "TU Dresden" is the university
            return Match(name, self.alias[plain], "alias", 1.0)
        for table in (self.exact, self.variants):
            if plain in table:
                return Match(name, table[plain], "exact", 1.0)
        if plain not in self._fuzzy:
            self._fuzzy[plain] = self._closest(plain)
        best, best_score = self._fuzzy[plain]
        if best is not None and best_score >= self.match_threshold:
            return Match(name, best.id, "fuzzy", round(best_score, 3))
        if best is not None and best_score >= self.uncertain_threshold:
            return Match(name, None, "uncertain", round(best_score, 3), best.name, best.title)
        return Match(name, None, "unknown", round(best_score, 3))


    def _closest(self, plain: str) -> tuple[Actor | None, float]:
        """The candidate most similar to ``plain`` at or above the uncertain
        threshold (ties: the smaller URL name), and its score; else None.

        The score is difflib's ratio of the names, as written and with sorted
        words. Both have the same characters, so the share of characters two
        names have in common (difflib's ``quick_ratio``, counted for all
        candidates at once from their character counts, ``_CharCounts``)
        bounds both scores: a candidate below the threshold by that bound is
        never compared."""
        best, best_score = None, 0.0
        sorted_plain = _tokens_sorted(plain)
        if self._counts is None or len(self._counts.sizes) != len(self.candidates):
            self._counts = _CharCounts(self.candidates)
        for i in self._counts.within(plain, self.uncertain_threshold):
            candidate = self.candidates[i]
            score = max(difflib.SequenceMatcher(None, plain, candidate.title).ratio(),
                        difflib.SequenceMatcher(None, sorted_plain, candidate.title_sorted).ratio())
            actor = candidate.actor
            if score > best_score or (score == best_score and best is not None and actor.name < best.name):
                best, best_score = actor, score
        return best, best_score


class _Candidate:
    """A name to compare partner names with, and its words sorted."""

    __slots__ = ("title", "title_sorted", "actor")

    def __init__(self, title: str, actor: Actor):
        self.title, self.title_sorted, self.actor = title, _tokens_sorted(title), actor


class _CharCounts:
    """How often each character occurs in each candidate (a matrix: one row
    per candidate), to bound difflib's ratio for all candidates at once."""

    def __init__(self, candidates: list[_Candidate]):
        counts = [collections.Counter(c.title) for c in candidates]
        self.columns = {ch: i for i, ch in enumerate(sorted({ch for c in counts for ch in c}))}
        matrix = numpy.zeros((len(candidates), max(1, len(self.columns))), dtype=numpy.int32)
        for row, count in enumerate(counts):
            for ch, n in count.items():
                matrix[row, self.columns[ch]] = n
        self.matrix = matrix
        self.sizes = numpy.array([len(c.title) for c in candidates], dtype=numpy.int64)

    def within(self, plain: str, threshold: float):
        """Rows whose ratio with ``plain`` may reach ``threshold``: difflib's
        real_quick_ratio (lengths) and quick_ratio (common characters) bounds."""
        size = len(plain)
        total = size + self.sizes
        common = numpy.zeros(len(self.sizes), dtype=numpy.int64)
        for ch, n in collections.Counter(plain).items():
            column = self.columns.get(ch)
            if column is not None:
                common += numpy.minimum(self.matrix[:, column], n)
        keep = (2.0 * numpy.minimum(size, self.sizes) / total >= threshold) & (2.0 * common / total >= threshold)
        return numpy.flatnonzero(keep).tolist()


def _variants(title: str) -> list[str]:
    """The title without a parenthesis, and the abbreviation in it."""
    out = []
    m = re.search(r"\(([^()]+)\)\s*$", title)
    if m:
        out.append(title[:m.start()].strip())
        inner = m.group(1)
        if len(inner) <= 20 and not inner.lower().startswith(("ehemals", "initiative")):
            out.append(inner)
    return out
