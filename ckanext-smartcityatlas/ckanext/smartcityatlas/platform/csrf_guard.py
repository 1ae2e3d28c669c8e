# SPDX-License-Identifier: AGPL-3.0-or-later
"""Keep CSRF protection on for browser sessions, with any number of threads.

CKAN 2.12 exempts a view from CSRF checks when a request authenticates with
an API token (``csrf.exempt(view)`` in ``ckan_before_request``). Flask-WTF
keeps exemptions in one set for the whole process: after one API-token
request to, say, ``/actor/new``, cookie-authenticated browsers could post
that form without a CSRF token, and with threaded web workers a concurrent
browser request could slip through even if the exemption were removed after
the request. This guard replaces that set with one whose additions made
while an API-token request runs belong to that request alone (kept on
``flask.g``); exemptions declared at import time (``@csrf.exempt``) stay
process-wide as before.
"""
from __future__ import annotations

from flask import g, has_request_context

_REQUEST_KEY = "sca_csrf_exempt_views"


class RequestScopedExemptions(set):
    """Flask-WTF's ``_exempt_views``: ``add`` during an API-token request
    exempts the view for that request only."""

    def add(self, view: str) -> None:  # type: ignore[override]
        if has_request_context() and g.get("login_via_auth_header"):
            exempt = g.get(_REQUEST_KEY)
            if exempt is None:
                exempt = set()
                setattr(g, _REQUEST_KEY, exempt)
            exempt.add(view)
            return
        super().add(view)

    def __contains__(self, view: object) -> bool:
        if super().__contains__(view):
            return True
        return has_request_context() and view in (g.get(_REQUEST_KEY) or ())


def install(app) -> None:
    from ckan.config.middleware.flask_app import csrf

    if not isinstance(csrf._exempt_views, RequestScopedExemptions):
        csrf._exempt_views = RequestScopedExemptions(csrf._exempt_views)
