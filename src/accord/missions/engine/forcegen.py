"""Force generation: fill a statement of requirements from offers.

An integer programme solved with OR-Tools CP-SAT, with two priorities kept
exact (lexicographic) by weighting:

1. fill as many required units as possible, respecting every caveat
   (excluded tasks and areas, availability window, maximum duration) and the
   cap on any one contributor's share (``missions.forcegen.max_contributor_share``);
2. among the allocations that fill that many, prefer earlier availability:
   minimise the sum over allocated units of the days between the earliest
   offer date and the offer's ``available_from``.

Whatever stays unfilled is reported as a gap with the reason for every offer
of that capability that did not fill it. An infeasible or empty set is a
result with gaps, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from accord.rules.parameters import ParameterSet, load_parameters

from .forcegen_input import ForceGenerationInput, KnownParties, Offer, Requirement
from .workflow import EU_FRAMEWORK, FPA_FRAMEWORK

SHARE_PARAMETER = "missions.forcegen.max_contributor_share"
SOLVER_NAME = "OR-Tools CP-SAT"
SOLVER_TIME_LIMIT_S = 20.0  # a safety net; small statements solve in milliseconds


# ------------------------------------------------------------ caveats


def caveat_conflicts(offer: Offer, req: Requirement) -> list[str]:
    """Why ``offer`` cannot fill ``req`` (empty: it can). Same capability assumed.

    Each reason is one caveat of the EU Concept for Force Generation: tasks or
    areas the contributor excludes, its time window, its maximum duration.
    """
    reasons = []
    if req.job_description != offer.job_description:
        reasons.append(f"offers job description {offer.job_description}, not {req.job_description}")
    excluded = sorted(req.tasks & offer.excluded_tasks)
    if excluded:
        reasons.append(f"excludes task {', '.join(excluded)}")
    if req.area is not None and req.area in offer.excluded_areas:
        reasons.append(f"excludes area {req.area}")
    if offer.available_from > req.needed_from:
        reasons.append(
            f"available from {offer.available_from.isoformat()}, after the requirement starts on {req.needed_from.isoformat()}"
        )
    if offer.available_until is not None and offer.available_until < req.needed_until:
        reasons.append(
            f"available until {offer.available_until.isoformat()}, before the requirement ends on {req.needed_until.isoformat()}"
        )
    if offer.max_duration_days is not None and offer.max_duration_days < req.duration_days:
        reasons.append(f"maximum duration {offer.max_duration_days} days, the requirement needs {req.duration_days}")
    return reasons


def contributor_cap_units(share: Fraction, total_required: int) -> int:
    """Units one contributor may fill: floor(share x total), at least one
    (so a single-unit requirement can be filled at all)."""
    return max(1, math.floor(share * total_required))


# ------------------------------------------------------------ result


@dataclass(frozen=True)
class Allocation:
    offer: Offer
    requirement: Requirement
    quantity: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "offer": self.offer.id,
            "party": self.offer.party,
            "requirement": self.requirement.id,
            "capability": self.requirement.capability,
            "job_description": self.requirement.job_description,
            "quantity": self.quantity,
            "available_from": self.offer.available_from.isoformat(),
        }


@dataclass(frozen=True)
class Gap:
    requirement: Requirement
    missing: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement.id,
            "capability": self.requirement.capability,
            "job_description": self.requirement.job_description,
            "required": self.requirement.quantity,
            "missing": self.missing,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class ForceGenerationResult:
    input: ForceGenerationInput
    allocations: tuple[Allocation, ...]
    gaps: tuple[Gap, ...]
    share: Fraction
    share_source: str  # "file" or "parameter"
    share_reference: str
    cap_units: int
    solver_status: str
    contributors: tuple[dict[str, Any], ...]

    @property
    def total_required(self) -> int:
        return sum(r.quantity for r in self.input.requirements)

    @property
    def total_filled(self) -> int:
        return sum(a.quantity for a in self.allocations)

    def filled(self, requirement_id: str) -> int:
        return sum(a.quantity for a in self.allocations if a.requirement.id == requirement_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mission": self.input.mission,
            "date": self.input.date.isoformat(),
            "max_contributor_share": {
                "value": float(self.share),
                "source": self.share_source,
                "reference": self.share_reference,
                "cap_units": self.cap_units,
            },
            "requirements": [
                {**r.as_dict(), "filled": self.filled(r.id), "missing": r.quantity - self.filled(r.id)}
                for r in self.input.requirements
            ],
            "allocations": [a.as_dict() for a in self.allocations],
            "gaps": [g.as_dict() for g in self.gaps],
            "contributors": list(self.contributors),
            "totals": {
                "required": self.total_required,
                "filled": self.total_filled,
                "missing": self.total_required - self.total_filled,
            },
            "solver": {"engine": SOLVER_NAME, "status": self.solver_status},
        }


# ------------------------------------------------------------ solver


def _solve(model: cp_model.CpModel) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # deterministic: the same input gives the same allocation
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = SOLVER_TIME_LIMIT_S
    return solver, solver.Solve(model)


def _build(inp: ForceGenerationInput, cap_units: int):
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_offer: dict[int, list] = {}
    by_req: dict[int, list] = {}
    by_party: dict[str, list] = {}
    for oi, offer in enumerate(inp.offers):
        for ri, req in enumerate(inp.requirements):
            if offer.capability == req.capability and not caveat_conflicts(offer, req):
                v = model.NewIntVar(0, min(offer.quantity, req.quantity), f"x_{oi}_{ri}")
                x[oi, ri] = v
                by_offer.setdefault(oi, []).append(v)
                by_req.setdefault(ri, []).append(v)
                by_party.setdefault(offer.party, []).append(v)
    for oi, terms in by_offer.items():  # an offer gives at most what it offers
        model.Add(cp_model.LinearExpr.Sum(terms) <= inp.offers[oi].quantity)
    for ri, terms in by_req.items():  # a requirement takes at most what it asks
        model.Add(cp_model.LinearExpr.Sum(terms) <= inp.requirements[ri].quantity)
    for party in sorted(by_party):  # the contributor cap
        model.Add(cp_model.LinearExpr.Sum(by_party[party]) <= cap_units)
    return model, x


def _lead_days(inp: ForceGenerationInput) -> list[int]:
    if not inp.offers:
        return []
    earliest = min(o.available_from for o in inp.offers)
    return [(o.available_from - earliest).days for o in inp.offers]


def optimise(
    inp: ForceGenerationInput,
    *,
    registry: KnownParties,
    params: ParameterSet | None = None,
) -> ForceGenerationResult:
    params = params or load_parameters("missions")
    if inp.max_contributor_share is not None:
        share, share_source = inp.max_contributor_share, "file"
    else:
        share, share_source = Fraction(str(params.value(SHARE_PARAMETER, inp.date))), "parameter"
    total_required = sum(r.quantity for r in inp.requirements)
    cap_units = contributor_cap_units(share, total_required)

    model, x = _build(inp, cap_units)
    values: dict[tuple[int, int], int] = {}
    status_name = "OPTIMAL"
    if x:
        keys = list(x)
        lead = _lead_days(inp)
        # One solve with exact priorities: each unit filled is worth more than
        # the largest possible total of lead days (units required x longest
        # lead), so no saving in lead days can buy an unfilled unit.
        unit_worth = total_required * max(lead) + 1
        filled = cp_model.LinearExpr.Sum([x[k] for k in keys])
        lead_days = cp_model.LinearExpr.WeightedSum([x[k] for k in keys], [lead[k[0]] for k in keys])
        model.Maximize(unit_worth * filled - lead_days)
        solver, status = _solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = {k: int(solver.Value(v)) for k, v in x.items()}
        # FEASIBLE: the time limit stopped the search; anything else: reported, never raised
        status_name = solver.StatusName(status)

    allocations = tuple(
        Allocation(inp.offers[oi], inp.requirements[ri], q)
        for (oi, ri), q in sorted(values.items())
        if q > 0
    )
    gaps = tuple(_gaps(inp, allocations, cap_units, share))
    return ForceGenerationResult(
        input=inp,
        allocations=allocations,
        gaps=gaps,
        share=share,
        share_source=share_source,
        share_reference=params[SHARE_PARAMETER].reference,
        cap_units=cap_units,
        solver_status=status_name,
        contributors=tuple(_contributors(inp, allocations, registry, total_required)),
    )


# ------------------------------------------------------------ gaps and contributors


def _gaps(inp: ForceGenerationInput, allocations: tuple[Allocation, ...], cap_units: int, share: Fraction) -> list[Gap]:
    used_by_offer: dict[str, int] = {}
    used_by_party: dict[str, int] = {}
    for a in allocations:
        used_by_offer[a.offer.id] = used_by_offer.get(a.offer.id, 0) + a.quantity
        used_by_party[a.offer.party] = used_by_party.get(a.offer.party, 0) + a.quantity
    gaps = []
    for req in inp.requirements:
        filled = sum(a.quantity for a in allocations if a.requirement.id == req.id)
        missing = req.quantity - filled
        if missing <= 0:
            continue
        same = [o for o in inp.offers if o.capability == req.capability]
        reasons: list[str] = []
        if not same:
            what = f"{req.capability} ({req.job_description})" if req.job_description else req.capability
            reasons.append(f"no offer of {what}")
        for offer in same:
            label = f"offer {offer.id} ({offer.party})"
            conflicts = caveat_conflicts(offer, req)
            if conflicts:
                reasons.append(f"{label}: {'; '.join(conflicts)}")
                continue
            spare = offer.quantity - used_by_offer.get(offer.id, 0)
            if offer.quantity == 0:
                reasons.append(f"{label}: offers no units")
            elif spare <= 0:
                elsewhere = [
                    f"{a.requirement.id} x{a.quantity}" for a in allocations
                    if a.offer.id == offer.id and a.requirement.id != req.id
                ]
                where = f" (to {', '.join(elsewhere)})" if elsewhere else ""
                reasons.append(f"{label}: all {offer.quantity} units allocated{where}")
            elif used_by_party.get(offer.party, 0) >= cap_units:
                reasons.append(
                    f"{label}: {offer.party} has reached the cap of {cap_units} units "
                    f"(maximum share {float(share):g} of {sum(r.quantity for r in inp.requirements)} units required)"
                )
            else:
                reasons.append(f"{label}: not used although compatible (solver stopped before optimality)")
        gaps.append(Gap(req, missing, tuple(reasons)))
    return gaps


def _contributors(
    inp: ForceGenerationInput, allocations: tuple[Allocation, ...], registry: KnownParties, total_required: int
) -> list[dict[str, Any]]:
    rows = []
    for party in sorted({o.party for o in inp.offers}):
        units = sum(a.quantity for a in allocations if a.offer.party == party)
        member = registry.is_member(party, EU_FRAMEWORK, on=inp.date)
        fpa = registry.is_member(party, FPA_FRAMEWORK, on=inp.date)
        rows.append(
            {
                "party": party,
                "units_offered": sum(o.quantity for o in inp.offers if o.party == party),
                "units_allocated": units,
                "share": round(units / total_required, 4) if total_required else 0.0,
                "eu_member_state": member,
                "fpa_in_force": fpa,
                # docs/law/csdp.md#framework-participation-agreements: a third state without an FPA needs a
                # mission-specific agreement before its contribution is accepted.
                "needs_mission_agreement": (not member) and (not fpa),
            }
        )
    return rows
