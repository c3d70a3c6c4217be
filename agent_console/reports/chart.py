"""A horizontal bar chart as SVG markup, drawn on the server: no script, nothing inline to allow.

Labels are never clipped: the label column is as wide as the longest label needs (a generous
estimate of the glyphs' width), the chart grows with it, and a label too long even for the widest
column wraps onto a second line. On a right-to-left page the labels stand at the right and the
bars grow leftwards, as an Arabic reader expects.
"""
from __future__ import annotations

from markupsafe import Markup, escape

BAR, GAP, FONT = 22, 10, 13
CHAR = 8.2          # px per character at 13 px: wider than Naskh or DejaVu's average glyph
MAX_LABEL = 52      # characters on one line before a label wraps
ROOM = 380          # px for the longest bar
VALUE = 60          # px for the figure after a bar


def _lines(label: str) -> list[str]:
    """The label on at most two lines, split at a space near the middle when it is too long."""
    if len(label) <= MAX_LABEL:
        return [label]
    cut = label.rfind(" ", 0, len(label) // 2 + 8)
    return [label[:cut], label[cut + 1:]] if cut > 0 else [label]


def chart(rows: list[tuple[str, str, int]], title: str, *, rtl: bool = False, empty: str = "—") -> Markup:
    """``rows`` of (label, the value as shown, the value) as an accessible SVG bar chart."""
    top = max((value for *_rest, value in rows), default=0) or 1
    wrapped = [_lines(label) for label, _shown, _value in rows]
    label_width = round(max((len(line) for lines in wrapped for line in lines), default=4) * CHAR) + 16
    width = label_width + ROOM + VALUE
    heights = [BAR + (len(lines) - 1) * (FONT + 3) for lines in wrapped]
    height = sum(h + GAP for h in heights) + GAP if rows else 2 * BAR
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'direction="{"rtl" if rtl else "ltr"}"><title>{escape(title)}</title>']
    y = GAP
    for (label, shown, value), lines, h in zip(rows, wrapped, heights):
        length = max(1, round(ROOM * value / top)) if value else 0
        if rtl:  # labels on the right, bars growing leftwards
            label_x, anchor = width - 8, "start"
            bar_x, value_x, value_anchor = width - label_width - length, width - label_width - length - 6, "start"
        else:
            label_x, anchor = label_width - 8, "end"
            bar_x, value_x, value_anchor = label_width, label_width + length + 6, "start"
        texts = "".join(f'<tspan x="{label_x}" dy="{0 if i == 0 else FONT + 3}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        parts.append(
            f'<g class="bar"><text class="label" x="{label_x}" y="{y + BAR * 0.7:.0f}" '
            f'text-anchor="{anchor}" font-size="{FONT}">{texts}</text>'
            f'<rect x="{bar_x}" y="{y + (h - BAR) / 2:.0f}" width="{length}" height="{BAR}" fill="#2f6f8f"/>'
            f'<text class="value" x="{value_x}" y="{y + (h - BAR) / 2 + BAR * 0.7:.0f}" '
            f'text-anchor="{value_anchor}" font-size="{FONT}">{escape(shown)}</text></g>')
        y += h + GAP
    if not rows:
        parts.append(f'<text x="{width - 10 if rtl else 10}" y="{BAR}" font-size="{FONT}">{escape(empty)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
