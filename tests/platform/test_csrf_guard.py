# SPDX-License-Identifier: AGPL-3.0-or-later
"""platform/csrf_guard.py: an API-token request's CSRF exemption belongs to
that request alone, even while other threads serve browsers."""
import threading

from ckan.config.middleware.flask_app import csrf
from flask import g

VIEW = "ckan.views.dataset.CreateView"


def test_an_exemption_made_during_an_api_token_request_is_invisible_to_a_concurrent_request(app):
    flask_app = app.flask_app
    exempted, checked, seen = threading.Event(), threading.Event(), {}

    def api_token_request():
        with flask_app.test_request_context("/actor/new", method="POST"):
            g.login_via_auth_header = True
            csrf.exempt(VIEW)  # what CKAN does in ckan_before_request
            seen["own request"] = VIEW in csrf._exempt_views
            exempted.set()
            checked.wait(10)  # still running while the browser's request is checked

    def browser_request():
        exempted.wait(10)
        with flask_app.test_request_context("/actor/new", method="POST"):
            seen["concurrent request"] = VIEW in csrf._exempt_views
        checked.set()

    threads = [threading.Thread(target=api_token_request), threading.Thread(target=browser_request)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen == {"own request": True, "concurrent request": False}
    with flask_app.test_request_context("/actor/new", method="POST"):
        assert VIEW not in csrf._exempt_views  # and nothing is left behind


def test_exemptions_declared_outside_requests_stay_process_wide(app):
    name = "tests.platform.test_csrf_guard.declared_view"
    csrf.exempt(name)  # as the @csrf.exempt decorator does at import time
    try:
        with app.flask_app.test_request_context("/", method="POST"):
            assert name in csrf._exempt_views
    finally:
        csrf._exempt_views.discard(name)
