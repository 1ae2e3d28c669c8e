# SPDX-License-Identifier: AGPL-3.0-or-later
"""Page numbers from the query string, checked before they reach a query.

A page number becomes an SQL ``OFFSET`` or a Solr ``start``: beyond bigint
PostgreSQL fails, beyond a 32-bit int Solr does, and deep pages cost Solr
time and memory anyway. Every paged view of ours reads its page here: a whole
number from 1 to the last page within
``ckanext.smartcityatlas.paging.max_offset``, anything else is HTTP 400
naming the parameter.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
from flask import request

# ASCII digits only: int() would also take "٣", "+3", " 3" and "3_0"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def max_offset() -> int:
    return tk.config.get("ckanext.smartcityatlas.paging.max_offset")


def last_page(page_size: int) -> int:
    """The deepest page whose first row is within the maximum offset."""
    return max_offset() // page_size + 1


def parse_page(raw, page_size: int) -> int | None:
    """The page number of ``raw`` (None or "" mean 1), or None if it is not a valid page."""
    if raw in (None, ""):
        return 1
    if not isinstance(raw, str) or not _WHOLE_NUMBER.fullmatch(raw):
        return None
    page = int(raw)
    return page if 1 <= page <= last_page(page_size) else None


def page_error(name: str, page_size: int) -> str:
    return tk._('"{name}" must be a whole number from 1 to {last}.').format(name=name, last=last_page(page_size))


def page_arg(page_size: int, name: str = "page") -> int:
    """The page number of the query string parameter ``name``; HTTP 400 if invalid."""
    page = parse_page(request.args.get(name), page_size)
    if page is None:
        return tk.abort(400, page_error(name, page_size))
    return page
