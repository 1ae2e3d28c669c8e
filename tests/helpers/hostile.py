# SPDX-License-Identifier: AGPL-3.0-or-later
"""The hostile inputs of the fuzz test (a fixed list: every run sends the
same calls), what an answer must never contain, and stored addresses that
must never become a live link."""
from __future__ import annotations

# 20,001 characters of 2, 3 and 4 bytes in UTF-8 (80 KB percent-encoded)
LONG_UNICODE = "ä€𝄞" * 6667

# as a query string or a form delivers them: strings (a list: the parameter repeated)
QUERY_VALUES = (
    "id\x00x", LONG_UNICODE,
    "-1", "99999999999999999999", "1e309", "NaN",
    "9999-12-31", "2024-02-30",
    "maybe",
    "{!func}x", "*:*", '"unbalanced', "(a [1 TO",
    ["a", "b"],
)
# what only a JSON body can deliver: values of the wrong type
JSON_VALUES = (["a", "b"], {"a": 1}, [{"a": 1}], -1, 10**30, 1.5, True, None)
# fewer for the roles that reach the same code (each kind once)
QUERY_VALUES_SHORT = ("id\x00x", LONG_UNICODE, "-1", "99999999999999999999", "9999-12-31", "maybe", "{!func}x",
                      ["a", "b"])
JSON_VALUES_SHORT = (["a", "b"], {"a": 1}, 10**30, True, None)
# values for path segments (/dataset/<id>/links, ...)
PATH_VALUES = ("\x00", "x\x00y", LONG_UNICODE[:2000], "{!func}x", "*:*", "%00", "..", "-1")

# what an answer must never contain: a Python traceback, source paths, SQL
# or driver messages, a Java stack trace of Solr
LEAKS = ("Traceback (most recent call last)", 'File "/', "psycopg2", "sqlalchemy", "(Background on this error",
         "SELECT ", "java.lang.", "org.apache.solr")


def leak_in(body: str) -> str | None:
    for marker in LEAKS:
        if marker in body:
            return marker
    return None


def short(value, size: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= size else text[:size] + f"…({len(text)} chars)"


# stored addresses that are no web addresses: shown as text, never as a link
HOSTILE_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    "\tjavascript:alert(3)",
    "java\nscript:alert(4)",
    "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(6)",
    "//evil.example/7",
    "/\\evil.example/8",
]
