"""A horizontal bar chart as SVG markup, drawn on the server: no script, nothing inline to allow."""
from __future__ import annotations

from markupsafe import Markup, escape

BAR, GAP, LABEL, WIDTH = 22, 6, 260, 720


def bars(rows: list[tuple[str, int]], title: str) -> Markup:
    """``rows`` of (label, value) as an accessible SVG bar chart."""
    top = max((value for _label, value in rows), default=0) or 1
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    room = WIDTH - LABEL - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
             f'<title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        length = max(1, round(room * value / top)) if value else 0
        parts.append(
            f'<g class="bar"><text x="{LABEL - 8}" y="{y + BAR * 0.7:.0f}" text-anchor="end" '
            f'font-size="13">{escape(label)}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR}" fill="#2f6f8f"/>'
            f'<text x="{LABEL + length + 6}" y="{y + BAR * 0.7:.0f}" font-size="13">{value}</text></g>')
    if not rows:
        parts.append('<text x="10" y="18" font-size="13">لا توجد بيانات · No data</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
