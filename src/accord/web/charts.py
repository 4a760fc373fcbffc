"""Accessible, server-rendered SVG charts (no JavaScript, CSP-safe).

Colours are SVG presentation attributes, not ``style`` attributes, so the
Content-Security-Policy (no inline style) holds. Every chart has a title and
a description for screen readers; pages should also give the figures as a
table (the GOV.UK way to make a chart accessible).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours
BLUE = "#1d70b8"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
BLACK = "#0b0c0c"
ORANGE = "#f47738"
FONT = "GDS Transport, arial, sans-serif"  # the font GOV.UK Frontend's stylesheet uses


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no figure (drawn as "no data", never as zero)
    colour: str = BLUE
    note: str = ""  # printed after the value, e.g. "over the cap"


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float
    colour: str = BLACK


def _fmt(value: float, unit: str, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return f"{text}{unit}" if unit in ("%", "") else f"{text} {unit}"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    decimals: int = 0,
    reference_lines: Iterable[ReferenceLine] = (),
    max_value: float | None = None,
    width: int = 720,
    bar_height: int = 22,
    label_width: int = 200,
    chart_id: str = "chart",
) -> SafeString:
    """A horizontal bar chart with optional vertical reference lines (targets, caps)."""
    lines = list(reference_lines)
    values = [b.value for b in bars if b.value is not None] + [r.value for r in lines]
    top = max_value if max_value is not None else (max(values) * 1.1 if values and max(values) > 0 else 1.0)
    value_width = 150
    plot_width = width - label_width - value_width
    gap = 8
    legend_height = 22 if lines else 0
    height = legend_height + len(bars) * (bar_height + gap) + gap + 4

    def x(value: float) -> float:
        return label_width + max(0.0, min(value, top)) / top * plot_width

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accord-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or title)}</desc>',
    ]
    for i, ref in enumerate(lines):
        lx = 10 + i * 230
        parts.append(
            f'<line x1="{lx}" y1="11" x2="{lx + 24}" y2="11" stroke="{ref.colour}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{lx + 30}" y="15" font-size="13" fill="{BLACK}">{escape(ref.label)} ({_fmt(ref.value, unit, decimals)})</text>'
        )
    y = legend_height + gap
    for bar in bars:
        mid = y + bar_height / 2 + 5
        parts.append(
            f'<text x="{label_width - 8}" y="{mid}" text-anchor="end" font-size="14" fill="{BLACK}">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(f'<text x="{label_width + 4}" y="{mid}" font-size="13" fill="{GREY}">no figure</text>')
        else:
            bar_w = max(1.0, x(bar.value) - label_width)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar_w:.1f}" height="{bar_height}" fill="{bar.colour}"/>'
            )
            text = _fmt(bar.value, unit, decimals) + (f" {bar.note}" if bar.note else "")
            parts.append(
                f'<text x="{label_width + bar_w + 6:.1f}" y="{mid}" font-size="13" fill="{BLACK}">{escape(text)}</text>'
            )
        y += bar_height + gap
    plot_top, plot_bottom = legend_height + 2, height - 2
    parts.append(
        f'<line x1="{label_width}" y1="{plot_top}" x2="{label_width}" y2="{plot_bottom}" stroke="{GREY}" stroke-width="1"/>'
    )
    for ref in lines:
        rx = x(ref.value)
        parts.append(
            f'<line x1="{rx:.1f}" y1="{plot_top}" x2="{rx:.1f}" y2="{plot_bottom}" stroke="{ref.colour}" '
            f'stroke-width="2" stroke-dasharray="6 3"><title>{escape(ref.label)}</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
