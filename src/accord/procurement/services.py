"""The thin service layer of the procurement capability: every change goes through here.

A case is validated and assessed by the pure engine first; only an accepted
case is stored (a rejected one raises ``InputError`` and nothing is written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction

from accord.errors import InputError, Problem
from accord.platform import audit, policy
from accord.platform.models import Party
from accord.procurement.engine import (
    BASELINE,
    Bom,
    Case,
    Limits,
    Verdict,
    assess,
    builtin_scenarios,
    parse_case,
    scenario_parameters,
)
from accord.procurement.models import Assessment, SafeScenario

COMMISSION = "COM"  # every assessment is shared with the European Commission, which runs SAFE


def limits() -> Limits:
    """Size limits from Django settings (ACCORD_SAFE_MAX_BOM_BYTES / ..._ITEMS), else the defaults."""
    names = ("ACCORD_SAFE_MAX_BOM_BYTES", "ACCORD_SAFE_MAX_CASE_BYTES", "ACCORD_SAFE_MAX_BOM_ITEMS")
    return Limits.from_mapping({n: getattr(settings, n) for n in names if hasattr(settings, n)})


def registry():
    from accord.parties import load_registry

    return load_registry()


def builtin_scenario(name: str | None) -> str:
    """Only built-in scenarios are offered on the web and the API (files are for the CLI)."""
    name = (name or BASELINE).strip()
    if name not in builtin_scenarios():
        raise InputError(f"unknown scenario {name!r}; choose one of {', '.join(builtin_scenarios())}", field="scenario")
    return name


def party_scenario(user, name: str | None) -> SafeScenario | None:
    """The user's party's own scenario of that name (None for a built-in one); unknown: InputError."""
    name = (name or BASELINE).strip()
    if user is None or name in builtin_scenarios():
        builtin_scenario(name)
        return None
    found = SafeScenario.objects.filter(owner=policy.party_of(user), name=name).first()
    if found is None:
        builtin_scenario(name)  # raises, naming the scenarios there are
    return found


def own_scenarios(user) -> dict[str, str]:
    """Name -> label of the user's party's own scenarios (offered beside the built-in ones)."""
    party = policy.party_of(user)
    if party is None:
        return {}
    return dict(SafeScenario.objects.filter(owner=party).order_by("name").values_list("name", "label"))


def parameters_of(scenario: str, own: SafeScenario | None):
    """The parameter set of a built-in scenario, or of a party's own (its overrides on the baseline)."""
    if own is None:
        return scenario_parameters(builtin_scenario(scenario))
    return scenario_parameters({"name": own.name, "label": own.label, "overrides": own.overrides})


def parameter_values(params, on) -> dict[str, Any]:
    """name -> the value in force on ``on`` (None where none), as JSON: what a verdict used."""
    from accord.rules.parameters import ParameterNotInForce, _jsonable

    values: dict[str, Any] = {}
    for name in params.names("safe."):
        try:
            values[name] = _jsonable(params.value(name, on))
        except ParameterNotInForce:
            values[name] = None
    return values


def check_case(
    data: Mapping[str, Any],
    *,
    bom: Bom | None = None,
    scenario: str = BASELINE,
    bom_problems: Sequence[Problem] = (),
    user=None,
) -> tuple[Case, Verdict]:
    """Validate and assess without storing anything. With a ``user``: their party's own scenarios
    may be named, and BOM lines naming a supplier part take their origin from the party's
    supplier declarations (unless the case gives its own ``declarations``)."""
    reg = registry()
    params = parameters_of(scenario, party_scenario(user, scenario))
    declared = None
    if user is not None and data.get("declarations") is None:
        from accord.procurement.declarations import for_user

        declared = for_user(user)
    case = parse_case(data, registry=reg, bom=bom, limits=limits(), bom_problems=bom_problems, declarations=declared)
    return case, assess(case, params, reg)


def reassess(assessment: Assessment, scenario: str) -> Verdict:
    """The stored case under another built-in scenario, on the same assessment date."""
    reg = registry()
    case = parse_case(assessment.case, registry=reg, limits=limits())
    return assess(case, scenario_parameters(builtin_scenario(scenario)), reg)


def case_record(case: Case) -> dict[str, Any]:
    """The case as plain JSON (the stable input format), with its BOM inline."""

    def entity(e, subcontractor: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": e.name,
            "established_in": e.established_in,
            "controlled_from": e.controlled_from,
            "guarantees_approved": e.guarantees_approved,
        }
        if subcontractor:
            out.update(
                share_of_contract_value=None if e.share_of_contract_value is None else float(e.share_of_contract_value),
                contract_before=e.contract_before.isoformat() if e.contract_before else None,
                replacement_study_committed=e.replacement_study_committed,
            )
        else:
            out["design_authority_in"] = e.design_authority_in
        return out

    scale = case.bom.cost_scale
    given = case.bom_as_given or case.bom  # origins as given: declared ones are resolved on each assessment
    frame = given.frame.select(
        "id",
        "parent",
        "quantity",
        "purchased",
        # the exact cost, as a number JSON keeps digit for digit (at most 18 digits)
        (pl.col("cost_units").cast(pl.Float64) / 10**scale).alias("unit_cost"),
        "currency",
        "origin",
        *[c for c in ("supplier", "supplier_part") if c in given.frame.columns],
    )
    bom = [{k: v for k, v in row.items() if v is not None or k == "parent"} for row in frame.iter_rows(named=True)]
    return {
        "title": case.title,
        "assessment_date": case.assessment_date.isoformat() if case.assessment_date else None,
        "contract_signed": case.contract_signed.isoformat() if case.contract_signed else None,
        "procurers": list(case.procurers),
        "loan_recipients": list(case.loan_recipients),
        "category": case.category,
        "contractor": entity(case.contractor, False),
        "subcontractors": [entity(s, True) for s in case.subcontractors],
        "bom": bom,
        "currency": case.currency,
        "rates_on": case.rates_on.isoformat() if case.rates_on else None,
        "rates": {k: float(v) for k, v in case.rates.items()} if case.rates else None,
        "unknown_origin": case.unknown_origin,
        **({"declarations": [d.as_dict() for d in case.declarations]} if case.declaration_notes else {}),
    }


def create_assessment(
    user,
    data: Mapping[str, Any],
    *,
    bom: Bom | None = None,
    scenario: str = BASELINE,
    bom_problems: Sequence[Problem] = (),
) -> Assessment:
    """Assess a case and store it, owned by the user's party, shared with the procurers and COM."""
    policy.require(user, "create")
    owner = policy.party_of(user)
    own = party_scenario(user, scenario)
    case, verdict = check_case(data, bom=bom, scenario=scenario, bom_problems=bom_problems, user=user)
    result = verdict.as_dict()
    shared = Party.objects.filter(code__in=set(case.procurers) | {COMMISSION}).exclude(pk=owner.pk)
    with audit.acting_as(user), transaction.atomic():
        assessment = Assessment.objects.create(
            owner=owner,
            created_by=user,
            title=case.title or "SAFE case",
            assessment_date=verdict.assessment_date,
            scenario=verdict.scenario,
            eligible=verdict.eligible,
            bom_source=case.bom.source,
            case={**case_record(case), "assessment_date": result["assessment_date"]},
            verdict=result,
            category=case.category,
            procurers="," + ",".join(case.procurers) + ",",
            parameters=parameter_values(parameters_of(verdict.scenario, own), verdict.assessment_date),
            user_scenario=own,
        )
        assessment.shared_with.set(shared)
        audit.record_event(
            assessment,
            "safe.assessed",
            {
                "eligible": verdict.eligible,
                "scenario": verdict.scenario,
                "failed_rules": verdict.failed_rules,
                "headroom_eur": result["headroom_eur"],
            },
        )
    return assessment
