# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal under every address that is an alias of ``ckan.site_url``.

CKAN builds each redirect from ``ckan.site_url`` (``h.redirect_to`` puts it
in front of every path). Opened as ``http://127.0.0.1:5000`` while the site
URL says ``http://localhost:5000``, the login answered with a redirect to
localhost, where the browser has no session cookie: the login looped. This
WSGI wrapper rewrites a redirect's ``Location`` that points at the site URL
to the origin the request came in on, when that origin is an alias:

- for a site URL on a loopback name (localhost, 127.0.0.1, [::1]) the other
  loopback names with the same scheme and port;
- the origins listed in ``ckanext.smartcityatlas.site_url_aliases``.

Only these are trusted: a request with a forged ``Host`` header gets CKAN's
answer unchanged, so no redirect can be steered to a host nobody listed.
(The pages' own script roots are root-relative, ``templates/base.html``.)
"""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import wsgi

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower case, the default port left
    out; None for anything that is not an http(s) URL with a host."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return _join(scheme, host, str(port) if port is not None else DEFAULT_PORTS[scheme])


def _join(scheme: str, host: str, port: str) -> str:
    return f"{scheme}://{host}" if DEFAULT_PORTS[scheme] == port else f"{scheme}://{host}:{port}"


@functools.lru_cache(maxsize=8)
def _aliases(site_url: str, configured: tuple[str, ...]) -> frozenset[str]:
    site = origin(site_url)
    if site is None:
        return frozenset()
    found = {site}
    parts = urlsplit(site)
    host = parts.hostname if ":" not in (parts.hostname or "") else f"[{parts.hostname}]"
    if host in LOOPBACK:
        port = str(parts.port) if parts.port is not None else DEFAULT_PORTS[parts.scheme]
        found |= {_join(parts.scheme, name, port) for name in LOOPBACK}
    found |= {o for o in (origin(entry) for entry in configured) if o}
    return frozenset(found)


def aliases() -> frozenset[str]:
    """The site URL's origin and its aliases."""
    configured = tk.config.get("ckanext.smartcityatlas.site_url_aliases") or []
    if isinstance(configured, str):
        configured = configured.split()
    return _aliases(tk.config.get("ckan.site_url") or "", tuple(configured))


def request_origin(environ: dict) -> str | None:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    return origin(f"{scheme}://{host}")


def rewrite(location: str, here: str, known: frozenset[str]) -> str:
    """``location`` on the origin ``here`` if it points at one of ``known``."""
    for other in known:
        if location == other or location.startswith((other + "/", other + "?", other + "#")):
            return here + location[len(other):]
    return location


def install(app):
    def make(inner):
        def wrapped(environ, start_response):
            known = aliases()
            here = request_origin(environ)
            if here is None or here not in known or here == origin(tk.config.get("ckan.site_url") or ""):
                return inner(environ, start_response)

            def start(status, headers, exc_info=None):
                if status.startswith("3"):
                    headers = [(k, rewrite(v, here, known) if k.lower() == "location" else v) for k, v in headers]
                return start_response(status, headers, exc_info)

            return inner(environ, start)

        return wrapped

    return wsgi.wrap(app, make)
