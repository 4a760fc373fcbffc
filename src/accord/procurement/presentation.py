"""Turning a verdict into what the pages show: labels, the cost chart, the comparison rows."""

from __future__ import annotations

from typing import Any

from accord.web.charts import BLACK, BLUE, GREEN, RED, Bar, ReferenceLine, bar_chart

RULE_LABELS = {
    "common_procurement": "Common procurement",
    "single_state_window": "Single-state procurement (transitional window)",
    "additional_procurers": "Additional procurers",
    "establishment_and_control": "Establishment and control",
    "subcontractor_derogation": "Subcontractor derogation",
    "component_cost": "Component cost (35% rule)",
    "design_authority": "Design authority",
    "excluded_third_country": "Excluded third countries",
}
STATUS_LABELS = {
    "eligible": "Eligible country",
    "agreement": "Participation agreement",
    "third_country": "Third country",
    "excluded": "Excluded third country",
    "unknown": "Origin not given: counted as non-eligible",
}
STATUS_COLOURS = {"eligible": GREEN, "agreement": BLUE, "third_country": RED, "excluded": BLACK, "unknown": RED}


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule.replace("_", " ").capitalize())


def _share(amount: float, total: float) -> float:
    return amount / total * 100 if total else 0.0


def origin_rows(verdict: dict[str, Any]) -> list[dict[str, Any]]:
    total = verdict["component_cost_eur"]
    return [
        {**o, "status_label": STATUS_LABELS.get(o["status"], o["status"]), "share": _share(o["cost_eur"], total)}
        for o in sorted(verdict["origins"], key=lambda o: -o["cost_eur"])
    ]


def cost_chart(verdict: dict[str, Any], *, chart_id: str):
    """Share of component cost per origin, then all non-eligible cost against the limit."""
    total = verdict["component_cost_eur"]
    bars = [
        Bar(
            o["origin"] or "Not given",
            _share(o["cost_eur"], total),
            STATUS_COLOURS.get(o["status"], RED),
            o["status_label"].lower(),
        )
        for o in origin_rows(verdict)
    ]
    over = verdict["headroom_eur"] < 0
    bars.append(
        Bar(
            "Non-eligible, total",
            verdict["non_eligible_share"] * 100,
            RED,
            "over the limit" if over else "within the limit",
        )
    )
    cap = verdict["non_eligible_cap"] * 100
    return bar_chart(
        bars,
        title="Component cost by origin (% of the estimated cost of the components)",
        description=(
            f"Each origin's share of the component cost, and the non-eligible total "
            f"({verdict['non_eligible_share'] * 100:.2f}%) against the {cap:.0f}% limit."
        ),
        unit="%",
        decimals=1,
        max_value=100.0,
        reference_lines=[ReferenceLine(f"Limit {cap:.0f}%", cap)],
        chart_id=chart_id,
    )


def comparison_rows(first: dict[str, Any], second: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for the side-by-side table: figures first, then each check (paired by position)."""

    def money(v: float) -> str:
        return f"-€{-v:,.2f}" if v < 0 else f"€{v:,.2f}"

    rows = [
        {
            "label": "Verdict",
            "a": "Eligible" if first["eligible"] else "Not eligible",
            "b": "Eligible" if second["eligible"] else "Not eligible",
            "differs": first["eligible"] != second["eligible"],
        },
    ]
    for key, label in (("non_eligible_cost_eur", "Non-eligible component cost"), ("headroom_eur", "Headroom")):
        rows.append(
            {"label": label, "a": money(first[key]), "b": money(second[key]), "differs": first[key] != second[key]}
        )
    rows.append(
        {
            "label": "Non-eligible share",
            "a": f"{first['non_eligible_share'] * 100:.2f}%",
            "b": f"{second['non_eligible_share'] * 100:.2f}%",
            "differs": first["non_eligible_share"] != second["non_eligible_share"],
        }
    )
    for a, b in zip(first["checks"], second["checks"], strict=False):

        def cell(c):
            return f"{'Pass' if c['passed'] else 'Fail'}: {c['detail']}"

        rows.append({"label": rule_label(a["rule"]), "a": cell(a), "b": cell(b), "differs": a["passed"] != b["passed"]})
    return rows
