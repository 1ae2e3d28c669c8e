# SPDX-License-Identifier: AGPL-3.0-or-later
"""Wrapping the WSGI callable of CKAN's Flask app (IMiddleware hooks)."""
from __future__ import annotations

from typing import Any, Callable


def wrap(app, make: Callable[[Callable], Callable]) -> Any:
    """``make(inner)`` around the app's WSGI callable (a Flask app's
    ``wsgi_app``, so Flask's own handling stays inside); returns what a
    middleware hook returns."""
    inner = app.wsgi_app if hasattr(app, "wsgi_app") else app
    wrapped = make(inner)
    if hasattr(app, "wsgi_app"):
        app.wsgi_app = wrapped
        return app
    return wrapped
