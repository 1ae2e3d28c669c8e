# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the legal page templates say about the city and its Land.

The pages (``texts/<page>.<lang>.md``, or the city's own files in its
folder's ``legal/``) name the city and the Land-specific law as
``${key}``. The values come from city.yaml (``official_name``, ``dcat``,
``content_license``, the ``legal`` section) and, for the Land, from
``laender.yaml``, which ``legal.land`` (or the city's ``state``) selects;
``legal`` in city.yaml overrides any of them.
"""
from __future__ import annotations

import functools
import json
import re
import urllib.parse
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent
TEXTS = FOLDER / "texts"
LAND_KEYS = ("accessibility_law", "data_protection_basis", "supervisory_authority", "enforcement_body")
CITY_KEYS = ("official_name_en", "contact_email", "contact_url")
LANGUAGES = ("de", "en")
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
# Shown where a city sets nothing: square brackets mark a placeholder on the page.
MISSING = {
    "accessibility_law": {"de": "[Barrierefreiheitsgesetz und -verordnung des Landes]",
                          "en": "[the Land's accessibility act and ordinance]"},
    "data_protection_basis": {"de": "[Vorschrift des Landesdatenschutzgesetzes]",
                              "en": "[provision of the Land's data protection act]"},
    "supervisory_authority": {"de": "[Datenschutzaufsichtsbehörde des Landes, Postanschrift, Web-Adresse]",
                              "en": "[the Land's data protection authority, postal address, web address]"},
    "enforcement_body": {"de": "[Durchsetzungsstelle des Landes für barrierefreie Informationstechnik]",
                         "en": "[the Land's enforcement body for accessible information technology]"},
    "contact_url": {"de": "[Web-Adresse]", "en": "[web address]"},
}


@functools.lru_cache(maxsize=1)
def laender() -> dict[str, dict]:
    """The shipped Land texts: key (``sachsen``) → {state, accessibility_law: {de, en}, …}."""
    return yaml.safe_load((FOLDER / "laender.yaml").read_text(encoding="utf-8"))


def land_key(settings: dict) -> str | None:
    """The Land whose texts apply: ``legal.land``, else the one whose state is the city's."""
    legal = settings.get("legal") or {}
    if legal.get("land"):
        return str(legal["land"])
    state = str(settings.get("state") or "").strip().lower()
    return next((key for key, land in laender().items() if land["state"].lower() == state), None)


def _text(value, lang: str) -> str | None:
    if isinstance(value, dict):
        value = value.get(lang) or value.get("de")
    return None if value in (None, "") else str(value)


@functools.lru_cache(maxsize=1)
def _licences() -> dict[str, str]:
    """dcat-ap.de licence id → "title (<url>)"."""
    from ckanext.smartcityatlas.dcat.licenses import LICENSES_FILE

    return {entry["id"]: f"{entry['title']} (<{entry['url']}>)"
            for entry in json.loads(LICENSES_FILE.read_text(encoding="utf-8"))}


def _mail_domain(settings: dict) -> str:
    host = urllib.parse.urlsplit(str((settings.get("dcat") or {}).get("publisher_url") or "")).hostname or ""
    return host.removeprefix("www.")


def values(settings: dict, lang: str) -> dict[str, str]:
    """``${key}`` → text in lang for the city's legal pages."""
    legal = settings.get("legal") or {}
    dcat = settings.get("dcat") or {}
    land = laender().get(land_key(settings) or "", {})
    title = settings.get("title") or settings.get("name") or ""
    official = settings.get("official_name") or title
    domain = _mail_domain(settings)
    example = f", z. B. opendata@{domain}" if lang == "de" else f", e.g. opendata@{domain}"
    found = {
        "official_name": official,
        "official_name_en": _text(legal.get("official_name_en"), lang) or f"City of {title}",
        "title": title,
        "attribution": dcat.get("attribution") or official,
        "contact_url": _text(legal.get("contact_url"), lang) or (f"<{dcat['contact_url']}>" if dcat.get("contact_url")
                                                                else MISSING["contact_url"][lang]),
        "contact_email": _text(legal.get("contact_email"), lang) or (
            ("[funktionale Adresse" if lang == "de" else "[functional address") + (example if domain else "") + "]"),
        "licence": _licences().get(settings.get("content_license") or "") or "[Lizenz / licence]",
    }
    for key in LAND_KEYS:
        found[key] = _text(legal.get(key), lang) or _text(land.get(key), lang) or MISSING[key][lang]
    return found


def render(text: str, settings: dict, lang: str) -> str:
    """text with each known ``${key}`` replaced (others stay, city-check names them)."""
    found = values(settings, lang)
    return PLACEHOLDER.sub(lambda m: found.get(m.group(1), m.group(0)), text)


def problems(settings: dict) -> list[tuple[str, str, str]]:
    """(severity, key, message) for the ``legal`` section of city.yaml."""
    legal = settings.get("legal")
    if legal is None:
        legal = {}
    if not isinstance(legal, dict):
        return [("error", "legal", "must be a mapping (land, official_name_en, contact_email, …)")]
    out: list[tuple[str, str, str]] = []
    known = ("land", *CITY_KEYS, *LAND_KEYS)
    for key in legal:
        if key not in known:
            out.append(("error", f"legal.{key}", f"unknown key; known: {', '.join(known)}"))
    for key in CITY_KEYS + LAND_KEYS:
        value = legal.get(key)
        if value is not None and not (isinstance(value, str) or (
                isinstance(value, dict) and set(value) <= set(LANGUAGES) and all(isinstance(v, str) for v in value.values()))):
            out.append(("error", f"legal.{key}", "must be a text or {de: …, en: …}"))
    land = land_key(settings)
    if legal.get("land") and land not in laender():
        out.append(("error", "legal.land", f"no shipped texts for {land!r}; known: {', '.join(laender())} "
                                           f"(or leave it out and give {', '.join(LAND_KEYS)} in legal)"))
    elif land is None:
        missing = [key for key in LAND_KEYS if not legal.get(key)]
        if missing:
            out.append(("warning", "legal", f"no shipped texts for the Land {settings.get('state')!r}: the legal "
                                            f"pages show placeholders for {', '.join(missing)} until you give them "
                                            f"in legal (docs/city.md)"))
    return out
