"""The optimiser's answer is optimal: on seeded random statements it fills as
many units as an independent oracle (OR-Tools min-cost max-flow on the same
network: contributor cap -> offer -> compatible requirement), and among those
fills has the same least total of lead days."""

import datetime as dt
import random
from fractions import Fraction

from ortools.graph.python import min_cost_flow

from accord.missions.engine.forcegen import _lead_days, caveat_conflicts, contributor_cap_units, optimise
from accord.missions.engine.forcegen_input import ForceGenerationInput, Offer, Requirement
from accord.parties import load_registry

REGISTRY = load_registry()
START = dt.date(2027, 3, 1)
CAPABILITIES = ["infantry_company", "eod_team", "staff_officer"]
PARTIES = ["FR", "DE", "NO", "GB", "IT"]


def random_statement(seed):
    rnd = random.Random(seed)
    requirements = tuple(
        Requirement(f"R{i}", rnd.choice(CAPABILITIES), rnd.randint(0, 4), START + dt.timedelta(days=rnd.randint(0, 20)),
                    rnd.choice([60, 120]), frozenset(rnd.sample(["patrol", "escort", "training"], 1)), rnd.choice(["N", "S"]))
        for i in range(rnd.randint(1, 5))
    )
    offers = tuple(
        Offer(f"O{i}", rnd.choice(PARTIES), rnd.choice(CAPABILITIES), rnd.randint(0, 3),
              START - dt.timedelta(days=rnd.randint(-10, 40)), None, rnd.choice([None, 90, 150]),
              frozenset(rnd.sample(["patrol", "escort", "training"], rnd.randint(0, 1))),
              frozenset(rnd.sample(["N", "S"], rnd.randint(0, 1))))
        for i in range(rnd.randint(0, 8))
    )
    share = Fraction(rnd.choice([1, 2, 3]), 4)
    return ForceGenerationInput(dt.date(2027, 1, 1), requirements, offers, None, share)


def oracle(inp):
    """(units filled, lead days) of a min-cost maximum flow."""
    total = sum(r.quantity for r in inp.requirements)
    cap = contributor_cap_units(inp.max_contributor_share, total)
    lead = _lead_days(inp)
    parties = sorted({o.party for o in inp.offers})
    source, sink = 0, 1
    party_node = {p: 2 + i for i, p in enumerate(parties)}
    offer_node = [2 + len(parties) + i for i in range(len(inp.offers))]
    req_node = [2 + len(parties) + len(inp.offers) + i for i in range(len(inp.requirements))]
    flow = min_cost_flow.SimpleMinCostFlow()
    for p, node in party_node.items():
        flow.add_arc_with_capacity_and_unit_cost(source, node, cap, 0)
    for i, o in enumerate(inp.offers):
        flow.add_arc_with_capacity_and_unit_cost(party_node[o.party], offer_node[i], o.quantity, 0)
        for j, r in enumerate(inp.requirements):
            if o.capability == r.capability and not caveat_conflicts(o, r):
                flow.add_arc_with_capacity_and_unit_cost(offer_node[i], req_node[j], min(o.quantity, r.quantity), lead[i])
    for j, r in enumerate(inp.requirements):
        flow.add_arc_with_capacity_and_unit_cost(req_node[j], sink, r.quantity, 0)
    # The maximum flow from the source's supply to the sink's demand, at least cost.
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    assert flow.solve_max_flow_with_min_cost() == flow.OPTIMAL
    return flow.maximum_flow(), flow.optimal_cost()


def lead_of(inp, result):
    lead = dict(zip((o.id for o in inp.offers), _lead_days(inp)))
    return sum(lead[a.offer.id] * a.quantity for a in result.allocations)


def test_the_optimiser_matches_an_independent_min_cost_max_flow_on_forty_random_statements():
    for seed in range(40):
        inp = random_statement(seed)
        result = optimise(inp, registry=REGISTRY)
        assert result.solver_status == "OPTIMAL", seed
        assert (result.total_filled, lead_of(inp, result)) == oracle(inp), seed
