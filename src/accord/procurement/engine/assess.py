"""Assess a case under a parameter set (baseline or scenario) on a date."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from accord.errors import InputError
from accord.rules.parameters import ParameterNotInForce, ParameterSet

from .case import Case
from .countries import CountryRules, PartyRegistry
from .rates import RateTable, resolve_rates
from .rules import (
    Context,
    additional_procurers,
    common_procurement,
    component_cost,
    component_cost_figures,
    design_authority,
    entity_is_eligible,
    establishment_and_control,
    excluded_third_country,
    partner_procurers,
    single_state_window,
    subcontractor_derogation,
)
from .verdict import Check, Verdict
from .words import day_text


def assessment_date(case: Case, on: dt.date | None) -> dt.date:
    date = on or case.assessment_date
    if date is None:
        raise InputError(
            "assessment_date is required (YYYY-MM-DD), or give the date to assess on", field="assessment_date"
        )
    return date


def scenario_notes(params: ParameterSet, on: dt.date) -> list[str]:
    """Say when a scenario's change only takes effect after the assessment date."""
    notes = []
    for name in params.applied_overrides:
        later = [start for start, _ in params[name].values if start > on and start != dt.date.min]
        if later:
            notes.append(
                f"Scenario {params.scenario}: {params[name].label} changes on {day_text(later[0])}, "
                f"after the assessment date {day_text(on)}."
            )
    return notes


def assess(case: Case, params: ParameterSet, registry: PartyRegistry, *, on: dt.date | None = None) -> Verdict:
    """Apply every rule; the case is eligible when every check passes."""
    date = assessment_date(case, on)
    try:
        return _assess_on(case, params, registry, date)
    except InputError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, ParameterNotInForce) as exc:
        if not params.applied_overrides:
            raise  # the baseline's own parameters are wrong: a bug to fix, not bad input
        raise InputError(
            f"scenario {params.scenario!r} gives a value the rules cannot use ({exc})", field="scenario"
        ) from None


def _assess_on(case: Case, params: ParameterSet, registry: PartyRegistry, date: dt.date) -> Verdict:
    try:
        params.value("safe.instrument.in_force", date)
    except ParameterNotInForce:
        first = params["safe.instrument.in_force"].values[0][0]
        raise InputError(
            f"SAFE applies from {first.isoformat()}; cannot assess on {date.isoformat()}", field="assessment_date"
        ) from None
    categories = params.value("safe.instrument.product_categories", date)
    if case.category not in categories:
        raise InputError(
            f"category must be one of {', '.join(map(str, sorted(categories)))} "
            f"(SAFE product categories), not {case.category}",
            field="category",
        )
    rates = resolve_rates(case.rollup.currency_lines if case.rollup.amounts else {}, case.rates_on or date, case.rates)
    cost_by_origin: dict[str, Fraction] = {}
    for (origin, currency), amount in case.rollup.amounts.items():
        key = origin or ""
        cost_by_origin[key] = cost_by_origin.get(key, Fraction(0)) + rates.to_euro(amount, currency)
    if sum(cost_by_origin.values(), Fraction(0)) <= 0:
        raise InputError(
            "the BOM has no component cost: give unit_cost for the purchased items (and for the items made in-house)",
            field="bom",
        )
    ctx = Context(case=case, params=params, on=date, countries=CountryRules(params, registry, date))
    return _apply_rules(ctx, case, params, date, cost_by_origin, rates)


def _apply_rules(
    ctx: Context, case: Case, params: ParameterSet, date: dt.date, cost_by_origin: dict[str, Fraction], rates: RateTable
) -> Verdict:
    checks: list[Check] = []
    # 1-2: a common procurement, or (one eligible procurer) the transitional single-state window.
    if len(partner_procurers(ctx)) == 1:
        checks.append(single_state_window(ctx))
    else:
        checks.append(common_procurement(ctx))
    extra = additional_procurers(ctx)
    if extra is not None:
        checks.append(extra)
    # 3: establishment and control; a non-eligible subcontractor may rely on the derogation.
    checks.append(establishment_and_control(ctx, case.contractor, "contractor"))
    for sub in case.subcontractors:
        eligible, _ = entity_is_eligible(ctx, sub)
        checks.append(
            establishment_and_control(ctx, sub, "subcontractor") if eligible else subcontractor_derogation(ctx, sub)
        )
    # 4 and 7: component cost, with participation agreements counted within their caps.
    figures = component_cost_figures(ctx, cost_by_origin)
    checks.append(component_cost(ctx, figures))
    # 5: design authority (Category 2); 6: excluded third countries.
    checks.append(design_authority(ctx))
    checks.append(excluded_third_country(ctx, figures))

    return Verdict(
        eligible=all(c.passed for c in checks),
        scenario=params.scenario,
        scenario_label=params.scenario_label,
        title=case.title,
        assessment_date=date,
        category=case.category,
        component_cost_eur=figures.total,
        non_eligible_cost_eur=figures.non_eligible,
        non_eligible_share=figures.share,
        non_eligible_cap=float(figures.cap),
        headroom_eur=figures.headroom.signed,
        headroom=figures.headroom,
        origins=figures.origins,
        checks=tuple(checks),
        agreements=figures.agreements,
        warnings=tuple(scenario_notes(params, date) + rates.notes() + case.rollup.warnings() + _unused_note(case)),
        bom_summary=case.rollup.summary(),
        conditions=tuple(ctx.conditions),
        rates=tuple(rates.as_list()),
        rates_on=rates.requested_on if rates.rates else None,
        unknown_origin_eur=figures.unknown,
        unused_columns=case.bom.unused_columns,
        number_style=case.bom.number_style,
        declarations=tuple(n.as_dict() for n in case.declaration_notes),
    )


def _unused_note(case: Case) -> list[str]:
    if not case.bom.unused_columns:
        return []
    return [f"Columns of {case.bom.source} not used by the rules: {', '.join(case.bom.unused_columns)}."]
