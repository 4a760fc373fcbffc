"""The optimiser's answer is optimal: on seeded random statements it scores as
well as an independent oracle that tries every allocation (brute force), on
the same rules: fill units by priority first, the cap in personnel for capped
contributors (third states), only Member States or invited third states, then
the least lead days and units."""

import datetime as dt
import itertools
import random
from fractions import Fraction

from accord.missions.engine.forcegen import (
    _lead_days,
    caveat_conflicts,
    contributor_cap_personnel,
    may_take_part,
    optimise,
)
from accord.missions.engine.forcegen_input import ForceGenerationInput, Offer, Requirement
from accord.parties import load_registry

REGISTRY = load_registry()
START = dt.date(2027, 3, 1)
CAPABILITIES = {"eod_team": 6, "staff_officer": 1}
PARTIES = ["FR", "DE", "NO", "GB", "CA"]


def random_statement(seed):
    rnd = random.Random(seed)
    requirements = tuple(
        Requirement(
            f"R{i}",
            cap,
            rnd.randint(0, 3),
            START + dt.timedelta(days=rnd.randint(0, 20)),
            rnd.choice([60, 120]),
            frozenset(rnd.sample(["patrol", "escort", "training"], 1)),
            rnd.choice(["N", "S"]),
            None,
            CAPABILITIES[cap],
            rnd.choice([1, 2]),
        )
        for i, cap in enumerate(rnd.choice(list(CAPABILITIES)) for _ in range(rnd.randint(1, 2)))
    )
    offers = tuple(
        Offer(
            f"O{i}",
            rnd.choice(PARTIES),
            cap,
            rnd.randint(0, 2),
            START - dt.timedelta(days=rnd.randint(-5, 40)),
            None,
            rnd.choice([None, None, 90, 150]),
            frozenset(rnd.sample(["patrol", "escort", "training"], rnd.randint(0, 1))),
            frozenset(rnd.sample(["N", "S"], rnd.randint(0, 1))) if rnd.random() < 0.3 else frozenset(),
            None,
            CAPABILITIES[cap],
        )
        for i, cap in enumerate(rnd.choice(list(CAPABILITIES)) for _ in range(rnd.randint(1, 4)))
    )
    share = Fraction(rnd.choice([1, 2, 3]), 4)
    invited = frozenset(rnd.sample(["NO", "GB", "CA"], rnd.randint(0, 3)))
    return ForceGenerationInput(dt.date(2027, 1, 1), requirements, offers, None, share, invited)


def score(inp, allocation):
    """(units filled at priority 1, at priority 2, minus the cost in lead days and units)."""
    lead = _lead_days(inp)
    fill = {1: 0, 2: 0}
    for (_oi, ri), q in allocation.items():
        fill[inp.requirements[ri].priority] += q
    cost = sum((lead[oi] + 1) * q for (oi, ri), q in allocation.items())
    return fill[1], fill[2], -cost


def oracle(inp):
    """The best score over every allocation that keeps the rules (tried one by one)."""
    cap = contributor_cap_personnel(inp.max_contributor_share, inp.requirements)
    pairs = [
        (oi, ri)
        for oi, o in enumerate(inp.offers)
        for ri, r in enumerate(inp.requirements)
        if o.capability == r.capability and not caveat_conflicts(o, r) and may_take_part(o.party, inp, REGISTRY)
    ]
    ranges = [range(min(inp.offers[oi].quantity, inp.requirements[ri].quantity) + 1) for oi, ri in pairs]
    best = None
    for quantities in itertools.product(*ranges):
        allocation = dict(zip(pairs, quantities, strict=False))
        if any(
            sum(q for (o, _), q in allocation.items() if o == oi) > offer.quantity
            for oi, offer in enumerate(inp.offers)
        ):
            continue
        if any(
            sum(q for (_, r), q in allocation.items() if r == ri) > req.quantity
            for ri, req in enumerate(inp.requirements)
        ):
            continue
        personnel = {}
        for (oi, _), q in allocation.items():
            offer = inp.offers[oi]
            personnel[offer.party] = personnel.get(offer.party, 0) + q * offer.personnel_per_unit
        if any(p > cap for party, p in personnel.items() if not REGISTRY.is_member(party, "EU", on=inp.date)):
            continue
        value = score(inp, allocation)
        best = value if best is None or value > best else best
    return best


def test_the_random_statements_are_not_trivial():
    answers = [oracle(random_statement(seed)) for seed in range(60)]
    assert sum(1 for a in answers if a[0] + a[1] > 0) >= 20


def test_the_optimiser_matches_an_oracle_trying_every_allocation_on_sixty_random_statements():
    for seed in range(60):
        inp = random_statement(seed)
        result = optimise(inp, registry=REGISTRY)
        assert result.solver_status == "OPTIMAL", seed
        index = {o.id: i for i, o in enumerate(inp.offers)}
        rindex = {r.id: i for i, r in enumerate(inp.requirements)}
        found = {(index[a.offer.id], rindex[a.requirement.id]): a.quantity for a in result.allocations}
        assert score(inp, found) == oracle(inp), seed
