"""Benchmark of force generation (stdlib only: time, tracemalloc).

    .venv/bin/python benchmarks/missions_forcegen.py

Compares, in one run, side by side on the same generated statements of
requirements and offers (fixed seed):
- the engine's optimiser (OR-Tools CP-SAT: most units filled, then earliest
  availability, exact priorities), and
- a baseline greedy fill: requirements in order, each taking compatible
  offers earliest-first, under the same caveats, invitations and contributor
  cap (in personnel, third states only), but without rotations: a rotating
  requirement is filled only by offers covering its whole period.
A third of the requirements allow rotations; Serbia is not invited.
Prints medians of repeated runs, peak Python memory (tracemalloc: the solver's
C++ memory is not traced), the units each method fills and the total lead
days of its allocation (lower: earlier availability).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import tracemalloc

from accord.missions.engine.catalogues import load_catalogues
from accord.missions.engine.forcegen import caveat_conflicts, contributor_cap_personnel, may_take_part, optimise
from accord.missions.engine.forcegen_input import ForceGenerationInput, Offer, Requirement
from accord.parties import load_registry

CAPABILITIES = ["infantry_company", "role2_medical", "staff_officer", "eod_team", "engineer_platoon", "training_team"]
AREAS = ["North", "South", "East", "West"]
TASKS = ["patrol", "crowd_control", "escort", "training", "executive"]
PARTIES = ["FR", "DE", "IT", "ES", "PL", "NL", "SE", "FI", "NO", "GB", "CA", "CH", "RS", "US"]
START = dt.date(2027, 3, 1)
INVITED = frozenset({"NO", "GB", "CA", "CH", "US"})  # RS is not invited: its offers are left out
PERSONNEL = {code: c.personnel for code, c in load_catalogues().capabilities.items()}


def instance(n_req: int, n_off: int, seed: int) -> ForceGenerationInput:
    rnd = random.Random(seed)
    reqs = tuple(
        Requirement(
            id=f"R{i}",
            capability=cap,
            quantity=rnd.randint(1, 6),
            needed_from=START + dt.timedelta(days=rnd.randint(0, 60)),
            duration_days=rnd.choice([90, 180, 365]),
            tasks=frozenset(rnd.sample(TASKS, 2)),
            area=rnd.choice(AREAS),
            personnel_per_unit=PERSONNEL[cap],
            rotation=(i % 3 == 0),
        )
        for i, cap in enumerate(rnd.choice(CAPABILITIES) for _ in range(n_req))
    )
    offers = tuple(
        Offer(
            id=f"O{i}",
            party=rnd.choice(PARTIES),
            capability=cap,
            quantity=rnd.randint(1, 4),
            available_from=START - dt.timedelta(days=rnd.randint(-20, 90)),
            max_duration_days=rnd.choice([None, 120, 200, 400]),
            excluded_tasks=frozenset(rnd.sample(TASKS, rnd.randint(0, 1))),
            excluded_areas=frozenset(rnd.sample(AREAS, rnd.randint(0, 1))),
            personnel_per_unit=PERSONNEL[cap],
        )
        for i, cap in enumerate(rnd.choice(CAPABILITIES) for _ in range(n_off))
    )
    return ForceGenerationInput(date=dt.date(2027, 1, 1), requirements=reqs, offers=offers, invited=INVITED)


def lead_days(inp: ForceGenerationInput, pairs) -> int:
    """Total days between the earliest offer and each allocated unit's offer."""
    earliest = min(o.available_from for o in inp.offers)
    return sum((offer.available_from - earliest).days * q for offer, q in pairs)


def greedy(inp: ForceGenerationInput, share, registry) -> tuple[int, int]:
    cap = contributor_cap_personnel(share, inp.requirements)
    left = {o.id: o.quantity for o in inp.offers}
    by_party: dict[str, int] = {}
    filled = 0
    used = []
    for r in inp.requirements:
        need = r.quantity
        for o in sorted(inp.offers, key=lambda o: (o.available_from, o.id)):
            if need == 0:
                break
            if o.capability != r.capability or caveat_conflicts(o, r) or not may_take_part(o.party, inp, registry):
                continue
            member = registry.is_member(o.party, "EU", on=inp.date)
            room = need if member else (cap - by_party.get(o.party, 0)) // o.personnel_per_unit
            take = min(need, left[o.id], room)
            if take > 0:
                left[o.id] -= take
                by_party[o.party] = by_party.get(o.party, 0) + take * o.personnel_per_unit
                need -= take
                filled += take
                used.append((o, take))
    return filled, lead_days(inp, used)


def _engine(inp: ForceGenerationInput, share, registry) -> tuple[int, int]:
    result = optimise(
        ForceGenerationInput(inp.date, inp.requirements, inp.offers, None, share, inp.invited), registry=registry
    )
    return result.total_filled, lead_days(inp, [(a.offer, a.quantity) for a in result.allocations])


def measure(fn, repeat: int):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, value


def main() -> None:
    from fractions import Fraction

    registry = load_registry()
    share = Fraction(1, 4)
    print(
        f"{'size (req x offers)':>20} | {'method':>8} | {'median ms':>10} | {'peak KiB':>9} | {'units filled':>12} "
        f"| {'lead days':>9}"
    )
    for n_req, n_off, repeat in ((10, 40, 7), (40, 200, 5), (120, 600, 3)):
        inp = instance(n_req, n_off, seed=n_req)
        required = sum(r.quantity for r in inp.requirements)
        for name, fn in (
            ("cp-sat", lambda inp=inp: _engine(inp, share, registry)),
            ("greedy", lambda inp=inp: greedy(inp, share, registry)),
        ):
            median, peak, (filled, lead) = measure(fn, repeat)
            print(
                f"{n_req:>9} x {n_off:<8} | {name:>8} | {median * 1000:>10.1f} | {peak / 1024:>9.0f} "
                f"| {filled:>5} / {required:<5} | {lead:>9}"
            )


if __name__ == "__main__":
    main()
