"""The spending chart: one bar per state against the NATO target lines.

Drawn with the shared ``accord.web.charts.bar_chart`` (accessible SVG, no
script, no inline style). This module only decides what to draw: the order
of the bars, their colour (the status against the most demanding NATO
defence target in force), the note after each bar (that status in words, and
the state's own targets), and the target lines. The table on the page gives
the same figures with their sources.
"""

from __future__ import annotations

from typing import Any

from accord.web.charts import BLUE, GREEN, LIGHT_GREY, RED, Bar, ReferenceLine, bar_chart
from accord.web.templatetags.accord_text import when

STATUS_LABEL = {"met": "met", "on_track": "on track", "behind": "behind", "unknown": "no figure"}
NOT_ASSESSED = "not assessed"
STATUS_COLOUR = {"met": GREEN, "on_track": BLUE, "behind": RED}
LEGEND = [
    {"status": "met", "label": "Met", "colour": GREEN},
    {"status": "on_track", "label": "On track", "colour": BLUE},
    {"status": "behind", "label": "Behind", "colour": RED},
    {"status": "not_assessed", "label": "Not assessed (the target does not apply)", "colour": LIGHT_GREY},
]


def short_label(target: dict[str, Any]) -> str:
    """The target's name without its parenthesised origin, e.g. "NATO 2% guideline"."""
    return target["label"].split(" (")[0]


def own_target_label(target: dict[str, Any]) -> str:
    """A short name for a state's own target, e.g. "UK 2.5% by 2027"."""
    return f"{target['applies_to']['state']} {target['level_percent_gdp']:g}% by {target['deadline'][:4]}"


def colouring_target(targets: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The bars show the status against the most demanding NATO defence target in force."""
    nato = [t for t in targets if t["applies_to"].get("framework") and t["measure"] == "defence"]
    return max(nato, key=lambda t: (t["level_percent_gdp"], t["deadline"]), default=None)


def ordered_rows(latest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Highest spender first; states without a figure last, by name."""
    return sorted(
        latest,
        key=lambda r: (r["figure"] is None, -(r["figure"]["percent_gdp"] if r["figure"] else 0), r["name"]),
    )


def build(spending: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    targets = spending["targets"]
    colour_by = colouring_target(targets)
    statuses = {(row["target"], row["state"]): row["status"] for row in status["statuses"]}
    own_targets: dict[str, list[dict[str, Any]]] = {}
    for target in targets:
        state = target["applies_to"].get("state")
        if state:
            own_targets.setdefault(state, []).append(target)
    bars: list[Bar] = []
    rows: list[dict[str, Any]] = []
    for row in ordered_rows(spending["latest"]):
        figure = row["figure"]
        state_status = statuses.get((colour_by["id"], row["state"])) if colour_by else None
        label = STATUS_LABEL.get(state_status, NOT_ASSESSED)
        notes = [label]
        for target in own_targets.get(row["state"], []):
            own = statuses.get((target["id"], row["state"]))
            if own:
                notes.append(f"{own_target_label(target)}: {STATUS_LABEL[own]}")
        value = figure["percent_gdp"] if figure else None
        bars.append(
            Bar(
                label=row["name"],
                value=value,
                colour=STATUS_COLOUR.get(state_status, LIGHT_GREY),
                note=("(approx.) " if figure and figure["approximate"] else "") + "; ".join(notes),
            )
        )
        rows.append({"state": row["state"], "status": state_status or "not_assessed", "has_figure": figure is not None})
    lines = [
        ReferenceLine(f"{short_label(t)}", t["level_percent_gdp"]) for t in targets if t["applies_to"].get("framework")
    ]
    counts = _counts(rows)
    description = (
        "Horizontal bars, one per state, highest first; states without a figure are listed last as 'no figure'. "
        + " ".join(f"A dashed line marks {line.label} at {line.value:g}% of GDP." for line in lines)
        + (
            f" Against {colour_by['label']}: " + ", ".join(f"{c['count']} {c['label']}" for c in counts) + "."
            if colour_by
            else ""
        )
        + " The table below gives every figure with its source."
    )
    svg = bar_chart(
        bars,
        title=f"Defence spending as % of GDP per state against targets, as of {when(spending['assessed_on'])}",
        description=description,
        unit="%",
        decimals=2,
        reference_lines=lines,
        width=860,
        label_width=170,
        chart_id="spending-chart",
    )
    return {"svg": svg, "colour_by": colour_by, "legend": LEGEND, "rows": rows, "counts": counts}


def _counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many states per status (against the colouring target), in a fixed order."""
    order = ["met", "on_track", "behind", "unknown", "not_assessed"]
    tally = {status: 0 for status in order}
    for row in rows:
        tally[row["status"]] += 1
    names = {**STATUS_LABEL, "not_assessed": NOT_ASSESSED}
    return [{"status": s, "label": names[s], "count": tally[s]} for s in order if tally[s]]
