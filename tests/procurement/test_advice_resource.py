"""Issue 10: the re-sourcing plan, solved exactly (CP-SAT), against both greedy orders."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from accord.errors import InputError
from accord.procurement.engine import advice, parse_case, resource

from .builders import REGISTRY, case_data, verdict

# Hand-built: PL 700 eligible; four non-eligible parts (1,200 of component cost, limit 420,
# non-eligible 500). Eligible suppliers quote a higher price for each.
OLD = {"P0": 80, "P1": 190, "P2": 180, "P3": 50}
NEW = {"P0": 95, "P1": 225, "P2": 205, "P3": 90}
ORIGINS = {"P0": "US", "P1": "GB", "P2": "US", "P3": "CN"}


def hand_built() -> dict:
    data = case_data({"PL": 700})
    for part, cost in OLD.items():
        data["bom"].append(
            {
                "id": part,
                "parent": "END",
                "quantity": 1,
                "purchased": True,
                "unit_cost_eur": cost,
                "origin": ORIGINS[part],
            }
        )
    return data


def assessed(data):
    case = parse_case(data, registry=REGISTRY)
    result = verdict(data)
    return case, result, advice.parts(case, result)


def offers(prices=NEW, pinned=()):
    return {
        p: resource.Candidate(part=p, unit_cost_eur=Fraction(v), origin="DE", pinned=p in pinned)
        for p, v in prices.items()
    }


def applied(data, chosen, prices=NEW):
    """The case with the chosen parts bought in Germany at the quoted price."""
    for item in data["bom"]:
        if item["id"] in chosen:
            item["origin"], item["unit_cost_eur"] = "DE", prices[item["id"]]
    return verdict(data)


def brute_force(allowed):
    best = None
    for size in range(len(allowed) + 1):
        for combo in itertools.combinations(sorted(allowed), size):
            if applied(hand_built(), combo).eligible:
                cost = sum(NEW[p] - OLD[p] for p in combo)
                if best is None or cost < best[0]:
                    best = (cost, set(combo))
    return best


def test_both_greedy_orders_pick_a_dearer_plan_than_the_exact_solver():
    _, result, found = assessed(hand_built())
    assert result.eligible is False
    problem = resource.build_problem(found, result, candidates=offers())
    exact = resource.solve(problem)
    largest = resource.greedy(problem, "largest")
    ratio = resource.greedy(problem, "ratio")
    assert [o.part for o in exact.chosen] == ["P0"] and exact.extra_cost == 15 and exact.optimal
    assert [o.part for o in largest.chosen] == ["P1"] and largest.extra_cost == 35
    assert [o.part for o in ratio.chosen] == ["P2"] and ratio.extra_cost == 25
    assert all(p.passes_after for p in (exact, largest, ratio))
    assert brute_force(OLD) == (15, {"P0"})
    # and the plan, applied to the case, passes the rule as assessed
    assert applied(hand_built(), {"P0"}).eligible is True


def test_the_plan_reports_parts_moved_cost_and_extra_cost_and_passes_after():
    _, result, found = assessed(hand_built())
    plan = resource.plan(found, result, candidates=offers()).as_dict()
    assert plan["parts_to_resource"] == ["P0"]
    assert plan["moved_cost_eur"] == 80.0 and plan["extra_cost_eur"] == 15.0
    assert plan["passes_before"] is False and plan["passes_after"] is True
    assert plan["component_cost_after_eur"] == 1215.0 and plan["non_eligible_cost_after_eur"] == 420.0
    assert plan["exact_scale"] is True


def test_without_quoted_prices_the_plan_moves_the_least_non_eligible_cost_at_the_same_price():
    _, result, found = assessed(hand_built())
    plan = resource.plan(found, result)
    # 80 must move (500 - 420): P0 (80) exactly, not the largest part (P1, 190)
    assert [o.part for o in plan.chosen] == ["P0"] and plan.moved_cost == 80 and plan.extra_cost == 0


def test_pinned_parts_never_move_and_the_next_cheapest_plan_is_found():
    _, result, found = assessed(hand_built())
    plan = resource.plan(found, result, candidates=offers(), pins=["P0"])
    chosen = {o.part for o in plan.chosen}
    assert "P0" not in chosen and plan.passes_after
    assert ("P0", "pinned: it cannot change supplier (sole source or design authority)") in plan.blocked
    cost, best = brute_force(set(OLD) - {"P0"})
    assert plan.extra_cost == cost and chosen == best
    # a pin in the suppliers' file works the same
    by_file = resource.plan(found, result, candidates=offers(pinned={"P0"}))
    assert {o.part for o in by_file.chosen} == chosen


def test_when_no_plan_can_pass_the_plan_says_why_in_plain_words_and_is_not_an_error():
    _, result, found = assessed(hand_built())
    plan = resource.plan(found, result, candidates=offers(), pins=["P0", "P1", "P2"]).as_dict()
    assert plan["feasible"] is False and plan["passes_after"] is False and plan["parts_to_resource"] == []
    assert plan["explanation"].startswith("No re-sourcing plan can pass: even moving every part that may move (1 part)")
    assert "3 non-eligible parts cannot move" in plan["explanation"]
    assert {entry["id"] for entry in plan["cannot_move"]} == {"P0", "P1", "P2"}


def test_a_case_that_already_passes_needs_no_plan():
    _, result, found = assessed(case_data({"PL": 700, "US": 300}))
    plan = resource.plan(found, result)
    assert plan.passes_before and plan.passes_after and plan.chosen == ()
    assert "already passes" in plan.explanation


def test_a_re_sourced_part_at_a_lower_price_lowers_the_component_cost_exactly():
    _, result, found = assessed(case_data({"PL": 640, "GB": 360}))
    plan = resource.plan(found, result, candidates=offers({"PART-GB": Fraction(1, 3)})).as_dict()
    assert plan["parts_to_resource"] == ["PART-GB"]
    assert plan["component_cost_after_eur"] == 640.33 and plan["extra_cost_eur"] == -359.67


def test_figures_too_large_to_scale_exactly_are_rounded_the_safe_way_and_the_plan_still_passes():
    big = Fraction(10**15 + 1, 3**20)  # a denominator and size beyond exact 64-bit scaling
    problem = resource.ResourceProblem(
        total=big * 3,
        cap=Fraction(7, 20),
        plain=big * 2,
        agreements=(),
        options=(
            resource.Option("A", big, big),
            resource.Option("B", big / 2 + Fraction(1, 7), big / 2 + Fraction(1, 7)),
            resource.Option("C", big * Fraction(3, 5), big * Fraction(3, 5)),
        ),
    )
    plan = resource.solve(problem)
    assert plan.exact_scale is False and plan.passes_after
    assert problem.passes([i for i, o in enumerate(problem.options) if o in plan.chosen])


def test_an_unknown_pinned_part_is_bad_input_naming_it():
    _, result, found = assessed(hand_built())
    with pytest.raises(InputError) as caught:
        resource.plan(found, result, pins=["NOPE"])
    assert "'NOPE' is not a counted part" in str(caught.value.problems[0])


def test_the_suppliers_file_reads_semicolons_decimal_commas_and_reports_every_bad_row_with_its_line():
    good = resource.read_candidates(
        b"part;unit_cost;origin;supplier;pinned\nP0;1.234,50;DE;Rheinmetall;no\nP1;;;;yes\n", "q.csv"
    )
    assert good["P0"].unit_cost_eur == Fraction("1234.50") and good["P1"].pinned and good["P1"].unit_cost_eur is None
    with pytest.raises(InputError) as caught:
        resource.read_candidates(b"part,unit_cost,colour\nP0,abc\nP0,5\n,7\n", "q.csv")
    messages = [str(p) for p in caught.value.problems]
    assert any("unknown column 'colour'" in m for m in messages)
    assert any("line 2" in m and "'abc' is not a price" in m for m in messages)
    assert any("line 3" in m and "given twice" in m for m in messages)
    assert any("line 4" in m and "needs the part" in m for m in messages)


# -- with a participation agreement over its cap: its allowance (cap x T) moves with T ------------

UK_DATE = "2027-01-01"  # the uk-participation scenario: UK components eligible up to 50% of T


def uk_case(costs: dict[str, int]) -> dict:
    data = case_data({"GB": 600}, assessment_date=UK_DATE)
    for part, cost in costs.items():
        data["bom"].append(
            {"id": part, "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": cost, "origin": "US"}
        )
    return data


def uk_verdict(data):
    return verdict(data, scenario="uk-participation")


@pytest.mark.parametrize(
    "quotes",
    [
        {"A": 210, "B": 130, "C": 150},
        {"A": 400, "B": 121, "C": 300},
        {"A": 260, "B": 200, "C": 81},
        # B alone passes only because its higher price raises T and so the UK allowance:
        # 120 + 0.35 x 40 + 0.5 x 40 >= 150; with the allowance held still it would need A (+100)
        {"A": 300, "B": 160, "C": 200},
    ],
)
def test_under_an_agreement_the_plan_is_the_cheapest_that_passes_when_assessed(quotes):
    costs = {"A": 200, "B": 120, "C": 80}  # T 1000: GB 100 over its cap, non-eligible 500 > 350
    data = uk_case(costs)
    case = parse_case(data, registry=REGISTRY)
    result = uk_verdict(data)
    assert result.eligible is False and result.agreements[0].counted_non_eligible_eur == 100
    offers_ = {p: resource.Candidate(part=p, unit_cost_eur=Fraction(v), origin="DE") for p, v in quotes.items()}
    plan = resource.plan(advice.parts(case, result), result, candidates=offers_)

    def assessed_after(combo):
        changed = uk_case(costs)
        for item in changed["bom"]:
            if item["id"] in combo:
                item["origin"], item["unit_cost_eur"] = "DE", quotes[item["id"]]
        return uk_verdict(changed)

    passing = [
        (sum(quotes[p] - costs[p] for p in combo), set(combo))
        for size in range(4)
        for combo in itertools.combinations("ABC", size)
        if assessed_after(combo).eligible
    ]
    best = min(cost for cost, _ in passing)
    assert plan.passes_after and plan.extra_cost == best
    assert assessed_after({o.part for o in plan.chosen}).eligible


def test_under_an_agreement_the_headroom_figures_follow_the_moving_allowance():
    # GB 600 of 1000 is 100 over its 50% cap. A new US part of x lowers that excess by x/2 until it
    # is gone, so up to (350 - 100) / 0.65 = 384.61 passes, not the plain formula's 230.76.
    def with_polish_part(costs):
        data = uk_case(costs)
        data["bom"].append(
            {"id": "PL1", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 300, "origin": "PL"}
        )
        return data

    assert uk_verdict(with_polish_part({"US1": 100})).as_dict()["headroom"]["extra_non_eligible_eur"] == 384.61
    assert uk_verdict(with_polish_part({"US1": 100, "NEW": "384.61"})).eligible is True
    assert uk_verdict(with_polish_part({"US1": 100, "NEW": "384.62"})).eligible is False
    # failing: a price cut lowers T, and with it the UK allowance, faster than it helps
    failing = uk_verdict(uk_case({"A": 200, "B": 120, "C": 80})).headroom
    assert failing.resource == 150 and failing.price_cut is None
    assert "Cutting the prices of non-eligible components alone cannot pass" in failing.sentences()[2]
