# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every schema's fields use (datasets, organisations, actors,
projects; schemas/presets.yaml): the e-mail and web address validators and
the city settings of the location picker."""
from __future__ import annotations

import json
import re

import ckan.plugins.toolkit as tk
from ckan.common import _
from ckan.lib.navl.dictization_functions import missing

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config, web_address

register = Registry()

Invalid = tk.Invalid

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")


def _empty(value) -> bool:
    return value is missing or value is None or value == ""


@register.validator
def sca_email(value, context):
    if _empty(value):
        return value
    if not EMAIL_RE.match(value):
        raise Invalid(_("Please enter a valid e-mail address, e.g. info@example.org."))
    return value


@register.validator
def sca_url(value, context):
    """An http(s) IRI with a host (RFC 3987): what the RDF exports can write
    as an IRI and the pages as a link (web_address)."""
    if _empty(value):
        return value
    code = web_address.problem(value)
    if code:
        raise Invalid(web_address.message(code, value))
    return value


@register.validator
def sca_url_items(value, context):
    """After scheming_multiple_text: every item must be a web address."""
    if _empty(value):
        return value
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        items = [value]
    for item in items if isinstance(items, list) else [items]:
        sca_url(item, context)
    return value


@register.helper
def sca_city_settings() -> dict:
    return city_config.current().settings


@register.validator
def sca_keep_stored(key, data, errors, context):
    """The harvest provenance fields (actors and projects, also in a portal
    without the DCAT capability): a field the form does not show keeps
    its stored value when an update does not mention it (the web form, an API
    update without it); an empty value sent on purpose (the harvester
    clearing ``sca_withdrawn``) clears it."""
    if data.get(key) is not tk.missing and data.get(key) is not None:
        return
    package = context.get("package")
    if package is None:
        return
    stored = (package.extras or {}).get(key[-1])
    if stored is not None:
        data[key] = stored
