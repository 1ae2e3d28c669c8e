# SPDX-License-Identifier: AGPL-3.0-or-later
"""The same actor in several atlases (a research institute, a Land
authority, a firm with branches): recognised by what identifies an
organisation, not by its name alone.

Rules, in this order; the first that matches decides and is stored in the
harvested record (``sca_same_as_rule``):

1. registry or research id (entities/registry_ids.py): the same
   Handelsregister entry (court and number), ROR id or Wikidata id;
2. website domain: the same host (without ``www.``);
3. e-mail domain: the same domain of the functional mailbox (free-mail
   providers never count);
4. name and postal code: the same normalised name (case, punctuation and
   legal forms ignored) at the same postal code.

Candidates are the public, active actors of this atlas that are not copies
of the source being harvested and not themselves marked as the same as
another actor. A curator undoes a wrong match with
``sca_shared_actor_split`` (``SPLIT``: never matched again) and declares a
missed one with ``sca_shared_actor_merge`` (``MERGED``); a re-harvest keeps
both decisions.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
import urllib.parse

import sqlalchemy as sa
from ckan import model

from ckanext.smartcityatlas.entities import registry_ids
from ckanext.smartcityatlas.entities.shared import MERGED, SPLIT  # the rules of a curator's decision

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "t-online.de", "outlook.com", "hotmail.com",
    "yahoo.com", "yahoo.de", "icloud.com", "posteo.de", "mailbox.org", "freenet.de", "aol.com", "live.de",
})
LEGAL_FORMS = re.compile(r"\b(gmbh|mbh|ag|kg|e ?v|ev|ug|gbr|ohg|se|co|haftungsbeschrankt|ggmbh|eg)\b")


def host(url) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    try:
        name = urllib.parse.urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not name or "." not in name:
        return None
    name = name.lower().rstrip(".")
    return name[4:] if name.startswith("www.") else name


def mail_domain(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    domain = value.strip().rsplit("@", 1)[-1].lower()
    return None if "." not in domain or domain in FREE_MAIL else domain


def plain_name(title) -> str | None:
    if not isinstance(title, str):
        return None
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("ß", "ss"))
    text = LEGAL_FORMS.sub(" ", text)
    return " ".join(text.split()) or None


def registry_keys(register_court=None, register_number=None, ror_id=None, wikidata_id=None) -> tuple[str, ...]:
    """The registry and research ids of an actor as rule values (invalid ones are no ids)."""
    out = []
    court, number = registry_ids.court_key(register_court), registry_ids.register_number(register_number)
    if court and number:
        out.append(f"Handelsregister {number} ({court})")
    ror, wikidata = registry_ids.ror_id(ror_id), registry_ids.wikidata_id(wikidata_id)
    if ror:
        out.append(f"ROR {ror}")
    if wikidata:
        out.append(f"Wikidata {wikidata}")
    return tuple(out)


@dataclasses.dataclass(frozen=True)
class Facts:
    """What identifies an actor (registry ids, website, mailbox domain, name, postal code)."""
    website: str | None
    email: str | None
    name: str | None
    postal_code: str | None
    registry: tuple[str, ...] = ()

    @classmethod
    def of(cls, homepage, email_domain, title, postal_code, registry: tuple[str, ...] = ()) -> "Facts":
        code = str(postal_code).strip() if isinstance(postal_code, (str, int)) and str(postal_code).strip() else None
        return cls(host(homepage), mail_domain(email_domain), plain_name(title), code, registry)

    def keys(self) -> list[tuple[str, str]]:
        out = [("registry id", value) for value in self.registry]
        if self.website:
            out.append(("website domain", self.website))
        if self.email:
            out.append(("e-mail domain", self.email))
        if self.name and self.postal_code:
            out.append(("name and postal code", f"{self.name} | {self.postal_code}"))
        return out


def curator_decision(copy) -> dict | None:
    """The shared-actor mark a curator set on a harvested copy (a package
    row or None), kept by every re-harvest: split off, or merged with an
    actor that is still active; None when no curator decided."""
    extras = (copy.extras or {}) if copy is not None else {}
    rule = extras.get("sca_same_as_rule")
    if rule == SPLIT:
        return {"sca_same_as": None, "sca_same_as_rule": SPLIT}
    if rule == MERGED:
        target = model.Session.get(model.Package, extras.get("sca_same_as") or "")
        if target is not None and target.state == "active" and target.type == "actor":
            return {"sca_same_as": target.id, "sca_same_as_rule": MERGED}
    return None


class ActorIndex:
    """The candidate actors, by rule key; built once per harvest job."""

    def __init__(self, source_id: str):
        self.by_key: dict[tuple[str, str], str] = {}
        rows = model.Session.execute(sa.text(
            "SELECT id, title, url, extras->>'contact_email', extras->>'postal_code', extras->>'sca_same_as', "
            "  extras->>'sca_harvest_source', extras->>'register_court', extras->>'register_number', "
            "  extras->>'ror_id', extras->>'wikidata_id' "
            "FROM package WHERE type = 'actor' AND state = 'active' AND NOT private "
            "ORDER BY metadata_created, id"))
        for pkg_id, title, url, email, postal_code, same_as, harvest_source, *ids in rows:
            if same_as or harvest_source == source_id:
                continue
            for key in Facts.of(url, email, title, postal_code, registry_keys(*ids)).keys():
                self.by_key.setdefault(key, pkg_id)  # the oldest actor wins

    def match(self, facts: Facts) -> tuple[str, str] | None:
        """(actor id, the rule that matched with its value) or None."""
        for key in facts.keys():
            found = self.by_key.get(key)
            if found:
                return found, f"{key[0]}: {key[1]}"
        return None
