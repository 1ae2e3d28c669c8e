# SPDX-License-Identifier: AGPL-3.0-or-later
"""Solr unreachable: HTTP 503 with Retry-After and a clear message, never a
traceback page or a 500.

CKAN answers an Action API search that cannot reach Solr with a 500
("Search Connection Error"); a page or one of our views that searches gets
CKAN's 500 page; a Solr node that answers 503 (a core being reloaded, a
collection without a live replica) becomes a 409 "Search Error" in the API.
All of these are a temporary outage of the search server, not the caller's
error nor a bug: 503 tells clients, proxies and monitors to try again.
pysolr opens a connection per request, so everything works again as soon
as Solr is back, without restarting CKAN.
"""
from __future__ import annotations

import json
import logging

import pysolr
from ckan.lib.search.common import SearchError, SearchIndexError, SolrConnectionError
from flask import Response, current_app, request
from werkzeug.exceptions import InternalServerError

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

RETRY_AFTER = "30"
# pysolr's wording when Solr cannot be reached or answers as unavailable
_UNREACHABLE = ("Failed to connect to server", "Connection to server", "Solr returned an error while searching",
                "(HTTP 502)", "(HTTP 503)", "(HTTP 504)", "Max retries exceeded", "timed out")


def is_unreachable(error: BaseException) -> bool:
    if isinstance(error, SolrConnectionError):
        return True
    return isinstance(error, (pysolr.SolrError, SearchError, SearchIndexError)) and any(
        marker in str(error) for marker in _UNREACHABLE)


def _message() -> str:
    return tk._("The search server is not reachable at the moment. Please try again in a minute.")


def _wants_json() -> bool:
    path = request.path
    return (request.endpoint == "api.action" or path.startswith(("/api/", "/catalog"))
            or path.endswith((".json", ".geojson", ".jsonld", ".ttl", ".rdf", ".xml", ".csv", ".n3")))


def answer() -> Response:
    headers = {"Retry-After": RETRY_AFTER}
    if _wants_json():
        body = {"success": False, "error": {"__type": "Search Connection Error", "message": _message()}}
        return Response(json.dumps(body, ensure_ascii=False), status=503, mimetype="application/json",
                        headers=headers)
    try:
        page = tk.render("smartcityatlas/search_unavailable.html", {})
    except Exception:  # noqa: BLE001 - the page itself must not fail the answer
        log.exception("the search-unavailable page could not be rendered")
        page = _message()
    return Response(page, status=503, mimetype="text/html", headers=headers)


def unreachable_error(error: Exception):
    """Flask error handler: for the search errors no view caught (other
    search errors stay CKAN's 500 page, logged)."""
    if not is_unreachable(error):
        log.error("search error in a request", exc_info=error)
        return current_app.handle_http_exception(InternalServerError(original_exception=error))
    log.warning("search server unreachable: %s %s: %s", request.method, request.path, error)
    return answer()


def api_answer(response: Response) -> Response:
    """after_request: the Action API's own answers to an unreachable Solr
    (500 "Search Connection Error", 409 "Search Error" naming an HTTP 503)."""
    if request.endpoint != "api.action" or response.status_code not in (409, 500) or response.direct_passthrough:
        return response
    try:
        error = json.loads(response.get_data(as_text=True)).get("error") or {}
    except ValueError:
        return response
    kind, message = error.get("__type"), str(error.get("message", ""))
    if kind == "Search Connection Error" or (
            kind in ("Search Error", "Search Index Error") and any(m in message for m in _UNREACHABLE)):
        log.warning("search server unreachable: %s %s", request.method, request.path)
        return answer()
    return response


def install(app) -> None:
    """CKAN's dataset, organisation and group lists catch the connection
    error themselves and abort with a 500; CKAN registers its 500 page after
    the plugins' blueprints, so this wraps it (an app hook runs later)."""
    ckan_page = app.error_handler_spec.get(None, {}).get(500, {}).get(InternalServerError)

    def server_error(error):
        original = getattr(error, "original_exception", None)
        if getattr(error, "description", None) == "Solr returned an error while searching." or (
                original is not None and is_unreachable(original)):
            log.warning("search server unreachable: %s %s", request.method, request.path)
            return answer()
        return ckan_page(error) if ckan_page is not None else error

    app.register_error_handler(500, server_error)
