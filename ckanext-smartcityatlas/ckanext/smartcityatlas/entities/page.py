# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an actor's or project's page shows (templates/smartcityatlas/entity_page.html).

Pages made for entities, not datasets: the facts of the schema that have a
value, each in the page language (choice labels, one date format per
language, amounts as currency, web addresses as safe links); the English
description under /en where there is one; districts collapsed from a few on
("city-wide (64 districts)"); the sources as a list. Fields a page shows
elsewhere (title, texts, location, partners, relations) or that are for
editors only (import checksums, ids) are no facts.
"""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.language import ui_language
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.entities import coverage

register = Registry()

# shown elsewhere on the page, or for editors only
NO_FACT = frozenset({
    "title", "name", "notes", "description_en", "summary", "summary_en", "spatial", "location_source",
    "location_precision", "partners", "related_datasets", "part_of", "radar_id", "logo_url", "owner_org",
    "record_source", "street_address", "postal_code", "locality", "status_updated", "start_date", "end_date",
})
# districts listed one by one up to this many
DISTRICTS_LISTED = 6


def _language_text(value) -> str:
    return tk.h.scheming_language_text(value, prefer_lang=ui_language()) if value else ""


def _date(value) -> str:
    """An ISO date (or date-time) as the page language writes dates."""
    from babel.dates import format_date

    if not value:
        return ""
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return format_date(day, format="long", locale=ui_language())


def _money(value) -> str:
    from babel.numbers import format_currency

    try:
        return format_currency(float(value), "EUR", locale=ui_language(), format_type="standard")
    except (TypeError, ValueError):
        return str(value)


def _choices(field: dict) -> list[dict]:
    return tk.h.scheming_field_choices(field) or []


def _link(url: str) -> Markup:
    return tk.h.sca_safe_link(url, target="_blank")


def _fact_value(field: dict, value) -> Markup | str | None:
    """The shown value of one schema field, or None when it is empty."""
    if value in (None, "", [], {}):
        return None
    preset, snippet = field.get("preset", ""), field.get("display_snippet") or ""
    if field.get("choices") or field.get("choices_helper"):
        choices = _choices(field)
        labels = [tk.h.scheming_choices_label(choices, v) for v in as_list(value) if v not in (None, "")]
        return ", ".join(labels) or None
    if preset == "sca_url" or snippet == "sca_link.html":
        return _link(value)
    if preset == "sca_email" or snippet == "sca_email.html":
        return tk.h.sca_safe_link(f"mailto:{value}", value, mailto=True)
    if field["field_name"] == "links":
        items = [_link(v) for v in as_list(value) if v]
        return Markup(", ").join(items) if items else None
    if field["field_name"].endswith("_eur"):
        return _money(value)
    if preset == "date" or snippet == "date.html":
        return _date(value)
    items = [str(v) for v in as_list(value) if v not in (None, "")]
    return ", ".join(items) or None


def _address(pkg: dict) -> str:
    town = " ".join(v for v in (pkg.get("postal_code"), pkg.get("locality")) if v)
    return ", ".join(v for v in (pkg.get("street_address"), town) if v)


def _period(pkg: dict) -> str:
    start, end = _date(pkg.get("start_date")), _date(pkg.get("end_date"))
    if start and end:
        return tk._("{start} to {end}").format(start=start, end=end)
    if start:
        return tk._("since {start}").format(start=start)
    return tk._("until {end}").format(end=end) if end else ""


@register.helper
def sca_entity_facts(pkg: dict) -> list[dict]:
    """``[{"label", "value"}]`` of the page's facts, in schema order, only
    those with a value."""
    schema = tk.h.scheming_get_dataset_schema(pkg.get("type")) or {}
    facts = []
    for field in schema.get("dataset_fields", []):
        name = field["field_name"]
        if name.startswith("sca_") or field.get("display_snippet", "") is None:
            continue
        if name == "street_address" and _address(pkg):
            facts.append({"label": tk._("Address"), "value": _address(pkg)})
        elif name == "start_date" and _period(pkg):
            facts.append({"label": tk._("Period"), "value": _period(pkg)})
        elif name == "status" and pkg.get("status"):
            value = _fact_value(field, pkg["status"])
            if pkg.get("status_updated"):
                value = tk._("{status} (as of {date})").format(status=value, date=_date(pkg["status_updated"]))
            facts.append({"label": _language_text(field.get("label")), "value": value})
        elif name not in NO_FACT:
            value = _fact_value(field, pkg.get(name))
            if value:
                facts.append({"label": _language_text(field.get("label")), "value": value})
    return facts


@register.helper
def sca_entity_text(pkg: dict, field: str) -> str:
    """``notes`` or ``summary`` in the page language: the English text
    (``description_en``, ``summary_en``) under /en where there is one."""
    english = {"notes": "description_en", "summary": "summary_en"}[field]
    if ui_language() == "en" and (pkg.get(english) or "").strip():
        return pkg[english]
    return pkg.get(field) or ""


@register.helper
def sca_entity_districts(pkg: dict) -> dict | None:
    """The entry's districts for its page: all names, whether it is
    city-wide and whether the list is long enough to be collapsed."""
    districts = [d for d in as_list(pkg.get("sca_districts")) if isinstance(d, dict) and d.get("name")]
    if not districts:
        return None
    return {"items": [_within_city(d) for d in districts], "count": len(districts),
            "citywide": coverage.covers_a_city(districts), "collapsed": len(districts) > DISTRICTS_LISTED}


def _within_city(district: dict) -> dict:
    """A region's district (``city`` given) with name and group as its city
    says them; the page names the city once, after them."""
    suffix = f" ({district['city']})" if district.get("city") else ""
    if not suffix:
        return district
    return {**district, "name": district["name"].removesuffix(suffix),
            "group": (district.get("group") or "").removesuffix(suffix)}


@register.helper
def sca_entity_sources(pkg: dict) -> list[str]:
    """The sources of an entry (``record_source``) one by one."""
    return [part.strip() for part in str(pkg.get("record_source") or "").split(";") if part.strip()]


@register.helper
def sca_date(value) -> str:
    """A date in the page language's one format ("23. März 2021", "March 23, 2021")."""
    return _date(value)

