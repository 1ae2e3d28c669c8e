# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which harvested contacts the portal shows: functional ones only, by default.

Upstream metadata often name officials (CKAN ``maintainer``, ISO 19139
``individualName`` and their personal e-mail addresses). The portal
publishes contact points of offices, not of people, unless a source's
configuration says ``"personal_contacts": true`` (for example because the
publisher asked for it). A value withheld is noted in the job report
without repeating it.
"""
from __future__ import annotations

import re

# words that make a name or a mailbox an office's, not a person's
FUNCTIONAL_WORDS = (
    "amt", "abteilung", "agentur", "akademie", "anstalt", "archiv", "ausschuss", "bau", "behörde", "bezirk",
    "bibliothek", "büro", "bureau", "center", "centre", "daten", "data", "dezernat", "dienst",
    "direktion", "eigenbetrieb", "einrichtung", "feuerwehr", "forschung", "gmbh", "geo", "gis", "gruppe",
    "hochschule", "info", "institut", "kanzlei", "kataster", "kontakt", "kreis", "land", "leitstelle",
    "ministerium", "museum", "office", "open", "planung", "portal", "post", "presse", "redaktion",
    "referat", "regierung", "sachgebiet", "senat", "service", "stab", "stadt", "statistik", "stelle",
    "support", "team", "universität", "verband", "verein", "verkehr", "vermessung", "verwaltung",
    "webmaster", "zentrale", "zentrum", "umwelt", "ag", "e.v", "gemeinde", "landkreis", "poststelle",
)
_WORD = re.compile(r"[a-zäöüß]+")
_PERSONAL_LOCAL = re.compile(r"^[a-zäöü]+(?:[._-][a-zäöü]+){1,2}$")


def _functional(text: str) -> bool:
    # long office words also inside compounds (Vermessungsverwaltung), short ones
    # as whole words or, like "amt", as a compound's end (Landesamt, Umweltamt)
    lowered = text.lower()
    words = _WORD.findall(lowered)
    return (any(word in lowered for word in FUNCTIONAL_WORDS if len(word) >= 5)
            or any(w in FUNCTIONAL_WORDS or w.endswith(("amt", "ämter")) for w in words))


def personal_email(address: str) -> bool:
    """``first.last@…`` or ``f.last@…`` without an office word is a person's."""
    local = address.strip().lower().removeprefix("mailto:").split("@", 1)[0]
    return bool(_PERSONAL_LOCAL.match(local)) and not _functional(local)


def personal_name(name: str) -> bool:
    """Two to four capitalised words without an office word read as a person's name."""
    words = name.replace(",", " ").split()
    if not 2 <= len(words) <= 4 or _functional(name) or any(ch.isdigit() for ch in name):
        return False
    titles = {"dr.", "prof.", "herr", "frau", "dipl.-ing.", "mr", "ms", "mrs", "mr.", "ms."}
    return all(w[:1].isupper() or w.lower() in titles for w in words)


def functional_contact(name: str | None, email: str | None, allow_personal: bool,
                       note) -> tuple[str | None, str | None]:
    """(name, email) as the portal may show them; ``note(field)`` records a withheld value."""
    if allow_personal:
        return name or None, email or None
    if name and personal_name(name):
        note("contact name")
        name = None
    if email and personal_email(email):
        note("contact e-mail")
        email = None
    return name or None, email or None
