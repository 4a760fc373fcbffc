"""Small builders for SAFE cases in tests: a valid case, changed only where a test says."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from accord.parties import load_registry
from accord.procurement.engine import assess, parse_case, scenario_parameters

REGISTRY = load_registry()

BASE_CASE: dict[str, Any] = {
    "title": "Joint 155mm ammunition purchase",
    "assessment_date": "2026-03-01",
    "contract_signed": "2026-02-15",
    "procurers": ["PL", "LT"],
    "loan_recipients": ["PL"],
    "category": 1,
    "contractor": {
        "name": "Polish Prime",
        "established_in": "PL",
        "controlled_from": "PL",
        "design_authority_in": "PL",
    },
    "subcontractors": [],
    "bom": [],
}


def bom_by_origin(costs: dict[str, float]) -> list[dict[str, Any]]:
    """An end product made of one purchased part per origin, each costing the given amount."""
    items: list[dict[str, Any]] = [{"id": "END", "parent": None, "quantity": 1}]
    for origin, cost in costs.items():
        items.append(
            {
                "id": f"PART-{origin}",
                "parent": "END",
                "quantity": 1,
                "purchased": True,
                "unit_cost_eur": cost,
                "origin": origin,
            }
        )
    return items


def case_data(costs: dict[str, float] | None = None, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CASE)
    data["bom"] = bom_by_origin(costs or {"PL": 1000})
    for key, value in changes.items():
        data[key] = value
    return data


def subcontractor(country: str = "GB", share: float = 0.2, **changes: Any) -> dict[str, Any]:
    sub = {
        "name": f"{country} Subcontractor",
        "established_in": country,
        "controlled_from": country,
        "share_of_contract_value": share,
    }
    sub.update(changes)
    return sub


def verdict(data: dict[str, Any], scenario=None, on: dt.date | None = None):
    case = parse_case(data, registry=REGISTRY)
    return assess(case, scenario_parameters(scenario), REGISTRY, on=on)


def check(result, rule: str):
    found = [c for c in result.checks if c.rule == rule]
    assert len(found) == 1, f"expected one {rule} check, got {[c.rule for c in result.checks]}"
    return found[0]
