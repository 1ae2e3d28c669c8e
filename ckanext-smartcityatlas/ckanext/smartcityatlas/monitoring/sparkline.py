# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small trend charts of the monitor, drawn on the server as inline SVG: they
need no script and no chart library, and the table below says the same."""
from __future__ import annotations

WIDTH = 160
HEIGHT = 40
PAD = 4


def points(values: list[float | None]) -> dict:
    """The polyline points and dots of a series (gaps stay gaps: one line per
    run of known values), scaled into WIDTH × HEIGHT."""
    known = [v for v in values if v is not None]
    if not known:
        return {"width": WIDTH, "height": HEIGHT, "lines": [], "dots": []}
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    lines: list[list[str]] = [[]]
    dots = []
    for i, v in enumerate(values):
        if v is None:
            if lines[-1]:
                lines.append([])
            continue
        x = round(PAD + i * step, 1)
        y = round(HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD), 1) if high != low else HEIGHT / 2
        lines[-1].append(f"{x},{y}")
        dots.append({"x": x, "y": y})
    return {"width": WIDTH, "height": HEIGHT, "lines": [" ".join(line) for line in lines if line], "dots": dots}
