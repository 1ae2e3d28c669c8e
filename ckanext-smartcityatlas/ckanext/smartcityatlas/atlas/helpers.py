# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers of the atlas pages."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.helper
def sca_query_with(**changes) -> str:
    """The current query string with some parameters replaced (paging
    links keep every filter; the script's ``partial`` flag is dropped)."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k != "partial"]
    items += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return urlencode(items)
