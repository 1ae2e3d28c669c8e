# SPDX-License-Identifier: AGPL-3.0-or-later
"""Web addresses: one rule for what the portal accepts as a web address
(the URL validators, the RDF exports) and one for what it renders as a link.

``problem(value)`` checks an http(s) IRI (RFC 3987): no whitespace, no
control or formatting characters, none of ``"<>{}|\\^`` and the backtick,
``%`` only as ``%XX``, a host. Values that fail it cannot be written into
Turtle as an IRI (``<…>`` would break the file); ``is_iri`` is the same
check for IRIs of any scheme (``mailto:`` in RDF).

``safe_href(value)`` decides whether a stored value may become a link's
``href``: http(s) addresses with a host, site-relative paths and, where a
mail address is meant, ``mailto:``. Everything else (``javascript:``,
``data:``, ``vbscript:``, protocol-relative ``//host``, values with control
characters the browser would drop) is shown as text.
``assets/js/safe-link.js`` is the same rule for the browser.
"""
from __future__ import annotations

import re
import unicodedata
import urllib.parse

# C0 controls and space: browsers drop them at both ends of an href
_EDGE = "".join(chr(c) for c in range(0x21))
# what the browser's URL parser drops or rejects inside an href
_INSIDE_HREF = re.compile(r"[\x00-\x20\x7f]")
_HTTP_HREF = re.compile(r"^https?://[^/\\]", re.I)
_MAILTO_HREF = re.compile(r"^mailto:[^/\\]", re.I)
_SITE_PATH = re.compile(r"^/(?![/\\])")

# RFC 3987: characters an IRI never holds literally (besides whitespace and
# controls, which are found by their Unicode category)
_FORBIDDEN_ASCII = set('"<>{}|\\^`')
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"}
_BAD_ASCII = re.compile(r'[\x00-\x20\x7f"<>{}|\\^`]')
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IRI = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):(?P<rest>.*)$", re.S)
_AUTHORITY = re.compile(r"^//(?P<authority>[^/?#]*)(?P<path>[/?#].*)?$", re.S)
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[^\]]+\]|[^:\[\]]+)(?::(?P<port>[0-9]*))?$")
# reg-name: unreserved, sub-delims, %XX and any character beyond ASCII
_REG_NAME_ASCII = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=%]*$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

# problem codes of ``problem`` (the validators turn them into messages)
NOT_TEXT = "not_text"
SCHEME = "scheme"
CHARACTERS = "characters"
PERCENT = "percent"
HOST = "host"


def _bad_character(char: str) -> bool:
    if char in _FORBIDDEN_ASCII:
        return True
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # noncharacters
        return True
    return unicodedata.category(char) in _FORBIDDEN_CATEGORIES


def bad_characters(value: str) -> list[str]:
    """The characters of value an IRI may not hold, each once, in order."""
    if not _BAD_ASCII.search(value) and not _NON_ASCII.search(value):
        return []  # the usual case, without a look at every character
    seen: list[str] = []
    for char in value:
        if _bad_character(char) and char not in seen:
            seen.append(char)
    return seen


def problem(value, web: bool = True) -> str | None:
    """None if value is an http(s) IRI with a host, else a problem code.
    web=False: any absolute IRI (mailto:, urn: …), as RDF may hold."""
    if not isinstance(value, str):
        return NOT_TEXT
    match = _IRI.match(value)
    if not match or (web and match["scheme"].lower() not in ("http", "https")):
        return SCHEME
    if bad_characters(value):
        return CHARACTERS
    if _BAD_PERCENT.search(value):
        return PERCENT
    if not web:
        return None
    authority = _AUTHORITY.match(match["rest"])
    if not authority:
        return HOST
    userinfo, _at, host_port = authority["authority"].rpartition("@")
    if "@" in userinfo:
        return HOST
    host = _HOST_PORT.match(host_port)
    if not host or not host["host"] or (not host["host"].startswith("[")
                                         and not _REG_NAME_ASCII.match(_ascii_part(host["host"]))):
        return HOST
    return None


def _ascii_part(text: str) -> str:
    return "".join(c for c in text if ord(c) < 0x80)


def is_web_iri(value) -> bool:
    return problem(value) is None


def is_iri(value) -> bool:
    """An absolute IRI of any scheme: what Turtle, N-Triples and RDF/XML can carry."""
    return problem(value, web=False) is None


def repaired(value) -> str | None:
    """value as an http(s) IRI where percent-encoding the characters an IRI
    may not hold makes it one (a harvested address with a space or a quote),
    else None. Surrounding whitespace goes."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if problem(text) is None:
        return text
    text = encoded(text)
    return text if problem(text) is None else None


def encoded(value: str) -> str:
    """value with the characters an IRI may not hold percent-encoded (as
    UTF-8) and a ``%`` that starts no ``%XX`` written as ``%25``."""
    if not bad_characters(value) and not _BAD_PERCENT.search(value):
        return value
    value = _BAD_PERCENT.sub("%25", value)
    return "".join(urllib.parse.quote(c, safe="") if _bad_character(c) else c for c in value)


def safe_href(value, mailto: bool = False) -> str | None:
    """The value as a link target, or None where it must be shown as text."""
    if not isinstance(value, str):
        return None
    text = value.strip(_EDGE)
    if not text or _INSIDE_HREF.search(text):
        return None
    if _HTTP_HREF.match(text) or _SITE_PATH.match(text) or (mailto and _MAILTO_HREF.match(text)):
        return text
    return None


def printable(value) -> str:
    """value on one line for plain text (e-mails, logs): characters that are
    not printable (newlines, controls, bidi overrides) as \\uXXXX escapes."""
    text = "" if value is None else str(value)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _shown(char: str) -> str:
    from ckan.common import _

    if char == " ":
        return _("space")
    if char.isprintable():
        return char
    return f"U+{ord(char):04X}"


def message(code: str, value) -> str:
    """What a validator says about a problem code of ``problem``."""
    from ckan.common import _

    if code == CHARACTERS:
        return _("The web address contains characters that web addresses may not hold: {chars}. "
                 "Encode them (a space as %20) or remove them.").format(
            chars=", ".join(_shown(c) for c in bad_characters(value)))
    if code == PERCENT:
        return _("The web address contains a % that is not followed by two hexadecimal digits "
                 "(write a percent sign as %25).")
    if code == HOST:
        return _("The web address has no valid host name (e.g. https://www.example.org/).")
    return _("Please enter a web address starting with http:// or https://.")
