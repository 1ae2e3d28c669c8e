# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT catalog's parameters, checked before ckanext-dcat uses them.

ckanext-dcat 2.4.4 turns a bad ``page``, ``q``, ``fq``, ``format``,
``profiles`` or a ``modified_since`` with a time zone into a Solr error, a
TypeError or an unserialisable graph, all HTTP 500. Here each is a
``SearchQueryError`` naming the parameter (HTTP 400 on ``/catalog.ttl`` &
Co. and in the Action API); what Solr still refuses in ``q`` or ``fq`` is
turned into one too. ckanext-dcat also writes the query string into the
catalog's page links (hydra) without encoding it, which breaks Turtle as
soon as a value has a space; ``encoded_links`` rebuilds those links.
"""
from __future__ import annotations

import datetime
from urllib.parse import quote, urlencode

import ckan.plugins.toolkit as tk
import rdflib.plugin
import rdflib.serializer
from ckan.lib.search.common import SearchError, SearchQueryError
from ckanext.dcat.utils import url_to_rdflib_format
from dateutil.parser import parse as parse_date

from ckanext.smartcityatlas.common import paging
from ckanext.smartcityatlas.dcat import profile_names

FORMATS = ("rdf", "xml", "n3", "ttl", "jsonld")  # the endpoints' (ckanext.dcat.utils.CONTENT_TYPES)
# the parameters ckanext-dcat repeats in the page links
LINK_PARAMS = ("modified_since", "profiles", "q", "fq")
LINKS = ("current", "first", "last", "previous", "next")


def datasets_per_page() -> int:
    return int(tk.config.get("ckanext.dcat.datasets_per_page") or 100)


def _text(data_dict: dict, key: str) -> str | None:
    value = data_dict.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise SearchQueryError(f"{key}: must be text")
    return value


def _page(data_dict: dict) -> int:
    raw = data_dict.get("page")
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    page = paging.parse_page(raw, datasets_per_page())
    if page is None:
        raise SearchQueryError(f"page: must be a whole number from 1 to {paging.last_page(datasets_per_page())}")
    return page


def _modified_since(value: str) -> str:
    """ISO 8601 in UTC without offset: ckanext-dcat appends a "Z" to it."""
    try:
        moment = parse_date(value)
    except (ValueError, OverflowError):
        raise SearchQueryError("modified_since: must be a date or time in ISO 8601 (2024-05-31T12:00:00Z)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def _check_format(value) -> None:
    """An endpoint format or any serialiser rdflib has (the Action API takes "turtle" too)."""
    if value in (None, ""):
        return
    try:
        rdflib.plugin.get(url_to_rdflib_format(value), rdflib.serializer.Serializer)
    except (rdflib.plugin.PluginException, TypeError):
        raise SearchQueryError(f"format: must be one of {', '.join(FORMATS)}") from None


def _profiles(value) -> list[str] | None:
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SearchQueryError("profiles: must be profile names separated by commas")
    return profile_names.current_list([v.strip() for v in value], "?profiles=")


def checked(data_dict: dict) -> dict:
    """``data_dict`` with checked and normalised values; SearchQueryError naming a bad one."""
    data_dict = dict(data_dict)
    data_dict["page"] = _page(data_dict)
    for key in ("q", "fq"):
        value = _text(data_dict, key)
        if value and "{!" in value:
            raise SearchQueryError(f"{key}: local parameters ({{!…}}) are not supported")
    _check_format(data_dict.get("format"))
    since = _text(data_dict, "modified_since")
    if since:
        data_dict["modified_since"] = _modified_since(since)
    data_dict["profiles"] = _profiles(data_dict.get("profiles"))
    return data_dict


def refused_by_solr(error: SearchError) -> SearchQueryError | None:
    """Solr's HTTP 400 (syntax of q or fq) as the caller's error; None for other failures."""
    if "(HTTP 400)" not in str(error):
        return None
    return SearchQueryError("q, fq: Solr cannot parse the query (Solr syntax, e.g. fq=organization:stadtplanungsamt)")


def encoded_links(pagination_info: dict) -> dict:
    """ckanext-dcat's page links rebuilt with an encoded query string (its
    links end in the page number; the other parameters are the request's)."""
    links = dict(pagination_info)
    params = [(k, v) for k, v in tk.request.args.items() if k in LINK_PARAMS]
    for key in LINKS:
        if key in links:
            base, _, page = links[key].rpartition("page=")
            links[key] = f"{base.split('?', 1)[0]}?{urlencode([*params, ('page', page)], quote_via=quote)}"
    return links
