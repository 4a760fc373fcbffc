"""Status of a state against a target, on both sides of each threshold.

Targets come from the real parameters (src/accord/rules/commitments/targets);
figures are built here so each threshold can be approached from both sides.
"""

import datetime as dt
from decimal import Decimal

import pytest

from accord.commitments.engine.sources import Source
from accord.commitments.engine.spending import SpendingFigure
from accord.commitments.engine.status import (
    BEHIND,
    MAX_INCREASE,
    MET,
    ON_TRACK,
    UNKNOWN,
    assess,
    status_report,
)
from accord.commitments.engine.targets import commitments_parameters, target_on
from accord.parties import load_registry

PARAMS = commitments_parameters()
LIMIT = Decimal(str(PARAMS.value(MAX_INCREASE, dt.date(2025, 10, 1))))
AFTER_NATO_2025_RELEASE = dt.date(2025, 10, 1)
SOURCE = Source("test", "A published estimate", None, dt.date(2025, 8, 28), "quoted")


def figure(state, percent, year=2025, source=SOURCE, measure="defence"):
    return SpendingFigure(state, year, measure, Decimal(percent), source)


def target(target_id, on=AFTER_NATO_2025_RELEASE):
    found = target_on(PARAMS, target_id, on)
    assert found is not None, f"{target_id} is not in force on {on}"
    return found


# --- met: at or above the level -------------------------------------------


def test_a_state_spending_exactly_two_percent_meets_the_wales_guideline():
    result = assess("BE", target("nato_wales_2014"), figure("BE", "2.00"), AFTER_NATO_2025_RELEASE, LIMIT)
    assert result.status == MET


def test_a_state_spending_one_hundredth_below_two_percent_does_not_meet_the_wales_guideline():
    result = assess("BE", target("nato_wales_2014"), figure("BE", "1.99"), AFTER_NATO_2025_RELEASE, LIMIT)
    assert result.status != MET
    assert result.status == BEHIND  # and the decade has passed


def test_a_state_at_exactly_three_and_a_half_percent_meets_the_hague_core_target():
    assert (
        assess("LV", target("nato_hague_2035_core"), figure("LV", "3.50"), AFTER_NATO_2025_RELEASE, LIMIT).status == MET
    )


# --- on track: the straight line needs at most the limit a year --------------


def test_a_state_needing_exactly_the_limit_each_year_to_reach_the_hague_core_target_is_on_track():
    # 2025 -> 2035 is 10 years; needing exactly LIMIT a year means starting at 3.5 - 10 * LIMIT.
    start = Decimal("3.5") - 10 * LIMIT
    result = assess("XA", target("nato_hague_2035_core"), figure("XA", str(start)), AFTER_NATO_2025_RELEASE, LIMIT)
    assert result.status == ON_TRACK
    assert result.required_annual_increase == LIMIT


def test_a_state_needing_a_hair_more_than_the_limit_each_year_is_behind_the_hague_core_target():
    start = Decimal("3.5") - 10 * LIMIT - Decimal("0.01")
    result = assess("XA", target("nato_hague_2035_core"), figure("XA", str(start)), AFTER_NATO_2025_RELEASE, LIMIT)
    assert result.status == BEHIND
    assert result.required_annual_increase > LIMIT


def test_the_uk_at_2_40_percent_in_2025_is_on_track_for_2_5_percent_by_april_2027():
    result = assess("GB", target("uk_2027"), figure("GB", "2.40"), AFTER_NATO_2025_RELEASE, LIMIT)
    assert result.status == ON_TRACK
    assert result.required_annual_increase == Decimal("0.05")  # (2.5 - 2.4) / 2 years


def test_a_uk_figure_needing_more_than_the_limit_for_two_years_is_behind_the_2027_target():
    low = Decimal("2.5") - 2 * LIMIT - Decimal("0.01")
    assert assess("GB", target("uk_2027"), figure("GB", str(low)), AFTER_NATO_2025_RELEASE, LIMIT).status == BEHIND


def test_a_stricter_on_track_limit_in_a_scenario_turns_on_track_into_behind():
    strict = PARAMS.with_overrides({MAX_INCREASE: 0.04}, scenario="strict")
    limit = Decimal(str(strict.value(MAX_INCREASE, AFTER_NATO_2025_RELEASE)))
    result = assess("GB", target("uk_2027"), figure("GB", "2.40"), AFTER_NATO_2025_RELEASE, limit)
    assert result.status == BEHIND  # 0.05 a year needed, 0.04 allowed


# --- the deadline -----------------------------------------------------------


def test_on_the_uk_deadline_day_a_figure_below_2_5_percent_can_still_be_on_track():
    on = dt.date(2027, 4, 1)
    result = assess("GB", target("uk_2027", on), figure("GB", "2.40"), on, LIMIT)
    assert result.status == ON_TRACK


def test_the_day_after_the_uk_deadline_a_figure_below_2_5_percent_is_behind():
    on = dt.date(2027, 4, 2)
    result = assess("GB", target("uk_2027", on), figure("GB", "2.40"), on, LIMIT)
    assert result.status == BEHIND
    assert "deadline 2027-04-01 has passed" in result.reason


def test_a_figure_for_the_deadline_year_itself_below_the_level_is_behind():
    on = dt.date(2035, 6, 1)
    result = assess("XA", target("nato_hague_2035_core", on), figure("XA", "3.40", year=2035), on, LIMIT)
    assert result.status == BEHIND


# --- gaps stay gaps ---------------------------------------------------------


def test_a_state_without_a_figure_is_unknown_not_behind():
    assert assess("DE", target("nato_wales_2014"), None, AFTER_NATO_2025_RELEASE, LIMIT).status == UNKNOWN


def test_a_recorded_gap_is_unknown():
    gap = SpendingFigure("DE", 2025, "defence", None, None, note="not recorded")
    assert assess("DE", target("nato_wales_2014"), gap, AFTER_NATO_2025_RELEASE, LIMIT).status == UNKNOWN


# --- the whole report, with the real data and the parties registry ------------


@pytest.fixture(scope="module")
def real_figures():
    from accord.commitments.engine.spending import load_spending

    return load_spending()


def statuses(report):
    return {(s.target.id, s.state): s.status for s in report}


def test_on_1_october_2025_poland_meets_the_hague_core_target_and_the_uk_is_on_track(real_figures):
    report = statuses(status_report(real_figures, PARAMS, load_registry(), AFTER_NATO_2025_RELEASE))
    assert report[("nato_hague_2035_core", "PL")] == MET
    assert report[("nato_hague_2035_core", "GB")] == ON_TRACK
    assert report[("uk_2027", "GB")] == ON_TRACK
    assert report[("nato_wales_2014", "DE")] == UNKNOWN  # a gap in NATO's 2025 estimates, not a zero


def test_the_day_before_nato_published_its_2025_estimates_no_ally_has_a_known_figure(real_figures):
    report = status_report(real_figures, PARAMS, load_registry(), dt.date(2025, 8, 27), target_ids=["nato_wales_2014"])
    assert report and {s.status for s in report} == {UNKNOWN}


def test_on_the_day_nato_published_its_2025_estimates_the_figures_count(real_figures):
    report = statuses(status_report(real_figures, PARAMS, load_registry(), dt.date(2025, 8, 28)))
    assert report[("nato_wales_2014", "PL")] == MET


def test_the_hague_targets_are_not_assessed_before_the_summit_of_25_june_2025(real_figures):
    before = status_report(real_figures, PARAMS, load_registry(), dt.date(2025, 6, 24))
    on_the_day = status_report(real_figures, PARAMS, load_registry(), dt.date(2025, 6, 25))
    assert "nato_hague_2035_core" not in {s.target.id for s in before}
    assert "nato_hague_2035_core" in {s.target.id for s in on_the_day}


def test_nato_targets_apply_to_nato_members_only_so_ireland_is_not_assessed(real_figures):
    report = status_report(real_figures, PARAMS, load_registry(), AFTER_NATO_2025_RELEASE)
    assert "IE" not in {s.state for s in report}
    assert "US" in {s.state for s in report if s.target.id == "nato_wales_2014"}


def test_the_uk_targets_apply_to_the_uk_alone(real_figures):
    report = status_report(real_figures, PARAMS, load_registry(), AFTER_NATO_2025_RELEASE, target_ids=["uk_2027"])
    assert [s.state for s in report] == ["GB"]


def test_no_state_has_a_resilience_figure_so_every_resilience_status_is_unknown(real_figures):
    report = status_report(
        real_figures, PARAMS, load_registry(), AFTER_NATO_2025_RELEASE, target_ids=["nato_hague_2035_resilience"]
    )
    assert report and {s.status for s in report} == {UNKNOWN}


def test_every_decision_names_the_figures_it_compared():
    result = assess("GB", target("uk_2027"), figure("GB", "2.40"), AFTER_NATO_2025_RELEASE, LIMIT)
    assert "2.40% of GDP in 2025" in result.reason and "2.5%" in result.reason and str(LIMIT) in result.reason
    assert result.as_dict()["reference"]["title"]
