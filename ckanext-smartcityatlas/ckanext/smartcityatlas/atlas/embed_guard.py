# SPDX-License-Identifier: AGPL-3.0-or-later
"""No cookies from the embedded atlas.

``/atlas/embed`` runs inside other websites' pages. It must not set or
refresh a session cookie there (privacy, and no session to ride on), so this
WSGI wrapper drops ``Set-Cookie`` from its responses — after Flask has saved
the session, which a view or after-request hook cannot prevent.
"""
from __future__ import annotations

import re

from ckanext.smartcityatlas.common import wsgi

EMBED_PATH = re.compile(r"^(/[a-z]{2}(_[A-Z]{2})?)?/atlas/embed/?$")


def install(app, path: re.Pattern = EMBED_PATH):
    """Drop Set-Cookie from the responses of the pages ``path`` matches (the
    environment dashboard's embed uses it too)."""
    def make(inner):
        def wrapped(environ, start_response):
            if not path.match(environ.get("PATH_INFO", "")):
                return inner(environ, start_response)

            def start(status, headers, exc_info=None):
                return start_response(status, [(k, v) for k, v in headers if k.lower() != "set-cookie"], exc_info)

            return inner(environ, start)

        return wrapped

    return wsgi.wrap(app, make)
