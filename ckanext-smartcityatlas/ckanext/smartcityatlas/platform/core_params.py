# SPDX-License-Identifier: AGPL-3.0-or-later
"""Paging, time and yes/no parameters of CKAN's own actions and pages,
checked before CKAN reads them.

CKAN's core actions and pages (and those of ckanext-activity and
-harvest) take these parameters apart without a guard: ``offset=""`` or
``limit=""`` reaches a comparison with None, an offset beyond bigint a
database error, ``before=1e400`` ``datetime.fromtimestamp``, ``page`` beyond
a 32-bit int Solr, ``include_datasets=maybe`` ``asbool``: each answered 500.
Our own ``sca_*`` actions validate their input with their schemas
(input_schema.py) and our pages with paging.py; this covers the rest, by
parameter name, for the query string of every request and the body of the
Action API:

* ``limit``, ``offset``, ``start``, ``rows`` (Action API): a whole number
  from 0 to ``MAX_COUNT``; ``page``: from 1 (on pages up to the page whose
  first row is ``paging.max_offset``);
* ``before``, ``after``: a POSIX time in seconds (a number from 0 to the end
  of the year 9999);
* ``all_fields``, ``include_*``, ``use_default_schema`` (Action API): a
  boolean or one of the words CKAN's ``asbool`` reads.

Anything else is HTTP 400 naming the parameter.
"""
from __future__ import annotations

import math
import re

import ckan.plugins.toolkit as tk
from flask import request

from ckanext.smartcityatlas.common import paging
from ckanext.smartcityatlas.platform import json_body
from ckanext.smartcityatlas.common.responses import api_error

COUNTS = ("limit", "offset", "start", "rows")
TIMES = ("before", "after")
BOOLEANS = ("all_fields", "use_default_schema")
BOOLEAN_PREFIX = "include_"
# CKAN's asbool: these words (stripped, any case), else ValueError
BOOLEAN_WORDS = ("true", "yes", "on", "y", "t", "1", "false", "no", "off", "n", "f", "0")
MAX_COUNT = 10**9  # PostgreSQL and Solr take it; no listing gets near it
LAST_TIME = 253402300799  # 9999-12-31T23:59:59Z, the last second datetime holds
_WHOLE = re.compile(r"[0-9]{1,10}")
_NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{0,9})?")


def _count(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):  # a JSON 10.0 is CKAN's 10
        return float(value).is_integer() and 0 <= value <= MAX_COUNT
    return isinstance(value, str) and bool(_WHOLE.fullmatch(value)) and int(value) <= MAX_COUNT


def _page(value, api: bool) -> bool:
    if api:
        return _count(value) and int(float(value)) >= 1
    return paging.parse_page(value, 1) is not None and value != ""


def _time(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value) and 0 <= value <= LAST_TIME
    return isinstance(value, str) and bool(_NUMBER.fullmatch(value)) and float(value) <= LAST_TIME


def _boolean(value) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return True
    return isinstance(value, str) and value.strip().lower() in BOOLEAN_WORDS


def problem(name: str, value, api: bool) -> str | None:
    """What is wrong with parameter ``name`` of ``value``, or None."""
    if name == "page":
        ok = _page(value, api)
        what = tk._('"{name}" must be a whole number from 1 to {last}.').format(
            name=name, last=MAX_COUNT if api else paging.last_page(1))
    elif name in COUNTS and api:
        ok = _count(value)
        what = tk._('"{name}" must be a whole number from 0 to {last}.').format(name=name, last=MAX_COUNT)
    elif name in TIMES:
        ok = _time(value)
        what = tk._('"{name}" must be a time in seconds since 1970 (a number up to {last}).').format(
            name=name, last=LAST_TIME)
    elif api and (name in BOOLEANS or name.startswith(BOOLEAN_PREFIX)):
        ok = _boolean(value)
        what = tk._('"{name}" must be true or false.').format(name=name)
    else:
        return None
    return None if ok else what


def _body_params() -> dict:
    """The top-level parameters of an Action API body, as CKAN reads them."""
    if request.form:
        values = list(request.form.values())
        if not (len(values) == 1 and values[0] in ("1", "")):
            return request.form.to_dict(flat=True)
    try:
        data = json_body.parsed_body()
    except json_body.TooDeep:
        return {}  # json_body.py refuses it
    return data if isinstance(data, dict) else {}


# checked where they are answered, with their own limits and words: our
# sca_* actions by their schemas, the DCAT catalog by dcat/catalog_params.py
OWN_CHECK_ACTIONS = ("sca_", "dcat_catalog_")
OWN_CHECK_ENDPOINTS = ("dcat.read_catalog",)


def _first_problem() -> str | None:
    api = request.endpoint == "api.action"
    if api and str((request.view_args or {}).get("logic_function", "")).startswith(OWN_CHECK_ACTIONS):
        return None
    if request.endpoint in OWN_CHECK_ENDPOINTS:
        return None
    for name, value in request.args.items(multi=True):
        found = problem(name, value, api)
        if found:
            return found
    if api:
        for name, value in _body_params().items():
            found = problem(str(name), value, api)
            if found:
                return found
    return None


def refuse_bad_core_params():
    if request.routing_exception is not None:
        return None
    found = _first_problem()
    if found is None:
        return None
    if request.endpoint == "api.action":
        return api_error(400, "Bad Request", found)
    return tk.abort(400, found)
