# SPDX-License-Identifier: AGPL-3.0-or-later
"""E-mail addresses of harvested records, repaired where they have one meaning.

What German catalogues write instead of ``mailto:info@amt.example``:

* the address as an IRI without ``mailto:`` (``vcard:hasEmail
  rdf:resource="info@amt.example"``), which an RDF parser resolves against
  the document's address: ``https://portal.example/catalog/info@amt.example``;
* obfuscated against spam: ``info(at)amt.example``, ``info [at] amt [dot]
  example``, ``info@amt(dot)example``;
* ``mailto:`` in other cases, with ``%40``, with a ``?subject=…``, in angle
  brackets or with a trailing full stop.

Each has one meaning; anything that is still no address afterwards is left
out of the record (the policy reports it).
"""
from __future__ import annotations

import re
from urllib.parse import unquote

from ckanext.smartcityatlas.platform.fields import EMAIL_RE

_AT = re.compile(r"\s*(?:\(at\)|\[at\]|\{at\}|<at>|\(ät\)|\s+at\s+|\(@\)|\[@\])\s*", re.I)
_DOT = re.compile(r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\(punkt\)|\[punkt\]|\s+dot\s+)\s*", re.I)
_MAILTO = re.compile(r"^mailto:", re.I)


def repair(value) -> str | None:
    """A valid e-mail address from what a record holds, or None."""
    if value is None:
        return None
    text = str(value).strip().rstrip(".,;:").strip("<>").strip()
    if not text:
        return None
    if re.match(r"^https?://", text, re.I) and "@" in unquote(text):
        # resolved against the page's address: the address is the last segment
        text = unquote(text).split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    text = _MAILTO.sub("", text)
    text = unquote(text.split("?", 1)[0]).strip()
    if "@" not in text:
        text = _AT.sub("@", text, count=1)
    if "@" in text:
        local, _, domain = text.partition("@")
        text = f"{local.strip()}@{_DOT.sub('.', domain).strip()}"
    text = text.rstrip(".,;:")
    return text if EMAIL_RE.match(text) else None
