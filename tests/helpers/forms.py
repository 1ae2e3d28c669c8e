# SPDX-License-Identifier: AGPL-3.0-or-later
"""Web forms as a browser posts them."""
import re


def csrf(html: str) -> str:
    """The CSRF token of the form in ``html``."""
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
