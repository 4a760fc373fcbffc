"""SAFE allocations (Commission, 9 Sep 2025) and the Art. 13 three-largest check."""

import datetime as dt
from fractions import Fraction

import pytest

from accord.commitments.engine.safe_allocations import (
    Allocation,
    AllocationSet,
    allocation_report,
    load_allocations,
    parse_allocations,
    share_of_largest,
    three_largest_within_cap,
    total_matches_envelope,
)
from accord.commitments.engine.targets import commitments_parameters
from accord.errors import InputError

PARAMS = commitments_parameters()
ON = dt.date(2025, 10, 1)
REAL = load_allocations()


def constructed(*amounts):
    return AllocationSet(tuple(Allocation(f"X{chr(65 + i)}", a) for i, a in enumerate(amounts)), None)


def test_the_nineteen_allocations_add_up_to_exactly_150_billion_euros():
    assert len(REAL.allocations) == 19
    assert REAL.total_eur == 150_000_000_000
    assert total_matches_envelope(REAL, PARAMS, ON).passed


def test_poland_receives_43_734_100_805_euros_the_largest_allocation():
    assert REAL.allocations[0] == Allocation("PL", 43_734_100_805)


def test_the_three_largest_recipients_hold_at_most_60_percent_with_the_real_allocations():
    check = three_largest_within_cap(REAL, PARAMS, ON)
    assert check.passed
    # Poland + Romania + one of France/Hungary (tied): 76,630,876,723 of 150bn
    assert share_of_largest(REAL.allocations) == Fraction(76_630_876_723, 150_000_000_000)
    assert check.figures["tied_at_cutoff"] == ["FR", "HU"]
    assert check.confidence == "secondary"


def test_three_recipients_holding_exactly_60_percent_pass_the_art_13_check():
    check = three_largest_within_cap(constructed(30, 20, 10, 10, 10, 10, 10), PARAMS, ON)
    assert check.figures["share"] == 0.6
    assert check.passed


def test_three_recipients_holding_just_over_60_percent_fail_the_art_13_check():
    # 60,000,001 of 100,000,000 euros: one euro in a hundred million over the cap
    check = three_largest_within_cap(
        constructed(30_000_001, 20_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 9_999_999), PARAMS, ON
    )
    assert check.figures["largest_total_eur"] == 60_000_001 and check.figures["total_eur"] == 100_000_000
    assert not check.passed
    assert "above the cap" in check.reason


def test_a_constructed_allocation_concentrated_on_three_states_fails_the_art_13_check():
    check = three_largest_within_cap(constructed(60, 30, 5, 3, 2), PARAMS, ON)
    assert not check.passed and check.figures["share"] == pytest.approx(0.95)


def test_allocations_that_do_not_add_up_to_the_envelope_fail_the_total_check():
    check = total_matches_envelope(constructed(149_999_999_999), PARAMS, ON)
    assert not check.passed and check.figures["difference_eur"] == -1


def test_the_report_lists_every_allocation_with_its_share_and_both_checks():
    report = allocation_report(REAL, PARAMS, ON)
    assert report["passed"] and [c["name"] for c in report["checks"]] == [
        "total_equals_envelope",
        "three_largest_share",
    ]
    assert sum(a["amount_eur"] for a in report["allocations"]) == report["total_eur"]


def test_amounts_must_be_whole_euros_and_states_unique():
    with pytest.raises(InputError) as caught:
        parse_allocations(
            {
                "allocations": [
                    {"state": "PL", "amount_eur": 1.5},
                    {"state": "PL", "amount_eur": 10},
                    {"state": "PL", "amount_eur": 10},
                    {"state": "pl", "amount_eur": -3},
                ]
            }
        )
    fields = [p.field for p in caught.value.problems]
    assert "allocations[0].amount_eur" in fields
    assert "allocations[2].state" in fields  # second allocation for PL
    assert "allocations[3].state" in fields and "allocations[3].amount_eur" in fields
