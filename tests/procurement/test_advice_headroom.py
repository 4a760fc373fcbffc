"""Issue 10: the three headroom figures, checked by acting on them (Regulation (EU) 2025/1106,
Art. 16(10): non-eligible component cost "not higher than" 35% of the component cost)."""

from __future__ import annotations

from decimal import Decimal

from .builders import case_data, check, verdict


def with_part(data, part_id, origin, cost):
    data["bom"].append(
        {"id": part_id, "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": cost, "origin": origin}
    )
    return data


def component_passes(data) -> bool:
    return check(verdict(data), "component_cost").passed


def set_cost(data, part_id, cost):
    for item in data["bom"]:
        if item["id"] == part_id:
            item["unit_cost_eur"] = cost
    return data


def test_a_passing_case_may_add_exactly_extra_non_eligible_eur_of_new_us_parts_and_not_a_cent_more():
    result = verdict(case_data({"PL": 700, "US": 300}))
    figures = result.as_dict()["headroom"]
    assert figures["passes"] is True
    # (350 - 300) / (1 - 35%) = 76.923...: rounded down, not the 50 the old figure said
    assert figures["extra_non_eligible_eur"] == 76.92
    assert figures["resource_eur"] == 0 and figures["price_cut_eur"] == 0
    extra = Decimal(str(figures["extra_non_eligible_eur"]))
    assert component_passes(with_part(case_data({"PL": 700, "US": 300}), "NEW", "US", extra))
    assert not component_passes(with_part(case_data({"PL": 700, "US": 300}), "NEW", "US", extra + Decimal("0.01")))


def test_the_issue_example_a_new_us_part_of_153_84_still_passes_where_the_old_figure_said_100():
    data = case_data({"PL": 750, "GB": 250})  # 250 of 1000: 100 under the limit of 350
    assert verdict(data).as_dict()["headroom"]["extra_non_eligible_eur"] == 153.84  # 100 / 0.65
    assert component_passes(with_part(case_data({"PL": 750, "GB": 250}), "NEW", "US", Decimal("153.84")))
    assert not component_passes(with_part(case_data({"PL": 750, "GB": 250}), "NEW", "US", Decimal("153.85")))


def test_a_failing_case_passes_after_moving_exactly_resource_eur_to_an_eligible_origin_at_the_same_price():
    figures = verdict(case_data({"PL": 640, "GB": 360})).as_dict()["headroom"]
    assert figures["passes"] is False
    assert figures["extra_non_eligible_eur"] == 0
    assert figures["resource_eur"] == 10.0
    move = Decimal(str(figures["resource_eur"]))
    # the UK fuze's supplier moves that much of its cost to Poland, same total price
    moved = with_part(set_cost(case_data({"PL": 640, "GB": 360}), "PART-GB", 360 - move), "PART-MOVED", "PL", move)
    assert component_passes(moved)
    short = move - Decimal("0.01")
    not_enough = with_part(
        set_cost(case_data({"PL": 640, "GB": 360}), "PART-GB", 360 - short), "PART-MOVED", "PL", short
    )
    assert not component_passes(not_enough)


def test_a_failing_case_passes_after_cutting_the_uk_fuze_by_exactly_price_cut_eur_but_not_by_resource_eur():
    figures = verdict(case_data({"PL": 640, "GB": 360})).as_dict()["headroom"]
    assert figures["price_cut_eur"] == 15.39  # 10 / (1 - 35%) = 15.3846..., rounded up
    cut = Decimal(str(figures["price_cut_eur"]))
    assert component_passes(set_cost(case_data({"PL": 640, "GB": 360}), "PART-GB", 360 - cut))
    assert not component_passes(set_cost(case_data({"PL": 640, "GB": 360}), "PART-GB", 360 - cut + Decimal("0.01")))
    # the old advice, "replace €10", as a price cut still fails
    assert not component_passes(set_cost(case_data({"PL": 640, "GB": 360}), "PART-GB", 350))


def test_exactly_at_the_35_percent_limit_nothing_may_be_added_and_nothing_must_move():
    result = verdict(case_data({"PL": 650, "GB": 350}))
    assert result.headroom.passes is True
    assert result.headroom.extra_non_eligible == 0
    assert result.headroom.resource == 0 and result.headroom.price_cut == 0
    assert not component_passes(with_part(case_data({"PL": 650, "GB": 350}), "NEW", "US", Decimal("0.01")))


def test_with_canada_over_its_80_percent_cap_a_new_part_raises_the_allowance_too_and_the_figure_follows():
    # CA 900 of 1000 is 100 over its 80% cap; with x more US cost the excess is max(100 - 0.8x, 0),
    # so up to (350 - 100) / (1 - 35%) = 384.61... passes, not the plain formula's 230.76.
    data = case_data({"CA": 900, "GB": 100})
    result = verdict(data)
    extra = result.as_dict()["headroom"]["extra_non_eligible_eur"]
    assert extra == 384.61
    assert component_passes(with_part(case_data({"CA": 900, "GB": 100}), "NEW", "US", Decimal("384.61")))
    assert not component_passes(with_part(case_data({"CA": 900, "GB": 100}), "NEW", "US", Decimal("384.62")))


def test_each_figure_is_explained_in_a_plain_sentence_in_the_component_cost_check():
    failing = verdict(case_data({"PL": 640, "GB": 360}))
    detail = check(failing, "component_cost").detail
    assert "move €10.00 of non-eligible cost to eligible origins at the same price" in detail
    assert "cut non-eligible prices by €15.39" in detail
    sentences = failing.as_dict()["headroom"]["sentences"]
    assert len(sentences) == 3 and all(s.endswith(".") for s in sentences)
    passing = check(verdict(case_data({"PL": 700, "US": 300})), "component_cost").detail
    assert "a new non-eligible component of up to €76.92 would still pass" in passing


def test_headroom_eur_is_the_signed_summary_what_may_be_added_or_minus_the_price_cut():
    assert verdict(case_data({"PL": 700, "US": 300})).as_dict()["headroom_eur"] == 76.92
    assert verdict(case_data({"PL": 640, "GB": 360})).as_dict()["headroom_eur"] == -15.39
