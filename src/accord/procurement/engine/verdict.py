"""What an assessment returns: checks and the verdict (stable JSON shapes).

The JSON of a verdict is documented in docs/procurement.md; keys are only ever
added, never renamed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Money is compared and reported in euro cents: floating-point sums of a large
# BOM differ in the last bits, and "exactly 35% passes" must hold for amounts
# a person would write down.
MONEY_DECIMALS = 2
SHARE_DECIMALS = 6


def money(amount: float) -> float:
    return round(float(amount), MONEY_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Check:
    """One rule applied: did it pass, which article, and the figures compared."""

    rule: str
    passed: bool
    reference: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "reference": self.reference, "detail": self.detail}


@dataclass(frozen=True)
class OriginCost:
    """Component cost of one origin and how much of it counts as non-eligible."""

    origin: str
    cost_eur: float
    status: str  # eligible | agreement | third_country | excluded
    non_eligible_eur: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "cost_eur": money(self.cost_eur),
            "status": self.status,
            "non_eligible_eur": money(self.non_eligible_eur),
        }


@dataclass(frozen=True)
class AgreementUse:
    """A participation agreement in force on the assessment date, and its effect here."""

    country: str
    in_force_from: dt.date | None
    component_cap: float | None
    financial_contribution_eur: float | None
    cost_eur: float
    counted_eligible_eur: float
    counted_non_eligible_eur: float
    reference: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "component_cap": self.component_cap,
            "financial_contribution_eur": self.financial_contribution_eur,
            "cost_eur": money(self.cost_eur),
            "counted_eligible_eur": money(self.counted_eligible_eur),
            "counted_non_eligible_eur": money(self.counted_non_eligible_eur),
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    scenario: str
    scenario_label: str
    title: str
    assessment_date: dt.date
    category: int
    component_cost_eur: float
    non_eligible_cost_eur: float
    non_eligible_share: float
    non_eligible_cap: float
    headroom_eur: float
    origins: tuple[OriginCost, ...]
    checks: tuple[Check, ...]
    agreements: tuple[AgreementUse, ...] = ()
    warnings: tuple[str, ...] = ()
    bom_summary: dict[str, Any] = field(default_factory=dict)

    @property
    def cost_by_origin(self) -> dict[str, float]:
        return {o.origin: money(o.cost_eur) for o in sorted(self.origins, key=lambda o: o.origin)}

    @property
    def failed_rules(self) -> list[str]:
        return [c.rule for c in self.checks if not c.passed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "scenario": self.scenario,
            "scenario_label": self.scenario_label,
            "title": self.title,
            "assessment_date": self.assessment_date.isoformat(),
            "category": self.category,
            "component_cost_eur": money(self.component_cost_eur),
            "non_eligible_cost_eur": money(self.non_eligible_cost_eur),
            "non_eligible_share": round(self.non_eligible_share, SHARE_DECIMALS),
            "non_eligible_cap": self.non_eligible_cap,
            "headroom_eur": money(self.headroom_eur),
            "cost_by_origin": self.cost_by_origin,
            "origins": [o.as_dict() for o in sorted(self.origins, key=lambda o: o.origin)],
            "checks": [c.as_dict() for c in self.checks],
            "agreements": [a.as_dict() for a in self.agreements],
            "warnings": list(self.warnings),
            "bom": dict(self.bom_summary),
        }
