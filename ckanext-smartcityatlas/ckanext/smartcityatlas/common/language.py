# SPDX-License-Identifier: AGPL-3.0-or-later
"""The language of the request (the portal's default outside requests)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def language() -> str:
    """The request's language; the portal default outside requests (CLI, jobs)."""
    try:
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    except (RuntimeError, TypeError):
        return tk.config.get("ckan.locale_default")


def ui_language() -> str:
    """"de" or "en": the two languages of the atlas' own texts and number formats."""
    return "en" if str(language() or "").startswith("en") else "de"
