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

import json
import time

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from ckan.lib.redis import connect_to_redis
from flask import Blueprint, Response, request

blueprint = Blueprint("sca_rate_limit", __name__)

# limited endpoint group → how to recognise its requests
GROUPS = {
    "match": ("/api/action/sca_match", "/api/3/action/sca_match", "/atlas/partner"),
    "geojson": ("/atlas/geojson", "/api/action/sca_geojson", "/api/3/action/sca_geojson",
                "/atlas/sensoren.geojson", "/api/action/sca_sensor_layer", "/api/3/action/sca_sensor_layer"),
    "network": ("/atlas/netzwerk", "/api/action/sca_network", "/api/3/action/sca_network"),
    "export": ("/atlas/export.csv", "/atlas/export.geojson"),
    "datarequest": ("/datenwuensche/neu", "/api/action/sca_datarequest_create",
                    "/api/3/action/sca_datarequest_create"),
}
# groups counted per hour and only for these methods (submissions, not page views)
PER_HOUR = {"datarequest": ("POST",)}


def _group(path: str) -> str | None:
    # /en/atlas/geojson and friends: the locale prefix does not matter
    for group, paths in GROUPS.items():
        if any(path == p or path.endswith(p) and path[: -len(p)].count("/") == 1 for p in paths):
            return group
    return None


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


@blueprint.before_app_request
def enforce():
    group = _group(request.path)
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
    if _wants_page(request.path):
        # a person who sent a form gets a page that says what happened and
        # what to do; the form's text is in their browser's back history
        minutes = max(1, -(-retry_after // 60))
        page = tk.render("smartcityatlas/too_many_requests.html", {"minutes": minutes})
        return Response(page, status=429, mimetype="text/html", headers=headers)
    body = {"success": False, "error": {"__type": "Too Many Requests", "message": message}}
    return Response(json.dumps(body, ensure_ascii=False), status=429, mimetype="application/json",
                    headers=headers)


def _wants_page(path: str) -> bool:
    """Pages and forms (not the Action API, the data files or the map data
    the atlas' scripts read) answer a refused request with HTML."""
    if "/api/" in path or path.endswith((".csv", ".geojson", ".json")):
        return False
    return "text/html" in (request.headers.get("Accept") or "") or request.method == "POST"
