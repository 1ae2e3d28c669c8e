# SPDX-License-Identifier: AGPL-3.0-or-later
"""JSON bodies of the Action API: nested too deeply or with NUL, HTTP 400.

CKAN parses a body with ``json.loads``, which recurses: about 1,000 nested
brackets (2 KB, anonymous) raised RecursionError, a 500 for any action.
Bodies that parse but nest deeper than any action's input does cost every
recursive step after them (validation, dictization) and are refused too.
NUL characters anywhere in the body's texts or keys reach PostgreSQL, which
refuses them (psycopg2 raises, a 500: ``package_show`` with ``"id": "a\\u0000"``);
nul_guard.py does the same for the query string and form fields. (Our
``sca_*`` actions' schemas refuse NUL themselves, naming the field.)

The body is parsed here once; Flask keeps the result for CKAN's view.
"""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from flask import request

from ckanext.smartcityatlas.common.responses import api_error

# The deepest input of any action: a dataset's resources' or partners' lists
# of objects is 3-4 levels; GeoJSON geometries in a body up to 6.
MAX_DEPTH = 32


class TooDeep(Exception):
    pass


def parsed_body():
    """The Action API body as CKAN will read it (JSON, or a JSON text sent as
    the only form key), or None; TooDeep if json cannot even parse it."""
    if request.method not in ("POST", "PUT"):
        return None
    try:
        if request.form:
            values = list(request.form.values())
            if len(values) == 1 and values[0] in ("1", ""):
                try:
                    return json.loads(next(iter(request.form.keys())))
                except ValueError:
                    return None  # CKAN answers it
            return None  # form fields: nul_guard.py
        return request.get_json(silent=True)  # cached for CKAN's view
    except RecursionError:
        raise TooDeep from None


def _problem(data, nul: bool = True) -> str | None:
    """Walk ``data`` without recursion: too deep, or (``nul``) the first key
    holding a NUL."""
    stack = [(data, 1, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            return tk._("The request body is nested more than {depth} levels deep.").format(depth=MAX_DEPTH)
        if isinstance(node, dict):
            for key, value in node.items():
                name = f"{where}.{key}" if where else str(key)
                if nul and "\x00" in str(key):
                    return _nul(name)
                stack.append((value, depth + 1, name))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, where) for value in node)
        elif nul and isinstance(node, str) and "\x00" in node:
            return _nul(where or tk._("the request body"))
    return None


def _nul(name: str) -> str:
    return tk._('"{name}" contains a NUL character.').format(name=name.replace("\x00", "\\0"))


def refuse_bad_json_body():
    if request.endpoint != "api.action":
        return None
    # our sca_* actions name a NUL in their schemas' words (input_schema.py)
    ours = str((request.view_args or {}).get("logic_function", "")).startswith("sca_")
    try:
        found = _problem(parsed_body(), nul=not ours)
    except TooDeep:
        found = tk._("The request body is nested more than {depth} levels deep.").format(depth=MAX_DEPTH)
    if found is None:
        return None
    return api_error(400, "Bad Request", found)
