# SPDX-License-Identifier: AGPL-3.0-or-later
"""Registry and research ids of an actor: what identifies an organisation
across atlases better than its website (harvesters/shared_actors.py uses
them as the first matching rule; docs/exchange-format.md publishes them).

* Handelsregister (commercial, cooperative, partnership or association
  register): the register court (``register_court``, e.g. "Amtsgericht
  Dresden") and the number (``register_number``, e.g. "HRB 12345"); a number
  is unique per court only, so only both together identify a firm.
* ROR id (``ror_id``): Research Organization Registry, for universities and
  research institutes, e.g. ``04b8v1s79``.
* Wikidata id (``wikidata_id``): e.g. ``Q1202`` for any kind of actor.

The validators accept the forms people paste (a ROR or Wikidata address,
"HRB12345") and store one canonical form, so equal ids compare equal.
"""
from __future__ import annotations

import re
import unicodedata

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckan.lib.navl.dictization_functions import missing

from ckanext.smartcityatlas.capability import Registry

register = Registry()

# HRA/HRB: commercial register, GnR: cooperatives, PR: partnerships, VR: associations, GsR: civil-law
# partnerships; an optional letter suffix (Berlin's "HRB 12345 B")
_REGISTER_NUMBER = re.compile(r"(HRA|HRB|GNR|PR|VR|GSR)\s*(\d{1,6})(?:\s*([A-Z]{1,2}))?")
_REGISTER_CANONICAL = {"HRA": "HRA", "HRB": "HRB", "GNR": "GnR", "PR": "PR", "VR": "VR", "GSR": "GsR"}
# ROR: "0", six characters of Crockford base32 (no i, l, o, u), two check digits
_ROR = re.compile(r"(?:https?://ror\.org/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})")
_WIKIDATA = re.compile(r"(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?[Qq]([1-9][0-9]{0,11})")
_COURT_WORDS = re.compile(r"\b(amtsgericht|registergericht|ag)\b")


def _empty(value) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def register_number(value) -> str | None:
    """"HRB 12345" (canonical) for the forms people write, or None."""
    if not isinstance(value, str):
        return None
    found = _REGISTER_NUMBER.fullmatch(value.strip().upper())
    if not found:
        return None
    kind, number, suffix = found.groups()
    return f"{_REGISTER_CANONICAL[kind]} {int(number)}" + (f" {suffix}" if suffix else "")


def ror_id(value) -> str | None:
    if not isinstance(value, str):
        return None
    found = _ROR.fullmatch(value.strip().lower().rstrip("/"))
    return found.group(1) if found else None


def wikidata_id(value) -> str | None:
    if not isinstance(value, str):
        return None
    found = _WIKIDATA.fullmatch(value.strip().rstrip("/"))
    return f"Q{found.group(1)}" if found else None


def court_key(value) -> str | None:
    """The court's place, for comparing "Amtsgericht Dresden" with "AG Dresden"."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKD", value.lower().replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _COURT_WORDS.sub(" ", re.sub(r"[^a-z0-9]+", " ", text))
    return " ".join(text.split()) or None


def _canonical(value, parse, message: str):
    if _empty(value):
        return value
    found = parse(value)
    if found is None:
        raise tk.Invalid(message)
    return found


@register.validator
def sca_register_number(value, context):
    return _canonical(value, register_number, _(
        "A register number is the register's abbreviation and the number, e.g. HRB 12345 (HRA, HRB, GnR, PR, "
        "VR or GsR)."))


@register.validator
def sca_ror_id(value, context):
    return _canonical(value, ror_id, _("A ROR id looks like 04b8v1s79 (or https://ror.org/04b8v1s79)."))


@register.validator
def sca_wikidata_id(value, context):
    return _canonical(value, wikidata_id, _("A Wikidata id looks like Q1202 (or its wikidata.org address)."))


@register.validator
def sca_register_court(key, data, errors, context):
    """A register number needs its court: numbers are unique per court only."""
    number = data.get(key[:-1] + ("register_number",))
    court = data.get(key)
    if not _empty(number) and _empty(court):
        errors[key].append(_("Please name the register court of the register number, e.g. Amtsgericht Dresden."))
    elif not _empty(court) and (not isinstance(court, str) or len(court) > 200 or court_key(court) is None):
        errors[key].append(_("Please name the register court, e.g. Amtsgericht Dresden."))
