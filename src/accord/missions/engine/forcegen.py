"""Force generation: fill a statement of requirements from offers, as it is done.

An integer programme solved with OR-Tools CP-SAT, priorities kept exact
(lexicographic) by weighting:

1. fill as many required units as possible, higher-priority requirements first
   (``priority`` 1 before 2 ...), respecting every caveat (excluded tasks and
   areas, availability window, maximum duration), the invitation rule (a
   third state's offer counts only if the state is invited to the mission;
   Member States take part by right) and the cap on a contributor's share,
   weighed in personnel (``missions.forcegen.max_contributor_share``), which
   applies to third states only unless ``missions.forcegen.cap_applies_to``
   says "all";
2. among those, prefer earlier availability (the days between the earliest
   offer date and the offer's ``available_from``) and fewer units.

A requirement with ``rotation`` may be filled by successive contributions
that together cover its whole period without a gap, each hand-over
overlapping by ``missions.forcegen.handover_overlap_days`` (Austria from March
to August and Ireland from September to February fill a year). Offers marked
``reserve`` are never allocated; they are listed against the requirements
they could fill. Whatever stays unfilled is a gap with the reason for every
offer of that capability. An infeasible or empty set is a result with gaps,
never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from accord.rules.parameters import ParameterSet, load_parameters

from . import words
from .catalogues import load_catalogues
from .forcegen_input import ForceGenerationInput, KnownParties, Offer, Requirement
from .workflow import EU_FRAMEWORK, FPA_FRAMEWORK

SHARE_PARAMETER = "missions.forcegen.max_contributor_share"
CAP_APPLIES_PARAMETER = "missions.forcegen.cap_applies_to"
OVERLAP_PARAMETER = "missions.forcegen.handover_overlap_days"
SOLVER_NAME = "OR-Tools CP-SAT"
SOLVER_TIME_LIMIT_S = 20.0  # a safety net; small statements solve in milliseconds
DAY = dt.timedelta(days=1)


# ------------------------------------------------------------ caveats


def fixed_conflicts(offer: Offer, req: Requirement) -> list[str]:
    """Caveats that no timing can cure: job description, excluded tasks and areas."""
    reasons = []
    if req.job_description != offer.job_description:
        reasons.append(
            f"offers {capability_words(offer.capability, offer.job_description)}, "
            f"not {capability_words(req.capability, req.job_description)}"
        )
    excluded = sorted(req.tasks & offer.excluded_tasks)
    if excluded:
        reasons.append(f"excludes task {', '.join(excluded)}")
    if req.area is not None and req.area in offer.excluded_areas:
        reasons.append(f"excludes area {req.area}")
    return reasons


def capability_words(capability: str, job_description: str | None = None) -> str:
    """A capability (and standard job description) by its catalogue title, the code only if unknown."""
    catalogues = load_catalogues()
    if job_description:
        jd = catalogues.job_description(job_description)
        return f"a {jd.title.lower()} post" if jd is not None else f"the post {job_description}"
    cap = catalogues.capability(capability)
    return cap.label if cap is not None else capability


def time_conflicts(offer: Offer, req: Requirement) -> list[str]:
    """Why ``offer`` cannot serve the whole period of ``req`` on its own."""
    reasons = []
    if offer.available_from > req.needed_from:
        reasons.append(
            f"available from {words.day(offer.available_from)}, after the requirement starts on {words.day(req.needed_from)}"
        )
    if offer.available_until is not None and offer.available_until < req.needed_until:
        reasons.append(
            f"available until {words.day(offer.available_until)}, before the requirement ends on {words.day(req.needed_until)}"
        )
    if offer.max_duration_days is not None and offer.max_duration_days < req.duration_days:
        reasons.append(f"maximum duration {offer.max_duration_days} days, the requirement needs {req.duration_days}")
    return reasons


def caveat_conflicts(offer: Offer, req: Requirement) -> list[str]:
    """Why ``offer`` cannot fill ``req`` alone for its whole period (empty: it can). Same capability assumed.

    Each reason is one caveat of the EU Concept for Force Generation: tasks or
    areas the contributor excludes, its time window, its maximum duration.
    """
    return fixed_conflicts(offer, req) + time_conflicts(offer, req)


def service_period(offer: Offer, req: Requirement) -> tuple[dt.date, dt.date] | None:
    """The part of the requirement's period the offer can serve (None: none of it)."""
    start = max(offer.available_from, req.needed_from)
    end = req.needed_until
    if offer.available_until is not None:
        end = min(end, offer.available_until)
    if offer.max_duration_days is not None:
        end = min(end, start + (offer.max_duration_days - 1) * DAY)
    return (start, end) if start <= end else None


def rotation_cover(offer: Offer, req: Requirement, overlap_days: int) -> tuple[dt.date, dt.date] | None:
    """The days a contribution counts as covering a rotating requirement: its service
    period, less the hand-over days at its end when someone must take over."""
    period = service_period(offer, req)
    if period is None:
        return None
    start, end = period
    if end < req.needed_until:
        end -= overlap_days * DAY  # the next contingent must already be there for the hand-over
    return (start, end) if start <= end else None


def contributor_cap_units(share: Fraction, total_required: int) -> int:
    """Units (or personnel) one contributor may fill: floor(share x total), at least one
    (so a single-unit requirement can be filled at all)."""
    return max(1, math.floor(share * total_required))


def contributor_cap_personnel(share: Fraction, requirements: tuple[Requirement, ...]) -> int:
    """Personnel one capped contributor may provide: floor(share x personnel required),
    never below the largest single unit, so that any one unit can be filled."""
    total = sum(r.quantity * r.personnel_per_unit for r in requirements)
    largest = max((r.personnel_per_unit for r in requirements if r.quantity), default=1)
    return max(largest, math.floor(share * total))


def may_take_part(party: str, inp: ForceGenerationInput, registry: KnownParties) -> bool:
    """Member States take part by right; a third state only once invited to the mission."""
    return registry.is_member(party, EU_FRAMEWORK, on=inp.date) or party in inp.invited


# ------------------------------------------------------------ result


@dataclass(frozen=True)
class Allocation:
    offer: Offer
    requirement: Requirement
    quantity: int
    serves_from: dt.date | None = None
    serves_until: dt.date | None = None

    @property
    def personnel(self) -> int:
        return self.quantity * self.offer.personnel_per_unit

    def as_dict(self) -> dict[str, Any]:
        return {
            "offer": self.offer.id,
            "party": self.offer.party,
            "requirement": self.requirement.id,
            "capability": self.requirement.capability,
            "job_description": self.requirement.job_description,
            "quantity": self.quantity,
            "personnel": self.personnel,
            "available_from": self.offer.available_from.isoformat(),
            "serves_from": self.serves_from.isoformat() if self.serves_from else None,
            "serves_until": self.serves_until.isoformat() if self.serves_until else None,
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
    cap_units: int  # the cap, in personnel (a staff officer post is 1, an infantry company about 150)
    solver_status: str
    contributors: tuple[dict[str, Any], ...]
    fills: tuple[tuple[str, int], ...] = ()  # requirement id -> units filled
    cap_applies_to: str = "third_states"
    handover_overlap_days: int = 0
    reserves: tuple[dict[str, Any], ...] = ()

    @property
    def total_required(self) -> int:
        return sum(r.quantity for r in self.input.requirements)

    @property
    def total_filled(self) -> int:
        return sum(self.filled(r.id) for r in self.input.requirements)

    def filled(self, requirement_id: str) -> int:
        return dict(self.fills).get(requirement_id, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mission": self.input.mission,
            "date": self.input.date.isoformat(),
            "max_contributor_share": {
                "value": float(self.share),
                "source": self.share_source,
                "reference": self.share_reference,
                "cap_units": self.cap_units,
                "cap_personnel": self.cap_units,
                "applies_to": self.cap_applies_to,
            },
            "handover_overlap_days": self.handover_overlap_days,
            "reserves": list(self.reserves),
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
    # The model is an assignment with side constraints (rotations, caps) whose LP relaxation is
    # tight: solving it at every node (level 2) proves the optimum about four times sooner on the
    # 120 x 600 benchmark (benchmarks/missions_forcegen.py), with the same answer.
    solver.parameters.linearization_level = 2
    return solver, solver.Solve(model)


def _eligible(inp: ForceGenerationInput, registry: KnownParties, overlap_days: int):
    """(offer index, requirement index) -> the period it serves, for every offer that may serve."""
    pairs = {}
    allowed = {party: may_take_part(party, inp, registry) for party in {o.party for o in inp.offers}}
    for oi, offer in enumerate(inp.offers):
        if offer.reserve or not allowed[offer.party]:
            continue
        for ri, req in enumerate(inp.requirements):
            if offer.capability != req.capability or fixed_conflicts(offer, req):
                continue
            if req.rotation:
                cover = rotation_cover(offer, req, overlap_days)
                if cover is not None:
                    pairs[oi, ri] = cover
            elif not time_conflicts(offer, req):
                pairs[oi, ri] = (req.needed_from, req.needed_until)
    return pairs


def _build(inp: ForceGenerationInput, pairs, capped: set[str], cap: int):
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    fill: dict[int, cp_model.IntVar] = {}
    by_offer: dict[int, list[cp_model.IntVar]] = {}
    by_req: dict[int, dict[int, cp_model.IntVar]] = {}
    for oi, ri in sorted(pairs):
        x[oi, ri] = model.NewIntVar(0, min(inp.offers[oi].quantity, inp.requirements[ri].quantity), f"x_{oi}_{ri}")
        by_offer.setdefault(oi, []).append(x[oi, ri])
        by_req.setdefault(ri, {})[oi] = x[oi, ri]
    for oi, terms in by_offer.items():  # an offer gives at most what it offers
        model.Add(cp_model.LinearExpr.Sum(terms) <= inp.offers[oi].quantity)
    for ri, req in enumerate(inp.requirements):
        fill[ri] = model.NewIntVar(0, req.quantity, f"fill_{ri}")
        mine = by_req.get(ri, {})
        if not req.rotation:
            model.Add(fill[ri] == cp_model.LinearExpr.Sum(list(mine.values())))
            continue
        # Rotation: on every stretch of the period, the units present bound the units filled.
        cuts = {req.needed_from, req.needed_until + DAY}
        for oi in mine:
            start, end = pairs[oi, ri]
            cuts |= {start, end + DAY}
        points = sorted(c for c in cuts if req.needed_from <= c <= req.needed_until + DAY)
        for a, b in zip(points, points[1:], strict=False):
            present = [v for oi, v in mine.items() if pairs[oi, ri][0] <= a and b - DAY <= pairs[oi, ri][1]]
            model.Add(fill[ri] <= cp_model.LinearExpr.Sum(present)) if present else model.Add(fill[ri] == 0)
    for party in sorted(capped):  # the contributor cap, in personnel
        terms = [(v, inp.offers[oi].personnel_per_unit) for (oi, _), v in x.items() if inp.offers[oi].party == party]
        if terms:
            model.Add(cp_model.LinearExpr.WeightedSum([v for v, _ in terms], [w for _, w in terms]) <= cap)
    return model, x, fill


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
    applies_to = params.value(CAP_APPLIES_PARAMETER, inp.date)
    overlap_days = int(params.value(OVERLAP_PARAMETER, inp.date))
    cap = contributor_cap_personnel(share, inp.requirements)
    parties = {o.party for o in inp.offers}
    capped = {p for p in parties if applies_to == "all" or not registry.is_member(p, EU_FRAMEWORK, on=inp.date)}

    pairs = _eligible(inp, registry, overlap_days)
    model, x, fill = _build(inp, pairs, capped, cap)
    values: dict[tuple[int, int], int] = {}
    fills = {ri: 0 for ri in range(len(inp.requirements))}
    status_name = "OPTIMAL"
    if x:
        keys = list(x)
        lead = _lead_days(inp)
        # Exact priorities: the secondary terms (lead days and units used) are bounded by
        # ``worth``; a unit filled at a priority level is worth more than everything below it.
        worth = sum(min(inp.offers[oi].quantity, inp.requirements[ri].quantity) * (lead[oi] + 1) for oi, ri in keys) + 1
        weight: dict[int, int] = {}
        for level in sorted({r.priority for r in inp.requirements}, reverse=True):
            weight[level] = worth
            worth *= sum(r.quantity for r in inp.requirements if r.priority == level) + 1
        filled = cp_model.LinearExpr.WeightedSum(
            [fill[ri] for ri in fill], [weight[inp.requirements[ri].priority] for ri in fill]
        )
        cost = cp_model.LinearExpr.WeightedSum([x[k] for k in keys], [lead[k[0]] + 1 for k in keys])
        model.Maximize(filled - cost)
        solver, status = _solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = {k: int(solver.Value(v)) for k, v in x.items()}
            fills = {ri: int(solver.Value(v)) for ri, v in fill.items()}
        # FEASIBLE: the time limit stopped the search; anything else: reported, never raised
        status_name = solver.StatusName(status)

    allocations = []
    for (oi, ri), q in sorted(values.items()):
        if q > 0:
            start, end = service_period(inp.offers[oi], inp.requirements[ri])
            allocations.append(Allocation(inp.offers[oi], inp.requirements[ri], q, start, end))
    allocations = tuple(allocations)
    fill_by_id = tuple((inp.requirements[ri].id, q) for ri, q in sorted(fills.items()))
    gaps = tuple(_gaps(inp, allocations, dict(fill_by_id), cap, share, capped, registry, overlap_days))
    return ForceGenerationResult(
        input=inp,
        allocations=allocations,
        gaps=gaps,
        share=share,
        share_source=share_source,
        share_reference=params[SHARE_PARAMETER].reference,
        cap_units=cap,
        solver_status=status_name,
        contributors=tuple(_contributors(inp, allocations, registry, capped)),
        fills=fill_by_id,
        cap_applies_to=applies_to,
        handover_overlap_days=overlap_days,
        reserves=tuple(_reserves(inp, overlap_days)),
    )


def _reserves(inp: ForceGenerationInput, overlap_days: int) -> list[dict[str, Any]]:
    rows = []
    for offer in inp.offers:
        if not offer.reserve:
            continue
        for req in inp.requirements:
            if (
                offer.capability == req.capability
                and not fixed_conflicts(offer, req)
                and (rotation_cover(offer, req, overlap_days) if req.rotation else not time_conflicts(offer, req))
            ):
                rows.append(
                    {"offer": offer.id, "party": offer.party, "requirement": req.id, "quantity": offer.quantity}
                )
    return rows


# ------------------------------------------------------------ gaps and contributors


def _gaps(inp, allocations, fills, cap, share, capped, registry, overlap_days) -> list[Gap]:
    used_by_offer: dict[str, int] = {}
    personnel_by_party: dict[str, int] = {}
    for a in allocations:
        used_by_offer[a.offer.id] = used_by_offer.get(a.offer.id, 0) + a.quantity
        personnel_by_party[a.offer.party] = personnel_by_party.get(a.offer.party, 0) + a.personnel
    gaps = []
    for req in inp.requirements:
        missing = req.quantity - fills.get(req.id, 0)
        if missing <= 0:
            continue
        same = [o for o in inp.offers if o.capability == req.capability]
        reasons: list[str] = []
        if not same:
            reasons.append(f"no offer of {capability_words(req.capability, req.job_description)}")
        for offer in same:
            name = words.party_name(registry, offer.party)
            label = f"offer {offer.id} ({name})"
            if offer.reserve:
                reasons.append(f"{label}: held in reserve")
                continue
            if not may_take_part(offer.party, inp, registry):
                reasons.append(
                    f"{label}: {words.capitalised(name)} is neither an EU Member State nor invited to the mission"
                )
                continue
            conflicts = fixed_conflicts(offer, req)
            if req.rotation:
                if not conflicts and rotation_cover(offer, req, overlap_days) is None:
                    conflicts = ["serves none of the period needed"]
            else:
                conflicts += time_conflicts(offer, req)
            if conflicts:
                reasons.append(f"{label}: {'; '.join(conflicts)}")
                continue
            spare = offer.quantity - used_by_offer.get(offer.id, 0)
            if offer.quantity == 0:
                reasons.append(f"{label}: offers no units")
            elif spare <= 0:
                elsewhere = [
                    f"{a.requirement.id}, {a.quantity} {'unit' if a.quantity == 1 else 'units'}"
                    for a in allocations
                    if a.offer.id == offer.id and a.requirement.id != req.id
                ]
                where = f" (to {', '.join(elsewhere)})" if elsewhere else ""
                units = "its one unit is" if offer.quantity == 1 else f"all {offer.quantity} units are"
                reasons.append(f"{label}: {units} allocated{where}")
            elif offer.party in capped and personnel_by_party.get(offer.party, 0) + offer.personnel_per_unit > cap:
                reasons.append(
                    f"{label}: {words.capitalised(name)} has reached the cap of {cap} personnel "
                    f"(maximum share {float(share):g} of the personnel required)"
                )
            elif req.rotation:
                reasons.append(f"{label}: serves only part of the period and no contribution covers the rest")
            else:
                reasons.append(f"{label}: not used although compatible (solver stopped before optimality)")
        gaps.append(Gap(req, missing, tuple(reasons)))
    return gaps


def _contributors(
    inp: ForceGenerationInput, allocations: tuple[Allocation, ...], registry: KnownParties, capped: set[str]
) -> list[dict[str, Any]]:
    rows = []
    total_personnel = sum(r.quantity * r.personnel_per_unit for r in inp.requirements)
    for party in sorted({o.party for o in inp.offers}):
        units = sum(a.quantity for a in allocations if a.offer.party == party)
        personnel = sum(a.personnel for a in allocations if a.offer.party == party)
        member = registry.is_member(party, EU_FRAMEWORK, on=inp.date)
        fpa = registry.is_member(party, FPA_FRAMEWORK, on=inp.date)
        rows.append(
            {
                "party": party,
                "units_offered": sum(o.quantity for o in inp.offers if o.party == party),
                "units_allocated": units,
                "personnel_allocated": personnel,
                "share": round(personnel / total_personnel, 4) if total_personnel else 0.0,
                "eu_member_state": member,
                "invited": member or party in inp.invited,
                "capped": party in capped,
                "fpa_in_force": fpa,
                # A third state without a Framework Participation Agreement takes part under an
                # agreement concluded for the mission (e.g. Council Decision 2005/495/CFSP, recital 1).
                "needs_mission_agreement": (not member) and (not fpa),
            }
        )
    return rows
