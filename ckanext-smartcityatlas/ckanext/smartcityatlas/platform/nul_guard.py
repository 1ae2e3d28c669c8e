# SPDX-License-Identifier: AGPL-3.0-or-later
"""NUL characters in a request's address, query string or form fields: HTTP 400.

PostgreSQL cannot store or compare text with NUL (psycopg2 raises before
sending the query), so an id or a filter with ``%00`` made pages of ours and
of CKAN answer 500. No text of the portal contains NUL, so the whole request
is refused in one place, naming the parameter. (JSON bodies of the Action
API: json_body.py.)
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import request

from ckanext.smartcityatlas.common.responses import api_error



def _first_with_nul() -> str | None:
    """"the address" or the name of the first parameter with a NUL (in its name or value)."""
    if "\x00" in request.path:
        return tk._("the address")
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "\\0")
    return None


def refuse_nul():
    where = _first_with_nul()
    if where is None:
        return None
    message = tk._('"{name}" contains a NUL character.').format(name=where)
    if request.endpoint == "api.action":
        return api_error(400, "Bad Request", message)
    return tk.abort(400, message)
