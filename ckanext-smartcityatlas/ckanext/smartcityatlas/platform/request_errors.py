# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a failed request leaves behind, and how it answers.

CKAN disposes of its SQLAlchemy session only in ``after_request``, which
Flask skips when the error page itself fails. After a database error the
session's transaction is aborted, CKAN's error page (whose header reads the
database) fails too, and every later request of that worker thread reused
the broken session and answered 500. So:

- a database error rolls the session back before the error page renders
  (an HTTP 500 page, logged like CKAN's own 500s);
- every request, however it ended (also when its error page failed too),
  removes the session at teardown, so the next one starts clean and never
  commits a failed request's changes;
- a search query the caller got wrong (``SearchQueryError``) that no view
  caught is the caller's error: HTTP 400 with the reason, not a 500.
"""
from __future__ import annotations

import logging

from ckan import model
from ckan.lib.search.common import SearchQueryError
from flask import current_app, request, request_started
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest, InternalServerError

log = logging.getLogger(__name__)


def database_error(error: SQLAlchemyError):
    log.error("database error in a request", exc_info=error)
    model.Session.rollback()
    return current_app.handle_http_exception(InternalServerError(original_exception=error))


def bad_search_query(error: SearchQueryError):
    return current_app.handle_http_exception(BadRequest(str(error)))


# set on requests Flask dispatches, not on the request contexts CKAN pushes
# inside long operations (url_for outside a request, in a harvest job): ending
# one of those must not throw away the operation's session
DISPATCHED = "smartcityatlas.dispatched"


def _mark_dispatched(_app, **_extra) -> None:
    request.environ[DISPATCHED] = True


def connect_dispatch_marker(state) -> None:
    request_started.connect(_mark_dispatched, state.app)


def remove_session(_error: BaseException | None) -> None:
    if request.environ.get(DISPATCHED):
        model.Session.remove()
