# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a parser failed on, for the job report, without the input.

Parsers quote the input they stumble over: rdflib's Turtle and N-Triples
errors show the offending text, lxml's name its elements, codecs and
openpyxl show bytes and values. A source's answer may be anything (an error
page, a file nobody meant to publish) and the job report is read by the
source's editors, so a message says what failed and where (line, column,
byte), never the input. Only fixed phrases of a parser (json's, expat's)
are kept as the reason.
"""
from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree
import xml.parsers.expat.errors
import xml.sax
import zipfile

# json's own phrases (the C scanner's; the Python fallback quotes characters)
_JSON_REASONS = frozenset({
    "Expecting value", "Expecting ',' delimiter", "Expecting ':' delimiter",
    "Expecting property name enclosed in double quotes", "Extra data", "Invalid control character at",
    "Unterminated string starting at", "Invalid \\escape", "Invalid \\uXXXX escape",
    "Illegal trailing comma before end of object", "Illegal trailing comma before end of array",
})
_EXPAT_REASONS = frozenset(xml.parsers.expat.errors.messages.values())
_CSV_REASONS = ("line contains NUL", "unexpected end of data", "field larger than field limit",
                "new-line character seen in unquoted field")
_ZIP_REASONS = ("File is not a zip file", "Truncated file header", "Bad magic number for file header",
                "Bad magic number for central directory", "Truncated central directory")
_RDFXML_POSITION = re.compile(r":(\d+):(\d+): ")


def describe(exc: BaseException) -> str:
    """``"<reason> at line L, column C"`` (as far as known) for a parser's
    exception; never a word of the input."""
    reason, line, column = _reason_and_position(exc)
    where = f" at line {line}" if line else ""
    if line and column:
        where += f", column {column}"
    return f"{reason}{where}"


def _reason_and_position(exc: BaseException) -> tuple[str, int | None, int | None]:
    if isinstance(exc, json.JSONDecodeError):
        reason = exc.msg if exc.msg in _JSON_REASONS else "invalid JSON"
        return reason, exc.lineno, exc.colno
    if isinstance(exc, UnicodeDecodeError):
        return f"not {exc.encoding} text (byte {exc.start + 1})", None, None
    if isinstance(exc, RecursionError):
        return "nested too deeply", None, None
    if isinstance(exc, xml.sax.SAXParseException):
        message = exc.getMessage()
        return (message if message in _EXPAT_REASONS else "not well-formed XML"), \
            exc.getLineNumber(), _from_one(exc.getColumnNumber())
    if isinstance(exc, xml.etree.ElementTree.ParseError):  # openpyxl reads parts with it
        line, column = exc.position if getattr(exc, "position", None) else (None, None)
        return xml.parsers.expat.errors.messages.get(getattr(exc, "code", None), "not well-formed XML"), \
            line, _from_one(column)
    lxml_position = _lxml_position(exc)
    if lxml_position is not None:
        return "not well-formed XML", *lxml_position
    if type(exc).__name__ == "BadSyntax":  # rdflib's Turtle/N3 parser
        return ("syntax error", *_notation3_position(exc))
    if type(exc).__name__ in ("ParserError", "ParseError") and type(exc).__module__.startswith("rdflib"):
        found = _RDFXML_POSITION.search(str(exc))  # RDF/XML errors start with "<system id>:line:column: "
        return "not valid RDF", *((int(found[1]), _from_one(int(found[2]))) if found else (None, None))
    if isinstance(exc, csv.Error):
        text = str(exc)
        return next((f"CSV error: {r}" for r in _CSV_REASONS if text.startswith(r)), "CSV error"), None, None
    if isinstance(exc, zipfile.BadZipFile):
        text = str(exc)
        return next((r for r in _ZIP_REASONS if text.startswith(r)), "damaged zip archive"), None, None
    return f"unreadable ({type(exc).__name__})", None, None


def _from_one(column) -> int | None:
    """expat counts columns from 0; the others (and people) from 1."""
    return column + 1 if isinstance(column, int) and column >= 0 else None


def _lxml_position(exc: BaseException) -> tuple[int | None, int | None] | None:
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is a dependency of the CSW harvester
        return None
    if not isinstance(exc, etree.XMLSyntaxError):
        return None
    line, column = exc.position if exc.position else (None, None)
    return line or None, column or None


def _notation3_position(exc) -> tuple[int | None, int | None]:
    """Line and column of rdflib's BadSyntax (it keeps the document and the
    index of the failure; its text shows the document around it)."""
    try:
        text = exc._str.decode("utf-8", errors="replace")
        index = int(exc._i)
    except (AttributeError, TypeError, ValueError):
        lines = getattr(exc, "lines", None)
        return (lines + 1 if isinstance(lines, int) else None), None
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1
