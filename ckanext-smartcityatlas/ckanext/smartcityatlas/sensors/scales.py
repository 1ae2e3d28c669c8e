# SPDX-License-Identifier: AGPL-3.0-or-later
"""Colour classes of the sensor layer per phenomenon (``scales.yaml``):
which class a value falls in and the legend, the same for the map, its
legend and the table page."""
from __future__ import annotations

import functools
import math
from pathlib import Path

import yaml

MAX_CLASSES = 5


@functools.lru_cache(maxsize=1)
def _scales() -> dict:
    data = yaml.safe_load(Path(__file__).with_name("scales.yaml").read_text(encoding="utf-8"))
    palette = list(data["palette"])
    for phenomenon, spec in data["scales"].items():
        bounds = [c["below"] for c in spec["classes"][:-1]]
        # a broken file must fail loudly, not colour values wrongly
        if not 1 < len(spec["classes"]) <= min(MAX_CLASSES, len(palette)) or bounds != sorted(set(bounds)) \
                or "below" in spec["classes"][-1]:
            raise ValueError(f"scales.yaml: {phenomenon}: 2 to {MAX_CLASSES} classes with ascending bounds, "
                             "the last one without 'below'")
    return data


def classify(phenomenon: str, value) -> int | None:
    """The class index of ``value``; None without a scale or a value."""
    spec = _scales()["scales"].get(phenomenon)
    if spec is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    for index, cls in enumerate(spec["classes"]):
        if "below" not in cls or value < cls["below"]:
            return index
    return None  # unreachable: the last class is open


def legend(phenomenon: str, lang: str) -> list[dict]:
    """The classes with colour, bounds and label (German or English)."""
    data = _scales()
    spec = data["scales"].get(phenomenon)
    if spec is None:
        return []
    out, lower = [], None
    for index, cls in enumerate(spec["classes"]):
        out.append({"class": index, "colour": data["palette"][index], "from": lower, "below": cls.get("below"),
                    "label": cls["en"] if lang == "en" else cls["de"]})
        lower = cls.get("below")
    return out
