"""Complaints per week as SVG lines, and figures as SVG bars, drawn on the server (no script,
nothing inline to allow). Bars take a fixed scale (100 for percentages) or the largest value.
Figures and dates are written in the page's digits, like the rest of the page."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from agent_console.formatting import digits, number

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 760, 300, 48, 40, 16
LEGEND = 170
COLOURS = ("#2f6f8f", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#34495e")
SHOWN = len(COLOURS)


def top(series: dict[str, dict[date, int]]) -> list[tuple[str, int]]:
    """Series keys by their total, largest first."""
    return sorted(((key, sum(weeks.values())) for key, weeks in series.items()), key=lambda kv: -kv[1])


def lines(weeks: list[date], series: dict[str, dict[date, int]], label, title: str, empty: str) -> Markup:
    """The ``SHOWN`` largest series as lines over ``weeks``, with a legend of names in the page's language."""
    shown = [key for key, _total in top(series)[:SHOWN]]
    peak = max((series[k].get(w, 0) for k in shown for w in weeks), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - LEGEND, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(weeks) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: int) -> float:
        return TOP + plot_h * (1 - v / peak)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timechart" role="img" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" direction="ltr"><title>{escape(title)}</title>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#999"/>',
             f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{number(peak)}</text>',
             f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="11">{number(0)}</text>']
    every = max(1, len(weeks) // 8)
    for i, week in enumerate(weeks):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.0f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="11">{digits(f"{week:%d/%m}")}</text>')
    for n, key in enumerate(shown):
        colour = COLOURS[n]
        points = " ".join(f"{x(i):.1f},{y(series[key].get(w, 0)):.1f}" for i, w in enumerate(weeks))
        name = escape(label(key) if key != "-" else "—")
        parts.append(f'<g class="series" data-key="{escape(key)}"><title>{name}</title>'
                     f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/></g>')
        ly = TOP + 14 + n * 18
        parts.append(f'<rect x="{WIDTH - LEGEND + 10}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - LEGEND + 28}" y="{ly}" font-size="12">{name}</text>')
    if not shown:
        parts.append(f'<text x="10" y="30" font-size="13">{escape(empty)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(rows: list[tuple[str, int]], title: str, *, empty: str, scale: int | None = None,
         unit: str = "") -> Markup:
    """Horizontal bars of (label, value), left to right, labels on a column of their own."""
    top = scale or max((value for _label, value in rows), default=0) or 1
    label_w = min(320, 16 + 8 * max((len(label) for label, _value in rows), default=4))
    room, bar, gap = 360, 20, 8
    width, height = label_w + room + 70, max(1, len(rows)) * (bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" direction="ltr"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar + gap)
        length = max(1, round(room * value / top)) if value else 0
        parts.append(f'<g class="bar"><text x="{label_w - 8}" y="{y + bar * 0.72:.0f}" text-anchor="end" '
                     f'font-size="12">{escape(label)}</text><rect x="{label_w}" y="{y}" width="{length}" '
                     f'height="{bar}" fill="{COLOURS[0]}"/><text x="{label_w + length + 6}" '
                     f'y="{y + bar * 0.72:.0f}" font-size="12">{digits(number(value) + unit)}</text></g>')
    if not rows:
        parts.append(f'<text x="10" y="18" font-size="13">{escape(empty)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def compliance(rows: list[tuple[str, int]], title: str, empty: str) -> Markup:
    """SLA compliance percentages per entity, on a 0-100 % scale."""
    return bars(rows, title, scale=100, unit="%", empty=empty)
