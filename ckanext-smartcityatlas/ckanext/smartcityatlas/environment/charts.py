# SPDX-License-Identifier: AGPL-3.0-or-later
"""Bar charts of the environment dashboard as inline SVG, drawn on the
server: they need no script and no chart library, and the tables below
them hold the same values (the charts are ``role="img"`` with a title and
a description; screen readers read the tables). Colours are presentation
attributes, so a chart needs no style sheet."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 40
# reference lines: EU limits solid, WHO guidelines dashed (contrast ≥ 4.5:1 on white)
LINE_STYLES = {"eu": 'stroke="#a51d2d" stroke-width="2"',
               "who": 'stroke="#5e4b00" stroke-width="2" stroke-dasharray="6 4"'}
TEXT = 'fill="#333" font-size="11"'
BAR = 'fill="#1f5f8b"'
AXIS = 'stroke="#555"'


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bars(chart_id: str, title: str, description: str, values: list[tuple[str, float | None]],
         lines: list[tuple[str, str, float]], unit: str, floor: float = 0.0) -> Markup:
    """Vertical bars ``(label, value)`` (None: no bar) with horizontal
    reference lines ``(kind, label, value)``; ``floor``: the value at the
    axis (dB charts start at 20 dB, not 0)."""
    heights = [v for _label, v in values if v is not None] + [v for _k, _l, v in lines]
    top = floor + (max(heights, default=floor + 1.0) - floor) * 1.1
    if top <= floor:
        top = floor + 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (max(value, floor) - floor) / (top - floor))

    step = plot_w / max(len(values), 1)
    parts = [f'<svg class="sca-env-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'style="max-width:100%;height:auto" aria-labelledby="{chart_id}-title {chart_id}-desc" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             f'<line {AXIS} x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
             f'<text {TEXT} x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">{_fmt(floor)}</text>',
             f'<text {TEXT} x="{LEFT - 4}" y="{TOP + 10}" text-anchor="end">{escape(unit)}</text>']
    label_every = max(1, round(len(values) / 12))
    for i, (label, value) in enumerate(values):
        x = LEFT + i * step
        if value is not None:
            parts.append(f'<rect {BAR} x="{x + step * 0.1:.1f}" y="{y(value):.1f}" '
                         f'width="{max(step * 0.8, 0.8):.1f}" height="{TOP + plot_h - y(value):.1f}">'
                         f'<title>{escape(label)}: {_fmt(value)} {escape(unit)}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text {TEXT} x="{x + step / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    for n, (kind, label, value) in enumerate(lines):
        parts.append(f'<line {LINE_STYLES.get(kind, AXIS)} x1="{LEFT}" y1="{y(value):.1f}" '
                     f'x2="{WIDTH - RIGHT}" y2="{y(value):.1f}"/>')
        parts.append(f'<text {TEXT} x="{WIDTH - RIGHT - 4 - 130 * n}" y="{y(value) - 3:.1f}" '
                     f'text-anchor="end">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
