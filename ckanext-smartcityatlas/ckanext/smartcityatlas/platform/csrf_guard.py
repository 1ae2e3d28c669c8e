# SPDX-License-Identifier: AGPL-3.0-or-later
"""Keep CSRF protection on for browser sessions.

CKAN 2.12 exempts a view from CSRF checks when a request authenticates with
an API token (``csrf.exempt(view)`` in ``ckan_before_request``). The
exemption is global and permanent for the worker process: after one API-token
request to, say, ``/actor/new``, cookie-authenticated browsers can post that
form without a CSRF token. This guard removes the exemptions a request added
once the request is done, so API tokens keep working and browsers stay
protected. (Sync workers serve one request at a time; with threads a short
window remains, which is why production uses sync gunicorn workers.)
"""
from __future__ import annotations

from flask import g


def install(app) -> None:
    from ckan.config.middleware.flask_app import csrf

    baseline = frozenset(csrf._exempt_views)

    @app.after_request
    def _drop_request_exemptions(response):
        if g.get("login_via_auth_header"):
            added = set(csrf._exempt_views) - baseline
            csrf._exempt_views.difference_update(added)
        return response
