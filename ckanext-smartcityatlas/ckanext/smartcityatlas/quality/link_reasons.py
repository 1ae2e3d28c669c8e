# SPDX-License-Identifier: AGPL-3.0-or-later
"""A link check's outcome in plain language for data contacts: "Server not
reachable" rather than "cannot connect: [Errno 111] Connection refused".
The technical reason stays stored (``sca_link_status_show``) and is shown
beside it for whoever fixes the server."""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry

register = Registry()

URL_PREFIX = re.compile(r"^[a-z][a-z0-9+.-]*://\S*?: ", re.I)
# (pattern of the stored reason, message); the first that matches wins
_PATTERNS = (
    (re.compile(r"non-public address", re.I), "internal"),
    (re.compile(r"only http and https|no host name", re.I), "not_web"),
    (re.compile(r"redirects", re.I), "redirects"),
    (re.compile(r"timed out|no answer within|no complete answer|took longer|no data for", re.I), "timeout"),
    (re.compile(r"Name or service not known|nodename nor servname|getaddrinfo|Errno -[235]\]|"
                r"Temporary failure in name resolution|NameResolution", re.I), "dns"),
    (re.compile(r"^TLS:|: TLS:|certificate|SSL", re.I), "tls"),
    (re.compile(r"Errno 111|Connection refused|cannot connect|Connection reset|Errno 104|"
                r"Network is unreachable|No route to host", re.I), "connect"),
)


def _messages() -> dict[str, str]:
    return {
        "internal": tk._("Address in an internal network: not checked"),
        "not_web": tk._("Not a web address (only http and https are checked)"),
        "redirects": tk._("Too many redirects"),
        "timeout": tk._("The server did not answer in time"),
        "dns": tk._("Server name unknown (it does not exist or is misspelt)"),
        "tls": tk._("The server's certificate is not valid"),
        "connect": tk._("Server not reachable"),
    }


def _http_message(status: int) -> str:
    known = {401: tk._("Login needed (HTTP 401)"), 403: tk._("Access denied (HTTP 403)"),
             404: tk._("File not found (HTTP 404)"), 410: tk._("File removed (HTTP 410)"),
             429: tk._("The server refuses so many requests (HTTP 429)")}
    if status in known:
        return known[status]
    if status >= 500:
        return tk._("Error on the server (HTTP {status})").format(status=status)
    return tk._("The server answered with an error (HTTP {status})").format(status=status)


@register.helper
def sca_link_reason(status: str | None, http_status: int | None, reason: str | None) -> str:
    """The plain-language reason of a link check result ("" when it worked)."""
    if status in (None, "ok", "not_checked"):
        return ""
    if http_status and status == "broken":
        return _http_message(int(http_status))
    # the stored reason starts with the address, which must not match a pattern
    text = URL_PREFIX.sub("", reason or "", count=1)
    for pattern, key in _PATTERNS:
        if pattern.search(text):
            return _messages()[key]
    if http_status:
        return _http_message(int(http_status))
    return tk._("Not reachable")
