# SPDX-License-Identifier: AGPL-3.0-or-later
"""Choices and validators of the DCAT-AP.de dataset schema (schemas/dataset.yaml)."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import web_address
from ckanext.smartcityatlas.dcat import vocab
from ckanext.smartcityatlas.capability import Registry

register = Registry()

_ = tk._

ROLES = {
    "originator": ("Urheber", "Originator"),
    "maintainer": ("Verwalter", "Maintainer / custodian"),
    "contributor": ("Mitwirkender", "Contributor"),
    "creator": ("Ersteller", "Creator"),
}


def _choices(table: dict) -> list[dict]:
    return [{"value": code, "label": {"de": de, "en": en}} for code, (de, en) in table.items()]


def _with_table(curated: list[dict], filename: str, base: str, covered: set[str]) -> list[dict]:
    """The curated choices first, then every other code of the EU table
    (harvested records may use them)."""
    rest = [{"value": code, "label": labels.get("de") or labels.get("en") or code}
            for code, labels in vocab.eu_table(filename, base).items() if code not in covered]
    return curated + rest


@register.helper
def sca_dcat_frequency_choices(field):
    return _with_table(_choices(vocab.FREQUENCIES), vocab.FREQUENCY_TABLE, vocab.FREQUENCY,
                       set(vocab.FREQUENCIES))


@register.helper
def sca_dcat_format_choices(field):
    curated = [{"value": k, "label": k} for k in vocab.FORMATS]
    return _with_table(curated, vocab.FILE_TYPE_TABLE, vocab.FILE_TYPE,
                       {code for code, _media in vocab.FORMATS.values()})


@register.helper
def sca_dcat_theme_choices(field):
    return _choices(vocab.THEMES)


@register.helper
def sca_dcat_language_choices(field):
    return _choices({**vocab.LANGUAGES, **vocab.MORE_LANGUAGES})


@register.helper
def sca_dcat_access_rights_choices(field):
    return _choices(vocab.ACCESS_RIGHTS)


@register.helper
def sca_dcat_availability_choices(field):
    return _choices(vocab.AVAILABILITIES)


@register.helper
def sca_dcat_role_choices(field):
    return _choices(ROLES)


@register.helper
def sca_dcat_hash_choices(field):
    return [{"value": k, "label": k.upper()} for k in vocab.HASH_ALGORITHMS]


@register.helper
def sca_dcat_license_choices(field):
    return [{"value": lic["id"], "label": lic["title"]} for lic in vocab.dcatde_licenses()]


def _missing(value) -> bool:
    return value is None or value == "" or value is tk.missing


@register.validator
def sca_dcat_license(value):
    """A licence of the dcat-ap.de list (K31), by its id (``dl-by-de/2.0``)."""
    if _missing(value):
        return value
    ids = {lic["id"] for lic in vocab.dcatde_licenses()}
    if value not in ids:
        raise tk.Invalid(_("Choose a licence from the dcat-ap.de licence list."))
    return value


@register.validator
def sca_dcat_iri_list(value):
    """Every entry an http(s) IRI (they are exported as IRIs)."""
    if _missing(value):
        return value
    try:
        items = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    except ValueError:
        items = value
    if not isinstance(items, list):
        items = [items]
    for item in items:
        code = web_address.problem(item)
        if code == web_address.SCHEME or code == web_address.NOT_TEXT:
            raise tk.Invalid(_("Enter web addresses (starting with http:// or https://)."))
        if code:
            raise tk.Invalid(web_address.message(code, item))
    return value


@register.validator
def sca_dcat_geojson(key, data, errors, context):
    """A GeoJSON geometry (not necessarily inside the city: a dataset may cover more)."""
    from ckanext.smartcityatlas.entities import locations

    value = data.get(key)
    if _missing(value):
        return
    try:
        geojson, _geom = locations.parse(value)
    except locations.LocationError as exc:
        errors[key].append(str(exc))
        return
    data[key] = json.dumps(geojson, separators=(",", ":"))


# in the context of a harvester's save: the harvest source's id
HARVEST_CONTEXT = "sca_harvest_source"


@register.validator
def sca_dcat_description(key, data, errors, context):
    """The description DCAT-AP.de requires. A harvested record whose source
    gives none is imported without it (flagged and kept out of the DCAT
    exports, ``import_flags``), and an edit of such a record may leave it
    missing; nobody can remove a description a record has."""
    value = data.get(key)
    if not _missing(value) and str(value).strip():
        return
    package = context.get("package")
    stored_without = package is not None and bool((package.extras or {}).get("sca_harvest_source")) \
        and not (package.notes or "").strip()
    if context.get(HARVEST_CONTEXT) or stored_without:
        data[key] = ""
        raise tk.StopOnError
    errors[key].append(_("Missing value"))
    raise tk.StopOnError
