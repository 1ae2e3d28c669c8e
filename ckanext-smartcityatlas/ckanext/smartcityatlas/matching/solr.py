# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Solr requests of matching.

Matching needs Solr features ``package_search`` does not expose (term
statistics, per-document term frequencies, an unanalysed terms query), so
it talks to the core directly — always with the filters package_search
applies: this site, active records, the caller's permission labels.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from ckan.lib.search.common import make_connection
from ckan.lib.search.query import solr_literal
import ckan.plugins.toolkit as tk

# what the text analysis may hand us as a term (ASCII-folded, lower case)
TERM = re.compile(r"^[a-z0-9]{3,40}$")


def quoted(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


_connections: dict = {}


def connection():
    """One pysolr connection (and its HTTP keep-alive session) per process
    and Solr URL: matching makes several requests per call."""
    url = tk.config.get("solr_url")
    if url not in _connections:
        _connections[url] = make_connection(decode_dates=False)
    return _connections[url]


def base_filters(labels: list[str] | None) -> list[str]:
    fq = [f"+site_id:{solr_literal(tk.config.get('ckan.site_id'))}", "+state:active"]
    if labels is not None:
        fq.append("+permission_labels:(" + " OR ".join(solr_literal(x) for x in labels) + ")")
    return fq


def search(labels: list[str] | None, q: str = "*:*", fq: list[str] = (), **params) -> list[dict]:
    params.setdefault("wt", "json")
    result = connection().search(
        q, fq=[*base_filters(labels), *fq], **params)
    return list(result.docs)


def facet_counts(labels: list[str] | None, fq: list[str], queries: list[str]) -> tuple[int, dict[str, int]] | None:
    """Number of documents matching fq, and of those matching each query."""
    if not queries:
        return None
    result = connection().search(
        "*:*", fq=[*base_filters(labels), *fq], rows=0, wt="json", facet="true",
        **{"facet.query": queries})
    return result.hits, result.facets.get("facet_queries", {})


def analyse(text: str) -> list[tuple[str, str, int]]:
    """The index-time German analysis of ``text``: ``(term, surface word,
    start offset)``, decompounded parts included ("Wasserstoffbus" →
    wasserstoffbus, wasserstoff, bus, all at the word's offset)."""
    if not text.strip():
        return []
    # a form POST, as pysolr does for long searches: in a GET URL a few
    # thousand non-ASCII characters exceed Solr's URI limit (HTTP 414)
    body = connection()._send_request(
        "post", "analysis/field", body=urlencode({
            "analysis.fieldtype": "text", "analysis.fieldvalue": text[:20000], "wt": "json"}),
        headers={"Content-type": "application/x-www-form-urlencoded; charset=utf-8"})
    stages = json.loads(body)["analysis"]["field_types"]["text"]["index"]
    tokens = stages[-1] if stages and isinstance(stages[-1], list) else []
    pairs = []
    for token in tokens:
        term = token.get("text", "")
        if TERM.match(term):
            start = token.get("start", 0)
            pairs.append((term, text[start:token.get("end", 0)], start))
    return pairs
