"""Who pays for a contribution: the contributor, unless it is a common cost.

A third state bears the cost of its own participation; costs marked as common
are financed by the European Peace Facility from 1 July 2021 (parameters
``missions.costs.*``, Council Decision (CFSP) 2021/509 for the European Peace Facility).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord.rules.parameters import ParameterNotInForce, ParameterSet, load_parameters

DEFAULT_BEARER = "missions.costs.default_cost_bearer"
COMMON_FACILITY = "missions.costs.common_costs_facility"


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
                f"marked as a common cost, but no common-cost mechanism is recorded on {on.isoformat()} "
                f"(the {params[COMMON_FACILITY].values[0][1]} applies from "
                f"{params[COMMON_FACILITY].values[0][0].isoformat()}): borne by the contributor"
            ),
            reference=params[COMMON_FACILITY].reference,
        )
    return CostDecision(
        bearer="common",
        mechanism=facility,
        explanation=f"a common cost on {on.isoformat()}: financed by the {facility}",
        reference=params[COMMON_FACILITY].reference,
    )
