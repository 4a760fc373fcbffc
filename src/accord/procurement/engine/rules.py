"""The SAFE eligibility rules, one small function per legal concept.

Each rule reads its dated parameters for the assessment date (never today's
date) and returns a ``Check`` naming the article it applies (the parameter's
reference) and the figures it compared. Articles: Council Regulation (EU)
2025/1106 (SAFE); see docs/law/safe-regulation.md and the parameter files under
``accord/rules/safe/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from accord.money import format_eur, format_share
from accord.rules.parameters import ParameterSet

from .advice import Headroom, headroom_of
from .case import Case, Entity
from .countries import (
    AGREEMENT,
    ELIGIBLE,
    EXCLUDED,
    STATUS_LABELS,
    UNKNOWN,
    CountryRules,
)
from .verdict import AgreementUse, Check, OriginCost
from .words import day_text


@dataclass(frozen=True)
class Context:
    case: Case
    params: ParameterSet
    on: dt.date
    countries: CountryRules
    conditions: list[str] = field(default_factory=list)  # what the verdict still depends on

    def value(self, name: str) -> Any:
        return self.params.value(f"safe.{name}", self.on)

    def reference(self, *names: str) -> str:
        """The article(s) applied, marked when the parameter is inferred or secondary."""
        parts = []
        for name in names:
            param = self.params[f"safe.{name}"]
            mark = {"inferred": " [inferred]", "secondary": " [secondary source]"}.get(param.confidence, "")
            text = param.reference + mark
            if param.overridden_by:  # the baseline's source does not support a scenario's value
                text = f"Scenario {param.overridden_by}: {param.label}"
            if text not in parts:
                parts.append(text)
        return "; ".join(parts)


def eur(amount: Fraction | float) -> str:
    return format_eur(amount)


def pct(share: Fraction | float) -> str:
    return format_share(share)


def _exact_parameter(value: Any) -> Fraction:
    try:
        return Fraction(Decimal(str(value)))
    except ArithmeticError:  # decimal.InvalidOperation: a scenario gave text
        raise ValueError(f"{value!r} is not a number") from None


# -- 1. common procurement -------------------------------------------------------


def has_implementing_decision(ctx: Context, code: str) -> bool:
    """A Member State receives SAFE financial assistance once the Council has adopted its
    implementing decision (Regulation (EU) 2025/1106, Art. 15 and 16(1)); an allocation alone
    is not assistance."""
    decisions = ctx.value("loans.implementing_decisions") or {}
    return code in decisions


def loan_receiving_member_states(ctx: Context) -> list[str]:
    """Loan recipients receiving SAFE assistance on the date: a Council implementing decision
    adopted. A recipient with an allocation and no decision yet counts only conditionally:
    the condition is recorded and the verdict says so."""
    allocations = ctx.value("loans.allocations_eur") or {}
    receiving = []
    for code in ctx.case.loan_recipients:
        if has_implementing_decision(ctx, code):
            receiving.append(code)
        elif code in allocations:
            receiving.append(code)
            condition = (
                f"{code} has a SAFE allocation but, on {day_text(ctx.on)}, no Council implementing "
                "decision granting the financial assistance; this verdict holds only once the Council "
                f"adopts {code}'s decision"
            )
            if condition not in ctx.conditions:
                ctx.conditions.append(condition)
    return receiving


def partner_procurers(ctx: Context) -> list[str]:
    """Procurers that can make a procurement common: Member States, EEA-EFTA states, Ukraine."""
    return [c for c in ctx.case.procurers if ctx.countries.is_partner_procurer(c)]


def common_procurement(ctx: Context) -> Check:
    """At least one loan-receiving Member State with at least one other Member State,
    EEA-EFTA state or Ukraine."""
    recipients = loan_receiving_member_states(ctx)
    partners = partner_procurers(ctx)
    reference = ctx.reference(
        "common_procurement.partner_frameworks", "loans.implementing_decisions", "loans.allocations_eur"
    )
    not_receiving = [c for c in ctx.case.loan_recipients if c not in recipients]
    for recipient in recipients:
        others = [p for p in partners if p != recipient]
        if others:
            return Check(
                "common_procurement",
                True,
                reference,
                f"{recipient} receives SAFE loans and procures with {', '.join(others)} "
                "(Member State, EEA-EFTA state or Ukraine): a common procurement.",
            )
    if not recipients:
        why = "no procurer is a Member State receiving SAFE loans on " + day_text(ctx.on)
        if not_receiving:
            why += f" ({', '.join(not_receiving)} has no SAFE allocation or implementing decision)"
    else:
        why = (
            f"{', '.join(recipients)} receives SAFE loans but no other procurer is a Member State, "
            "EEA-EFTA state or Ukraine"
        )
    return Check("common_procurement", False, reference, f"Not a common procurement: {why}.")


# -- 2. transitional single-state window ---------------------------------------------


def single_state_window(ctx: Context) -> Check:
    """A procurement by one Member State alone is allowed only for contracts signed
    by the end of the transitional window (an inferred date)."""
    deadline: dt.date = ctx.value("common_procurement.single_state_contract_deadline")
    reference = ctx.reference("common_procurement.single_state_contract_deadline")
    recipients = loan_receiving_member_states(ctx)
    partners = partner_procurers(ctx)
    signed = ctx.case.contract_signed
    lead = f"Single-state procurement by {partners[0]}" if partners else "Single-state procurement"
    if not recipients:
        return Check(
            "single_state_window",
            False,
            reference,
            f"{lead}: the procurer is not a Member State receiving SAFE loans on {day_text(ctx.on)}.",
        )
    if signed is None:
        return Check(
            "single_state_window",
            False,
            reference,
            f"{lead}: allowed only for a contract signed by {day_text(deadline)}, "
            "and no contract_signed date was given.",
        )
    if signed <= deadline:
        return Check(
            "single_state_window",
            True,
            reference,
            f"{lead}: contract signed {day_text(signed)}, within the transitional window "
            f"(contracts signed by {day_text(deadline)}).",
        )
    return Check(
        "single_state_window",
        False,
        reference,
        f"{lead}: contract signed {day_text(signed)}, after the transitional window closed "
        f"({day_text(deadline)}); a common procurement is needed.",
    )


def additional_procurers(ctx: Context) -> Check | None:
    """Candidates, potential candidates and SDP countries may join as additional procurers;
    no other country may. None when every procurer is a Member State, EEA-EFTA state or Ukraine."""
    partners = set(partner_procurers(ctx))
    extra = [c for c in ctx.case.procurers if c not in partners]
    if not extra:
        return None
    allowed = [c for c in extra if ctx.countries.is_additional_procurer(c)]
    refused = [c for c in extra if c not in allowed]
    reference = ctx.reference("common_procurement.additional_procurer_frameworks")
    if refused:
        return Check(
            "additional_procurers",
            False,
            reference,
            f"{', '.join(refused)} may not join: only candidate, potential candidate and SDP countries "
            "may join a common procurement as additional procurers"
            + (f" ({', '.join(allowed)} may)." if allowed else "."),
        )
    return Check(
        "additional_procurers",
        True,
        reference,
        f"{', '.join(allowed)} join(s) as additional procurer(s) (candidate, potential candidate or SDP country).",
    )


# -- 3. establishment and control -----------------------------------------------------


def entity_is_eligible(ctx: Context, entity: Entity) -> tuple[bool, str]:
    """Established, with executive management, in an eligible country (or one with an agreement)
    and not controlled from a non-associated third country, unless screened with guarantees."""
    countries = ctx.countries
    established_ok = countries.counts_as_eligible_entity(entity.established_in)
    controlled_ok = countries.counts_as_eligible_entity(entity.controlled_from)
    facts = (
        f"established in {countries.label(entity.established_in)}, "
        f"controlled from {countries.label(entity.controlled_from)}"
    )
    if (
        established_ok
        and not controlled_ok
        and entity.guarantees_approved
        and ctx.value("establishment.control_guarantees_accepted")
    ):
        return True, facts + "; control accepted after screening and guarantees"
    return established_ok and controlled_ok, facts


def establishment_and_control(ctx: Context, entity: Entity, role: str) -> Check:
    ok, facts = entity_is_eligible(ctx, entity)
    names = ["eligibility.eligible_frameworks"]
    if entity.guarantees_approved:
        names.append("establishment.control_guarantees_accepted")
    verdict = "eligible" if ok else "not eligible"
    return Check(
        "establishment_and_control",
        ok,
        ctx.reference(*names),
        f"{role.capitalize()} {entity.name}: {facts}: {verdict}.",
    )


def subcontractor_derogation(ctx: Context, entity: Entity) -> Check:
    """A non-eligible subcontractor holding 15-35% of the contract value may take part if it
    had a direct contract with the contractor before 29 May 2025, or the contractor commits
    to study its replacement (both ends of the range included)."""
    low = float(ctx.value("establishment.derogation_min_share"))
    high = float(ctx.value("establishment.derogation_max_share"))
    cutoff: dt.date = ctx.value("establishment.derogation_contract_before")
    years = ctx.value("establishment.replacement_study_years")
    reference = ctx.reference("establishment.derogation_min_share")
    _, facts = entity_is_eligible(ctx, entity)
    share = entity.share_of_contract_value or Fraction(0)
    lead = f"Subcontractor {entity.name}: {facts}, not eligible itself; it holds {pct(share)} of the contract value"
    if not (_exact_parameter(low) <= share <= _exact_parameter(high)):
        return Check(
            "subcontractor_derogation",
            False,
            reference,
            f"{lead}, outside the {pct(low)}-{pct(high)} range of the derogation.",
        )
    grounds = []
    if entity.contract_before is not None and entity.contract_before < cutoff:
        grounds.append(
            f"direct contract with the contractor since {day_text(entity.contract_before)}, before {day_text(cutoff)}"
        )
    if entity.replacement_study_committed:
        grounds.append(f"the contractor commits to study its replacement within {years} years")
    if grounds:
        return Check(
            "subcontractor_derogation",
            True,
            reference,
            f"{lead}, within the {pct(low)}-{pct(high)} range, and " + "; ".join(grounds) + ".",
        )
    before = (
        f"its contract dates from {day_text(entity.contract_before)}, not before {day_text(cutoff)}"
        if entity.contract_before
        else "no contract before " + day_text(cutoff) + " is given"
    )
    return Check(
        "subcontractor_derogation",
        False,
        reference,
        f"{lead}, within the range, but {before} and no replacement study is committed.",
    )


# -- 4. component cost (with 7. participation agreements) ----------------------------------


@dataclass(frozen=True)
class ComponentCost:
    """Exact figures (``Fraction`` of euros): the rule compares them unrounded."""

    total: Fraction
    non_eligible: Fraction
    cap: Fraction
    origins: tuple[OriginCost, ...]
    agreements: tuple[AgreementUse, ...]
    unknown: Fraction = Fraction(0)  # of non_eligible: cost whose origin the BOM does not give

    @property
    def limit(self) -> Fraction:
        return self.cap * self.total

    @property
    def headroom(self) -> Headroom:
        """The three figures a firm can act on (issue 10): see ``advice.headroom_of``."""
        caps = [
            (use.cost_eur, None if use.component_cap is None else _exact_parameter(use.component_cap))
            for use in self.agreements
        ]
        return headroom_of(self.total, self.non_eligible, self.cap, caps)

    @property
    def share(self) -> Fraction:
        return self.non_eligible / self.total if self.total else Fraction(0)

    @property
    def passed(self) -> bool:
        # Art. 16(10): "not higher than 35%", on the figures as they are, not as displayed.
        return self.non_eligible <= self.limit


def component_cost_figures(ctx: Context, cost_by_origin: dict[str, Fraction]) -> ComponentCost:
    """Split the component cost (euros, exact) by origin status. An agreement country's
    components count as eligible up to cap x total component cost; the excess counts as
    non-eligible. Cost of unknown origin ("") counts as non-eligible: the worst case."""
    total = sum(cost_by_origin.values(), Fraction(0))
    origins: list[OriginCost] = []
    uses: list[AgreementUse] = []
    for origin, cost in sorted(cost_by_origin.items()):
        status = UNKNOWN if not origin else ctx.countries.status(origin)
        if status == ELIGIBLE:
            non_eligible = Fraction(0)
        elif status == AGREEMENT:
            agreement = ctx.countries.agreements[origin]
            cap = None if agreement.component_cap is None else _exact_parameter(agreement.component_cap)
            allowed = cost if cap is None else min(cost, cap * total)
            non_eligible = max(cost - allowed, Fraction(0))
            uses.append(
                AgreementUse(
                    country=origin,
                    in_force_from=agreement.in_force_from,
                    component_cap=agreement.component_cap,
                    financial_contribution_eur=agreement.financial_contribution_eur,
                    cost_eur=cost,
                    counted_eligible_eur=cost - non_eligible,
                    counted_non_eligible_eur=non_eligible,
                    reference=agreement.reference,
                )
            )
        else:
            non_eligible = cost
        origins.append(OriginCost(origin=origin, cost_eur=cost, status=status, non_eligible_eur=non_eligible))
    return ComponentCost(
        total=total,
        non_eligible=sum((o.non_eligible_eur for o in origins), Fraction(0)),
        cap=_exact_parameter(ctx.value("component_cost.non_eligible_cap")),
        origins=tuple(origins),
        agreements=tuple(uses),
        unknown=cost_by_origin.get("", Fraction(0)),
    )


def component_cost(ctx: Context, figures: ComponentCost) -> Check:
    """The cost of components originating outside the EU, EEA-EFTA states and Ukraine is not
    higher than 35% of the estimated cost of the components of the end product."""
    names = ["component_cost.non_eligible_cap"]
    names += [f"participation.{use.country}.in_force" for use in figures.agreements]
    parts = [
        f"Non-eligible component cost {eur(figures.non_eligible)} is {pct(figures.share)} of the estimated "
        f"component cost {eur(figures.total)}; the limit is {pct(figures.cap)} ({eur(figures.limit)})"
    ]
    shown = figures.headroom.shown()
    if figures.passed:
        extra = shown["extra_non_eligible_eur"]
        parts.append(
            f"within it: a new non-eligible component of up to {eur(extra)} would still pass"
            if extra is not None
            else "within it"
        )
    else:
        cut = shown["price_cut_eur"]
        parts.append(
            f"over it: move {eur(shown['resource_eur'])} of non-eligible cost to eligible origins at the same price"
            + (f", or cut non-eligible prices by {eur(cut)}" if cut is not None else "")
        )
    text = "; ".join(parts) + "."
    counted = [o for o in figures.origins if o.non_eligible_eur > 0 and o.status != AGREEMENT]
    if counted:
        text += (
            " Non-eligible: "
            + ", ".join(
                f"{o.origin or 'origin not given'} {eur(o.non_eligible_eur)} ({STATUS_LABELS[o.status]})"
                for o in counted
            )
            + "."
        )
    if figures.unknown:
        text += (
            f" {eur(figures.unknown)} of components have no origin in the BOM and are counted as "
            "non-eligible (the worst case); give their origin to count them as they are."
        )
    for use in figures.agreements:
        cap = "no cap" if use.component_cap is None else f"cap {pct(use.component_cap)} of component cost"
        if use.counted_non_eligible_eur > 0:
            text += (
                f" {use.country} {eur(use.cost_eur)} under its participation agreement ({cap}): "
                f"{eur(use.counted_eligible_eur)} counts as eligible, the excess "
                f"{eur(use.counted_non_eligible_eur)} as non-eligible."
            )
        else:
            text += f" {use.country} {eur(use.cost_eur)} counts as eligible under its participation agreement ({cap})."
    return Check("component_cost", figures.passed, ctx.reference(*names), text)


# -- 5. design authority ----------------------------------------------------------------------


def design_authority(ctx: Context) -> Check:
    """For Category 2 products the contractor must be able to define and modify the design
    without restriction from a non-eligible third country."""
    categories = [int(c) for c in ctx.value("design_authority.categories")]
    reference = ctx.reference("design_authority.categories")
    category = ctx.case.category
    if category not in categories:
        return Check(
            "design_authority",
            True,
            reference,
            f"Category {category} product: design authority is required for Category "
            f"{', '.join(map(str, categories))} products only.",
        )
    held_in = ctx.case.contractor.design_authority_in
    if held_in is None:
        return Check(
            "design_authority",
            False,
            reference,
            f"Category {category} product: the contractor's design authority must be shown "
            "(design_authority_in is missing).",
        )
    ok = ctx.countries.counts_as_eligible_entity(held_in)
    return Check(
        "design_authority",
        ok,
        reference,
        f"Category {category} product: design authority held in {ctx.countries.label(held_in)}: "
        + ("the contractor can define and modify the design." if ok else "restricted by a non-eligible third country."),
    )


# -- 6. excluded third countries -----------------------------------------------------------------


def excluded_third_country(ctx: Context, figures: ComponentCost) -> Check:
    """No component, contractor or subcontractor from a third country excluded because it
    poses a threat to the security of the Union."""
    reference = ctx.reference("exclusion.excluded_third_countries")
    listed = ctx.countries.excluded_sorted
    if not listed:
        return Check(
            "excluded_third_country",
            True,
            reference,
            f"No third country is listed as excluded on {day_text(ctx.on)}.",
        )
    findings = [f"components from {o.origin} ({eur(o.cost_eur)})" for o in figures.origins if o.status == EXCLUDED]
    case = ctx.case
    for role, entity in [("contractor", case.contractor)] + [("subcontractor", s) for s in case.subcontractors]:
        for what, code in (
            ("established in", entity.established_in),
            ("controlled from", entity.controlled_from),
            ("design authority in", entity.design_authority_in),
        ):
            if code in ctx.countries.excluded:
                findings.append(f"{role} {entity.name} {what} {code}")
    if findings:
        return Check(
            "excluded_third_country",
            False,
            reference,
            f"Excluded third countries ({', '.join(listed)}): " + "; ".join(findings) + ".",
        )
    return Check(
        "excluded_third_country", True, reference, f"Nothing from the excluded third countries ({', '.join(listed)})."
    )
