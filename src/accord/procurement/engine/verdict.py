"""What an assessment returns: checks and the verdict (stable JSON shapes).

The JSON of a verdict is documented in docs/procurement.md; keys are only ever
added, never renamed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from accord.money import cents_float

from .advice import Headroom, cents_down

# Amounts are exact (``Fraction``) in the verdict; the rules compare them
# unrounded. Only this JSON rounds them: to the cent, and shares to 6 decimals.
SHARE_DECIMALS = 6


def money(amount: Fraction | float) -> float:
    """An exact amount rounded to the cent for display (the stable JSON)."""
    return cents_float(amount)


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

    origin: str  # "" where the BOM gives none
    cost_eur: Fraction
    status: str  # eligible | agreement | third_country | excluded | unknown
    non_eligible_eur: Fraction

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
    cost_eur: Fraction
    counted_eligible_eur: Fraction
    counted_non_eligible_eur: Fraction
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
    component_cost_eur: Fraction
    non_eligible_cost_eur: Fraction
    non_eligible_share: Fraction
    non_eligible_cap: float
    headroom_eur: Fraction
    origins: tuple[OriginCost, ...]
    checks: tuple[Check, ...]
    agreements: tuple[AgreementUse, ...] = ()
    warnings: tuple[str, ...] = ()
    bom_summary: dict[str, Any] = field(default_factory=dict)
    conditions: tuple[str, ...] = ()  # what the verdict still depends on (a Council decision to come)
    rates: tuple[dict[str, Any], ...] = ()  # the exchange rates used
    rates_on: dt.date | None = None
    unknown_origin_eur: Fraction = Fraction(0)  # counted as non-eligible: the BOM gives no origin
    unused_columns: tuple[str, ...] = ()
    number_style: str | None = None
    headroom: Headroom | None = None  # the three figures (issue 10); headroom_eur is its signed summary
    declarations: tuple[dict[str, Any], ...] = ()  # supplier parts and what their declarations gave

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)

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
            "non_eligible_share": round(float(self.non_eligible_share), SHARE_DECIMALS),
            "non_eligible_cap": self.non_eligible_cap,
            # signed: the new non-eligible cost that would still pass, or (negative) the price cut
            # needed; rounded down to the cent so that the figure shown works (see ``advice``)
            "headroom_eur": float(cents_down(self.headroom_eur)) + 0.0,
            "cost_by_origin": self.cost_by_origin,
            "origins": [o.as_dict() for o in sorted(self.origins, key=lambda o: o.origin)],
            "checks": [c.as_dict() for c in self.checks],
            "agreements": [a.as_dict() for a in self.agreements],
            "warnings": list(self.warnings),
            "bom": dict(self.bom_summary),
            "conditional": self.conditional,
            "conditions": list(self.conditions),
            "rates_on": self.rates_on.isoformat() if self.rates_on else None,
            "rates": list(self.rates),
            "unknown_origin_cost_eur": money(self.unknown_origin_eur),
            "unused_columns": list(self.unused_columns),
            "number_style": self.number_style,
            "headroom": self.headroom.as_dict() if self.headroom else None,
            "declarations": list(self.declarations),
        }
