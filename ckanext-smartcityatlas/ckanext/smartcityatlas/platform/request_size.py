# SPDX-License-Identifier: AGPL-3.0-or-later
"""The largest request body a caller may send.

Reading and parsing a body costs the web process time and memory before any
check of ours runs (8 MB of JSON: seconds). Anonymous callers get
``…request.max_body_kb_anonymous`` (default 1 MB: every form and API call of
theirs is far smaller); logged-in users and API tokens
``…max_body_kb_authenticated`` (default 0, no limit here: they are accountable
and their uploads have limits of their own). A larger body is refused with
HTTP 413 before it is read (when ``Content-Length`` says so) or once the cap
is passed (a body sent without it, chunked).
"""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import request

from ckanext.smartcityatlas.common.responses import api_error



def _logged_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def limit_kb() -> int:
    who = "authenticated" if _logged_in() else "anonymous"
    return tk.config.get(f"ckanext.smartcityatlas.request.max_body_kb_{who}")


def _unsized_body_fits(max_bytes: int) -> bool:
    """Read a body sent without Content-Length (chunked; werkzeug reads it only
    when the server says it ends it) up to the cap and keep it for the view.
    False if it is larger. werkzeug's own cap would cut it off silently."""
    environ = request.environ
    if request.content_length is not None or not environ.get("wsgi.input_terminated"):
        return True
    chunks, size = [], 0
    while size <= max_bytes:
        chunk = environ["wsgi.input"].read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
    return size <= max_bytes


def cap_body():
    limit = limit_kb()
    if limit <= 0:
        return None
    max_bytes = limit * 1024
    # werkzeug reads no further (its LimitedStream), whatever the view does;
    # werkzeug 3.0 (CKAN 2.11) has no per-request limit: the checks below
    # refuse a larger body all the same (a sized one unread, a chunked one at the cap)
    try:
        request.max_content_length = max_bytes
    except AttributeError:
        pass
    if (request.content_length or 0) <= max_bytes and _unsized_body_fits(max_bytes):
        return None
    if _logged_in():
        message = tk._("The request is larger than {limit} KB.").format(limit=limit)
    else:
        message = tk._("The request is larger than {limit} KB, the most accepted without logging in.").format(
            limit=limit)
    if request.endpoint == "api.action":
        return api_error(413, "Request Entity Too Large", message)
    return tk.abort(413, message)
