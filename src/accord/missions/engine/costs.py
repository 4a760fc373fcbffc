"""Who pays for a contribution: the contributor, unless it is a common cost.

A third state bears the cost of its own participation; costs marked as common
are financed by the Athena mechanism from 1 March 2004 (Council Decision
2004/197/CFSP) and by the European Peace Facility from 1 July 2021 (Council
Decision (CFSP) 2021/509); parameters ``missions.costs.*``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord.rules.parameters import ParameterNotInForce, ParameterSet, load_parameters

from . import words

DEFAULT_BEARER = "missions.costs.default_cost_bearer"
COMMON_FACILITY = "missions.costs.common_costs_facility"
PAID_BY = "missions.costs.common_costs_paid_by"


@dataclass(frozen=True)
class CostDecision:
    bearer: str  # "contributor" or "common"
    mechanism: str | None  # e.g. "European Peace Facility"
    explanation: str
    reference: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "bearer": self.bearer,
            "mechanism": self.mechanism,
            "explanation": self.explanation,
            "reference": self.reference,
        }


def cost_bearer(*, common_cost: bool, on: dt.date, params: ParameterSet | None = None) -> CostDecision:
    params = params or load_parameters("missions")
    default = params.value(DEFAULT_BEARER, on)
    if not common_cost:
        return CostDecision(
            bearer=default,
            mechanism=None,
            explanation="not a common cost: borne by the contributor",
            reference=params[DEFAULT_BEARER].reference,
        )
    try:
        facility = params.value(COMMON_FACILITY, on)
    except ParameterNotInForce:
        facility = None
    if facility is None:
        return CostDecision(
            bearer=default,
            mechanism=None,
            explanation=(
                f"marked as a common cost, but no common-cost mechanism is recorded on {words.day(on)} "
                f"(the {params[COMMON_FACILITY].values[0][1]} applies from "
                f"{words.day(params[COMMON_FACILITY].values[0][0])}): borne by the contributor"
            ),
            reference=params[COMMON_FACILITY].reference,
        )
    in_force = params[COMMON_FACILITY].references_on(on)
    paid_by = params.value(PAID_BY, on)
    return CostDecision(
        bearer="common",
        mechanism=facility,
        explanation=f"a common cost on {words.day(on)}: financed by the {facility}, paid by {paid_by}",
        reference=in_force[0].title if in_force else params[COMMON_FACILITY].reference,
    )
