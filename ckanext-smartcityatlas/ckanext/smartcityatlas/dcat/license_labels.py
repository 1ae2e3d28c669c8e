# SPDX-License-Identifier: AGPL-3.0-or-later
"""Short licence labels for the licence facet of ``/dataset/``.

The dcat-ap.de titles are long and begin alike ("Datenlizenz Deutschland
Namensnennung 2.0", "Datenlizenz Deutschland – Zero – Version 2.0"); CKAN's
facet list cut them to 22 characters, so several read "Datenlizenz…".
"""
from __future__ import annotations

import re

from ckanext.smartcityatlas.capability import Registry

register = Registry()

_ABBREVIATION = re.compile(r"\(([^()]{2,30})\)\s*$")
_DL_DE = "Datenlizenz Deutschland"


def short_label(title: str) -> str:
    """The abbreviation a title ends with ("(CC BY 4.0)"), "DL-DE …" for the
    Datenlizenz Deutschland, else the title."""
    title = (title or "").strip()
    found = _ABBREVIATION.search(title)
    if found:
        return found.group(1).strip()
    if title.startswith(_DL_DE):
        rest = re.sub(r"(^|\s)[–-]+(\s|$)|\bVersion\b", " ", title[len(_DL_DE):])
        return "DL-DE " + " ".join(rest.split())
    return title


@register.helper
def sca_license_facet_label(item: dict) -> str:
    """``label_function`` of CKAN's facet list for ``license_id``."""
    return short_label(item.get("display_name") or item.get("name") or "")
