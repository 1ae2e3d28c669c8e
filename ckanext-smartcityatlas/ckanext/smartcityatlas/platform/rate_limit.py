# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rate limits for anonymous callers of the expensive public endpoints.

Matching, the full map data, the network and the exports cost far more than a page view, and the
portal is public. Anonymous callers get a number of requests per minute and
client address (a fixed window in Redis, so all web workers share it);
beyond it they get HTTP 429 with ``Retry-After``. Logged-in users and API
token holders are not limited here (they are accountable). Behind a reverse
proxy, list it in ``…rate_limit.trusted_proxies`` so the client address is
read from ``X-Forwarded-For``.
"""
from __future__ import annotations

import time

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from ckan.lib.redis import connect_to_redis
from flask import Response, request

from ckanext.smartcityatlas.common.responses import api_error


# The limiter keys on what the router resolved, not on the path: CKAN's router
# takes /api/action/…, /api/3/…, /api/03/…, percent-encoded names and locale
# prefixes alike, and every spelling must count in the same window.
# action run by CKAN's Action API (endpoint api.action) → limited group
ACTIONS = {
    "sca_match": "match",
    "sca_geojson": "geojson",
    "sca_sensor_layer": "geojson",
    "sca_network": "network",
    "sca_datarequest_create": "datarequest",
}
# our views (Flask endpoints) → limited group
VIEWS = {
    "sca_atlas.partner": "match",
    "sca_geojson.atlas_geojson": "geojson",
    "sca_sensor_layer.sensor_layer_geojson": "geojson",
    "sca_network.index": "network",
    "sca_export.csv_export": "export",
    "sca_export.geojson_export": "export",
    "sca_datarequests.new": "datarequest",
}
# groups counted per hour and only for these methods (submissions, not page views)
PER_HOUR = {"datarequest": ("POST",)}


def _group() -> str | None:
    """The limited group of the view Flask will run for this request (None:
    not limited, or a request the router refused, which runs nothing)."""
    if request.routing_exception is not None or request.method == "OPTIONS":
        return None
    if request.endpoint == "api.action":
        return ACTIONS.get((request.view_args or {}).get("logic_function"))
    return VIEWS.get(request.endpoint)


def client_address() -> str:
    remote = request.remote_addr or "unknown"
    trusted = tk.aslist(tk.config.get("ckanext.smartcityatlas.rate_limit.trusted_proxies"))
    if remote in trusted:
        # the rightmost address a trusted proxy did not add is the client's
        hops = [h.strip() for h in (request.headers.get("X-Forwarded-For") or "").split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop
    return remote


def limit_for(group: str) -> int:
    unit = "hour" if group in PER_HOUR else "minute"
    return tk.config.get(f"ckanext.smartcityatlas.rate_limit.{group}_per_{unit}")


def enforce():
    group = _group()
    if group is None or (current_user and current_user.is_authenticated):
        return None
    if group in PER_HOUR and request.method not in PER_HOUR[group]:
        return None
    limit = limit_for(group)
    if limit <= 0:
        return None
    now = time.time()
    seconds = 3600 if group in PER_HOUR else 60
    window = int(now // seconds)
    key = f"sca:ratelimit:{group}:{client_address()}:{window}"
    redis = connect_to_redis()
    pipe = redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, seconds + 1)
    count, _ = pipe.execute()
    if count <= limit:
        return None
    retry_after = max(1, int((window + 1) * seconds - now) + 1)
    message = tk._("Too many requests. Please wait {seconds} seconds or log in.").format(seconds=retry_after)
    headers = {"Retry-After": str(retry_after)}
    if _wants_page():
        # a person who sent a form gets a page that says what happened and
        # what to do; the form's text is in their browser's back history
        minutes = max(1, -(-retry_after // 60))
        page = tk.render("smartcityatlas/too_many_requests.html", {"minutes": minutes})
        return Response(page, status=429, mimetype="text/html", headers=headers)
    return api_error(429, "Too Many Requests", message, headers)


def _wants_page() -> bool:
    """Pages and forms (not the Action API, the data files or the map data
    the atlas' scripts read) answer a refused request with HTML."""
    if request.endpoint == "api.action" or request.path.endswith((".csv", ".geojson", ".json")):
        return False
    return "text/html" in (request.headers.get("Accept") or "") or request.method == "POST"
