# SPDX-License-Identifier: AGPL-3.0-or-later
"""Validators of the actor and project schemas (referenced from schemas/*.yaml)."""
from __future__ import annotations

import datetime
import json
import re

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckan.lib.navl.dictization_functions import missing

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.entities import locations
from ckanext.smartcityatlas.capability import Registry

register = Registry()

Invalid = tk.Invalid

def _empty(value) -> bool:
    return value is missing or value is None or value == ""


@register.validator
def sca_postal_code(value, context):
    if _empty(value):
        return value
    if not re.fullmatch(r"\d{5}", value):
        raise Invalid(_("A German postal code has five digits."))
    return value


@register.validator
def sca_year(value, context):
    if _empty(value):
        return value
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("Please enter a year, e.g. 1998.")) from None
    if not 1200 <= year <= datetime.date.today().year:
        raise Invalid(_("The year must lie between 1200 and this year."))
    return year


@register.validator
def sca_non_negative_number(value, context):
    if _empty(value):
        return value
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise Invalid(_("Please enter a number.")) from None
    if number < 0 or number != number:
        raise Invalid(_("The number must not be negative."))
    return number


@register.validator
def sca_end_after_start(key, data, errors, context):
    end = data.get(key)
    start = data.get(key[:-1] + ("start_date",))
    if _empty(end) or _empty(start):
        return
    if isinstance(start, str):
        try:
            start = tk.h.date_str_to_datetime(start)
        except (TypeError, ValueError):
            return  # start_date reports its own error
    if end < start:
        errors[key].append(_("The end must not be before the start."))


@register.validator
def sca_geojson_location(key, data, errors, context):
    """Validate the location and keep it as normalised GeoJSON text."""
    value = data.get(key)
    if _empty(value):
        return
    try:
        geojson, geom = locations.parse(value)
        locations.check_in_city(geom, city_config.current())  # raises if lon/lat swapped
    except locations.LocationError as exc:
        errors[key].append(str(exc))
        return
    data[key] = json.dumps(geojson, separators=(",", ":"))


def _location(key, data):
    """The record's parsed location, or None (missing or invalid: the spatial
    field reports its own error). Parsed here again because navl validates
    fields in alphabetical order, so 'spatial' runs after 'sca_*'."""
    value = data.get(key[:-1] + ("spatial",))
    if _empty(value):
        return None
    try:
        return locations.parse(value)[1]
    except locations.LocationError:
        return None


def _source_city(key, data, context) -> str | None:
    """The city a harvested record comes from (``sca_source_city``; on an
    update without it, the stored one)."""
    value = data.get(key[:-1] + ("sca_source_city",))
    if _empty(value):
        package = context.get("package")
        value = (package.extras or {}).get("sca_source_city") if package is not None else None
    return value or None


def _source_city_districts(city, districts: list, source: str | None) -> list:
    """In a region, a record harvested from a member city gets that city's
    districts only (an area reaching over the city's boundary does not
    spill into the neighbour's districts)."""
    if not source or not any(d.city == source for d in city.districts):
        return districts
    return [d for d in districts if d.city == source]


@register.validator
def sca_derived(key, data, errors, context):
    """Fields computed on save from the location; client values are replaced.

    sca_districts: the districts (with their group, e.g. Stadtbezirk) of the location;
    sca_warnings: findings that do not refuse the record but editors should
    see (a location outside the city boundary).
    """
    geom = _location(key, data)
    city = city_config.current()
    result: list = []
    if geom is not None and key[-1] == "sca_districts":
        result = [
            # in a region the district's city too (docs/city.md); one city's records stay as they were
            {"id": d.id, "name": d.name, "group_type": d.group_type, "group": d.group, **({"city": d.city} if d.city else {})}
            for d in _source_city_districts(city, city.districts_of(geom), _source_city(key, data, context))
        ]
    elif geom is not None and key[-1] == "sca_warnings":
        try:
            warning = locations.check_in_city(geom, city)
        except locations.LocationError:
            warning = None  # refused by the spatial field anyway
        if warning:
            result = [{"field": "spatial", "message": warning}]
    data[key] = json.dumps(result, ensure_ascii=False)


def _show_entity(context, ref: str) -> dict | None:
    """What the reference checks need of the entity ref names (id, type,
    state, project_kind), read from the database; None if it does not exist
    or the caller may not read it: "not found" either way, so that naming
    another office's private record tells nothing of it (a private partner
    can still be referenced by whoever may read it, e.g. its organisation's
    editors). (Not package_show: its unvalidated dict has the schema fields
    only as extras unless the search index already holds the record, which a
    harvest job commits once, at its end.)"""
    from ckan import model

    from ckanext.smartcityatlas.entities import reference_privacy

    pkg = model.Package.get(ref)
    if pkg is None or reference_privacy.hidden(context, {pkg.id}):
        return None
    return {"id": pkg.id, "type": pkg.type, "state": pkg.state,
            "project_kind": (pkg.extras or {}).get("project_kind")}


def _already_referenced(context, ref: str, field: str) -> bool:
    """Whether the record being updated names ref in ``field`` already: a
    partner deleted later must not make its projects uneditable, and a
    reference the editor cannot read is kept as it is
    (``reference_privacy.keep_hidden_on_update``)."""
    from ckanext.smartcityatlas.entities.relations import partner_actor_ids

    pkg = context.get("package")
    extras = getattr(pkg, "extras", None) or {}
    if field == "partners":
        return ref in partner_actor_ids({"partners": extras.get("partners")})
    return bool(ref) and extras.get(field) == ref


@register.validator
def sca_actor_reference(value, context):
    """A partner's actor: an existing, non-deleted actor; stored by id."""
    if _empty(value):
        return value
    actor = _show_entity(context, value)
    if actor is None or actor.get("type") != "actor" or actor.get("state") == "deleted":
        if _already_referenced(context, value, "partners"):
            return value
        raise Invalid(_("There is no actor '{ref}' in the atlas.").format(ref=value))
    return actor["id"]


@register.validator
def sca_measure_reference(value, context):
    if _empty(value):
        return value
    measure = _show_entity(context, value)
    if (measure is None or measure.get("type") != "project" or measure.get("state") == "deleted"
            or measure.get("project_kind") != "measure"):
        if _already_referenced(context, value, "part_of"):
            return value
        raise Invalid(_("There is no measure '{ref}' in the atlas.").format(ref=value))
    return measure["id"]


@register.validator
def sca_radar_id(value, context):
    if _empty(value):
        return value
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}", value):
        raise Invalid(_("A radar id consists of letters, digits, '.', '_' and '-'."))
    return value


@register.validator
def sca_model_district(value, context):
    if _empty(value):
        return value
    allowed = {d["value"] for d in city_config.current().settings.get("model_districts", [])}
    if value not in allowed:
        raise Invalid(_("Unknown model district '{value}'.").format(value=value))
    return value
