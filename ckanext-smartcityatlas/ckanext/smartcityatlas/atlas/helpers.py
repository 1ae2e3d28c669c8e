# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers of the atlas pages."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.language import ui_language

register = Registry()


@register.helper
def sca_query_with(**changes) -> str:
    """The current query string with some parameters replaced (paging
    links keep every filter; the script's ``partial`` flag is dropped)."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k != "partial"]
    items += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return urlencode(items)


@register.helper
def sca_km(value) -> str:
    """A distance in km in the page language ("0,5" in German, "0.5" in English)."""
    from babel.numbers import format_decimal

    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_decimal(number, format="#,##0.###", locale=ui_language())
