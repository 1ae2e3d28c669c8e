# SPDX-License-Identifier: AGPL-3.0-or-later
"""How the portal looks for its city (city.yaml ``branding``): the logo, a
file in the city's folder (without one the header shows the site title as a
text mark, never CKAN's logo), and the colour of the header and buttons.

The colour carries white text, so it must be dark enough (WCAG AA, 4.5:1);
``ckan sca city-check`` says so, and a colour that is too light is not used.
"""
from __future__ import annotations

import re
from pathlib import Path

from ckanext.smartcityatlas.common.city_config import City

LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".webp": "image/webp"}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
KEYS = ("logo", "color")
# CKAN's own header colour, kept when a city sets none
DEFAULT_COLOUR = "#005d7a"
MIN_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def darker(colour: str, factor: float = 0.7) -> str:
    """The colour darkened (hover and active navigation entries)."""
    return "#" + "".join(f"{int(int(colour[i:i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def problems(settings: dict) -> list[tuple[str, str]]:
    """(key, message) of every flaw of ``branding`` (the folder is not read)."""
    branding = settings.get("branding")
    if branding is None:
        return []
    if not isinstance(branding, dict):
        return [("branding", "must be a mapping (logo, color)")]
    found = [(f"branding.{key}", f"unknown key (known: {', '.join(KEYS)})") for key in branding if key not in KEYS]
    logo = branding.get("logo")
    if logo is not None and not (isinstance(logo, str) and Path(logo).suffix.lower() in LOGO_TYPES
                                 and Path(logo).name == logo):
        found.append(("branding.logo", f"must be a file name in the city's folder ending in "
                                       f"{', '.join(LOGO_TYPES)}, not {logo!r}"))
    colour = branding.get("color")
    if colour is not None:
        if not (isinstance(colour, str) and HEX_COLOUR.fullmatch(colour)):
            found.append(("branding.color", f"must be a colour as #rrggbb, not {colour!r}"))
        elif contrast_with_white(colour) < MIN_CONTRAST:
            found.append(("branding.color", f"{colour} is too light for the header's white text "
                                            f"(contrast {contrast_with_white(colour):.1f}:1, at least 4.5:1)"))
    return found


def logo_path(city: City) -> Path | None:
    """The city's logo file, None when it sets none or the file is missing."""
    name = (city.settings.get("branding") or {}).get("logo")
    if not isinstance(name, str) or any(key == "branding.logo" for key, _ in problems(city.settings)):
        return None
    path = city.folder / name
    return path if path.is_file() else None


def colour(city: City) -> str:
    """The header's colour: ``branding.color`` when it is usable, else CKAN's."""
    value = (city.settings.get("branding") or {}).get("color")
    if isinstance(value, str) and not any(key == "branding.color" for key, _ in problems(city.settings)):
        return value.lower()
    return DEFAULT_COLOUR
