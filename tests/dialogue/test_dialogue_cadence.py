"""The six-monthly strategic consultation cycle (SDP, docs/law/uk-eu-sdp.md#strategic-consultations)."""

import datetime as dt

import pytest

from accord.dialogue.engine import cadence
from accord.dialogue.engine.cadence import CycleSettings, add_months, schedule
from accord.errors import InputError
from accord.rules import load_parameters

D = dt.date


def six_monthly(first, hosts=("GB", "EU")):
    return CycleSettings(first_date=first, cadence_months=6, hosts=tuple(hosts))


def dates(slots):
    return [s.date for s in slots]


def test_a_cycle_starting_in_september_rolls_into_march_of_the_next_year():
    slots = schedule(six_monthly(D(2025, 9, 15)), 3)
    assert dates(slots) == [D(2025, 9, 15), D(2026, 3, 15), D(2026, 9, 15)]


def test_a_cycle_starting_in_november_crosses_the_year_end_into_may():
    assert dates(schedule(six_monthly(D(2025, 11, 19)), 2)) == [D(2025, 11, 19), D(2026, 5, 19)]


def test_31_august_is_followed_by_28_february_in_a_common_year():
    assert dates(schedule(six_monthly(D(2026, 8, 31)), 2)) == [D(2026, 8, 31), D(2027, 2, 28)]


def test_31_august_is_followed_by_29_february_in_a_leap_year():
    assert dates(schedule(six_monthly(D(2027, 8, 31)), 2)) == [D(2027, 8, 31), D(2028, 2, 29)]


def test_a_month_end_cycle_returns_to_31_august_after_a_short_february():
    # Counted from the anchor, not from the clamped February date.
    assert dates(schedule(six_monthly(D(2026, 8, 31)), 4)) == [
        D(2026, 8, 31),
        D(2027, 2, 28),
        D(2027, 8, 31),
        D(2028, 2, 29),
    ]


def test_adding_months_keeps_the_day_when_the_month_has_it_and_clamps_when_not():
    assert add_months(D(2025, 1, 30), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 28), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 12, 31), 6) == D(2026, 6, 30)
    assert add_months(D(2025, 7, 31), 6) == D(2026, 1, 31)


def test_hosting_alternates_between_the_uk_and_the_eu_starting_with_the_first_host():
    assert [s.host for s in schedule(six_monthly(D(2025, 11, 19)), 5)] == ["GB", "EU", "GB", "EU", "GB"]
    assert [s.host for s in schedule(six_monthly(D(2025, 11, 19), ("EU", "GB")), 3)] == ["EU", "GB", "EU"]


def test_a_listing_from_a_consultation_day_starts_with_that_consultation():
    slots = schedule(six_monthly(D(2025, 11, 19)), 2, from_date=D(2026, 5, 19))
    assert [(s.sequence, s.date, s.host) for s in slots] == [
        (2, D(2026, 5, 19), "EU"),
        (3, D(2026, 11, 19), "GB"),
    ]


def test_a_listing_from_the_day_after_a_consultation_starts_with_the_next_one():
    slots = schedule(six_monthly(D(2025, 11, 19)), 1, from_date=D(2026, 5, 20))
    assert (slots[0].sequence, slots[0].date, slots[0].host) == (3, D(2026, 11, 19), "GB")


def test_a_listing_from_before_the_first_consultation_starts_with_the_first():
    slots = schedule(six_monthly(D(2025, 11, 19)), 1, from_date=D(2024, 1, 1))
    assert (slots[0].sequence, slots[0].date) == (1, D(2025, 11, 19))


def test_a_listing_from_28_february_finds_the_clamped_february_consultation():
    settings = six_monthly(D(2026, 8, 31))
    assert schedule(settings, 1, from_date=D(2027, 2, 28))[0].date == D(2027, 2, 28)
    assert schedule(settings, 1, from_date=D(2027, 3, 1))[0].date == D(2027, 8, 31)


def test_asking_for_no_consultations_is_refused_naming_the_count():
    with pytest.raises(InputError) as err:
        schedule(six_monthly(D(2025, 11, 19)), 0)
    assert [p.field for p in err.value.problems] == ["count"]


def test_a_cycle_without_hosts_or_with_a_zero_cadence_is_refused_with_both_problems():
    with pytest.raises(InputError) as err:
        schedule(CycleSettings(first_date=D(2025, 11, 19), cadence_months=0, hosts=()), 1)
    assert sorted(p.field for p in err.value.problems) == ["cadence_months", "hosts"]


def test_the_shipped_parameters_give_a_six_monthly_cycle_with_the_first_date_marked_inferred():
    params = load_parameters("dialogue")
    settings = cadence.settings_from_parameters(params, D(2026, 1, 1))
    assert settings.cadence_months == 6
    assert params["dialogue.consultations.first_date"].is_inferred
    assert params["dialogue.consultations.hosts"].is_inferred
    assert set(settings.hosts) == {"GB", "EU"}


def test_a_scenario_changes_the_cadence_without_touching_code():
    params = load_parameters("dialogue").with_overrides(
        {"dialogue.consultations.cadence_months": 3}, scenario="quarterly"
    )
    settings = cadence.settings_from_parameters(params, D(2026, 1, 1))
    first = settings.first_date
    assert dates(schedule(settings, 2)) == [first, add_months(first, 3)]


def test_there_is_no_cycle_before_the_partnership_parameters_apply():
    with pytest.raises(InputError) as err:
        cadence.settings_from_parameters(load_parameters("dialogue"), D(2025, 5, 18))
    assert err.value.problems[0].field == "from"
