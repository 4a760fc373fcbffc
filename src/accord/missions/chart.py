"""The force generation gap chart: one stacked bar per requirement, filled
units then missing units, as server-rendered SVG (no JavaScript, CSP-safe:
colours are presentation attributes and classes, never ``style``).

The page gives the same figures, with the reasons, in a table beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

FILLED = "#00703c"  # GOV.UK green
MISSING = "#d4351c"  # GOV.UK red
TEXT = "#0b0c0c"
FONT = "GDS Transport, arial, sans-serif"


def gap_chart(force_generation: Mapping[str, Any], *, chart_id: str = "gap-chart") -> SafeString:
    rows = force_generation["requirements"]
    width, label_width, value_width = 760, 230, 200
    plot = width - label_width - value_width
    bar_h, gap, legend_h = 22, 10, 28
    height = legend_h + len(rows) * (bar_h + gap) + gap
    top = max([r["quantity"] for r in rows] + [1])
    totals = force_generation["totals"]
    desc = (
        f"{totals['filled']} of {totals['required']} required units filled, {totals['missing']} missing, "
        f"across {len(rows)} requirements."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="accord-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}">',
        f'<title id="{chart_id}-title">Force generation: filled and missing units per requirement</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<g class="legend"><rect x="{label_width}" y="6" width="14" height="14" fill="{FILLED}"/>'
        f'<text x="{label_width + 20}" y="18" font-size="14" fill="{TEXT}">Filled</text>'
        f'<rect x="{label_width + 90}" y="6" width="14" height="14" fill="{MISSING}"/>'
        f'<text x="{label_width + 110}" y="18" font-size="14" fill="{TEXT}">Missing (gap)</text></g>',
    ]
    for i, r in enumerate(rows):
        y = legend_h + gap + i * (bar_h + gap)
        filled_w = r["filled"] / top * plot
        missing_w = r["missing"] / top * plot
        what = (r.get("capability_label") or r["capability"]) + (
            f" ({r['job_description']})" if r.get("job_description") else ""
        )
        label = f"{r['id']} {what}"
        value = f"{r['filled']} of {r['quantity']} filled" + (f", {r['missing']} missing" if r["missing"] else "")
        parts.append(f'<g data-requirement="{escape(r["id"])}">')
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_h - 6}" font-size="14" text-anchor="end" fill="{TEXT}">'
            f"{escape(label if len(label) <= 30 else label[:29] + '…')}</text>"
        )
        if r["filled"]:
            parts.append(
                f'<rect class="filled" x="{label_width}" y="{y}" width="{filled_w:.1f}" height="{bar_h}" fill="{FILLED}"/>'
            )
        if r["missing"]:
            parts.append(
                f'<rect class="missing" x="{label_width + filled_w:.1f}" y="{y}" width="{missing_w:.1f}" '
                f'height="{bar_h}" fill="{MISSING}"/>'
            )
        parts.append(
            f'<text x="{label_width + plot + 8}" y="{y + bar_h - 6}" font-size="14" fill="{TEXT}">{escape(value)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
