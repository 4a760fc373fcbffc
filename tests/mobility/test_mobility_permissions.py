"""Permission lead times and submission deadlines, by regime, with working days and holidays."""

import datetime as dt

import pytest

from accord.errors import InputError
from accord.mobility.engine.permissions import lead_time, submission_deadline
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.rules import mobility_parameters
from accord.mobility.engine.workdays import is_working_day, working_days_before

PARAMS = mobility_parameters()


def deadline(state, entry, **kw):
    lead = lead_time(PARAMS, state, entry.date(), **kw)
    return lead, submission_deadline(state, entry, lead)


def test_lithuania_grants_within_5_working_days_in_the_current_regime():
    lead, _ = deadline("LT", dt.datetime(2026, 2, 26, 8), regime="current", emergency=False)
    assert (lead.amount, lead.unit) == (5, "working_days")


def test_a_lithuanian_holiday_inside_the_lead_time_moves_the_deadline_one_working_day_earlier():
    # Monday 16 February 2026 is the Day of Restoration of the State of Lithuania.
    _, with_holiday = deadline("LT", dt.datetime(2026, 2, 19, 8), regime="current", emergency=False)
    assert with_holiday.latest_date() == dt.date(2026, 2, 11)
    assert [d for d, _ in with_holiday.holidays_skipped] == [dt.date(2026, 2, 16)]


def test_without_a_holiday_five_working_days_before_a_thursday_is_the_thursday_before():
    _, plain = deadline("LT", dt.datetime(2026, 2, 26, 8), regime="current", emergency=False)
    assert plain.latest_date() == dt.date(2026, 2, 19)
    assert plain.holidays_skipped == []


def test_weekends_are_not_working_days():
    assert not is_working_day("DE", dt.date(2026, 3, 7))  # Saturday
    assert is_working_day("DE", dt.date(2026, 3, 6))  # Friday
    assert working_days_before("DE", dt.date(2026, 3, 9), 1)[0] == dt.date(2026, 3, 6)


def test_the_same_date_is_a_holiday_in_one_state_and_a_working_day_in_another():
    assert not is_working_day("LT", dt.date(2026, 2, 16))
    assert is_working_day("PL", dt.date(2026, 2, 16))


def test_lithuania_grants_within_24_hours_in_an_emergency_under_current_rules():
    entry = dt.datetime(2026, 2, 19, 8)
    lead, d = deadline("LT", entry, regime="current", emergency=True)
    assert (lead.amount, lead.unit) == (24, "hours")
    assert d.latest_submission == entry - dt.timedelta(hours=24)


def test_a_state_without_a_published_lead_time_gets_the_stated_45_day_default():
    entry = dt.datetime(2026, 3, 20, 8)
    lead, d = deadline("DE", entry, regime="current", emergency=False)
    assert (lead.amount, lead.unit, lead.confidence) == (45, "calendar_days", "inferred")
    assert d.latest_date() == dt.date(2026, 2, 3)


def test_a_state_without_an_emergency_procedure_keeps_its_peacetime_lead_time():
    lead, _ = deadline("DE", dt.datetime(2026, 3, 20, 8), regime="current", emergency=True)
    assert (lead.amount, lead.unit) == (45, "calendar_days")
    assert "no emergency procedure" in lead.basis


def test_an_eda_pre_authorised_low_impact_movement_is_only_notified():
    entry = dt.datetime(2026, 3, 20, 8)
    lead, d = deadline("DE", entry, regime="current", emergency=False, pre_authorised=True)
    assert lead.amount == 0 and "pre-authorisation" in lead.basis
    assert d.latest_submission == entry


def test_the_proposed_regulation_gives_3_working_days_in_peacetime():
    lead, d = deadline("DE", dt.datetime(2026, 3, 20, 8), regime="proposed-2025", emergency=False)
    assert (lead.amount, lead.unit) == (3, "working_days")
    assert d.latest_date() == dt.date(2026, 3, 17)


def test_an_emergency_under_the_proposed_regulation_gives_6_hours():
    entry = dt.datetime(2026, 3, 20, 8)
    lead, d = deadline("DE", entry, regime="proposed-2025", emergency=True)
    assert (lead.amount, lead.unit) == (6, "hours")
    assert d.latest_submission == dt.datetime(2026, 3, 20, 2)


def test_the_proposed_regime_is_not_defined_before_the_proposal():
    with pytest.raises(InputError, match="regime 'proposed-2025' is not defined on 2025-06-01"):
        lead_time(PARAMS, "DE", dt.date(2025, 6, 1), regime="proposed-2025", emergency=False)


def _plan(**kw):
    return plan(PlanRequest("tidworth", "tapa", dt.date(2026, 3, 2), "MAN HX60:10", **kw))


def test_the_proposed_regime_shortens_every_transit_states_deadline():
    current = {s["state"]: s["permission"]["latest_submission"] for s in _plan()["states"] if s["permission"]}
    proposed = {
        s["state"]: s["permission"]["latest_submission"]
        for s in _plan(regime="proposed-2025")["states"]
        if s["permission"]
    }
    assert current.keys() == proposed.keys() and current
    assert all(proposed[s] > current[s] for s in current)


def test_in_an_emergency_under_the_proposed_regime_each_request_is_due_6_hours_before_entry():
    result = _plan(regime="proposed-2025", emergency=True)
    for s in result["states"]:
        if s["permission"] is None:
            continue
        entry = dt.datetime.fromisoformat(s["entry"])
        assert dt.datetime.fromisoformat(s["permission"]["latest_submission"]) == entry - dt.timedelta(hours=6)


def test_the_requesting_state_needs_no_permission_and_every_other_state_crossed_does():
    result = _plan()
    assert result["states"][0]["state"] == "GB" and result["states"][0]["permission"] is None
    assert result["states"][-1]["state"] == "EE"
    assert all(s["permission"] for s in result["states"][1:])


def test_filing_on_a_date_gives_the_earliest_departure_whose_deadlines_are_all_met():
    filed = dt.date(2026, 2, 1)
    result = _plan(filed_on=filed)
    earliest = dt.datetime.fromisoformat(result["filing"]["earliest_departure"])
    assert not result["filing"]["requested_departure_feasible"]
    at_earliest = plan(PlanRequest("tidworth", "tapa", earliest, "MAN HX60:10", filed_on=filed))
    assert at_earliest["filing"]["requested_departure_feasible"]
    day_before = plan(PlanRequest("tidworth", "tapa", earliest - dt.timedelta(days=1), "MAN HX60:10", filed_on=filed))
    assert not day_before["filing"]["requested_departure_feasible"]


def test_filing_early_enough_makes_the_requested_departure_feasible():
    result = _plan(filed_on=dt.date(2026, 1, 5))
    assert result["filing"]["requested_departure_feasible"]
    assert result["filing"]["states_too_late"] == []


def test_the_netherlands_asks_for_a_months_notice_of_a_transit_with_its_own_source():
    lead = lead_time(PARAMS, "NL", dt.date(2027, 3, 1), regime="current", emergency=False)
    assert (lead.amount, lead.unit) == (30, "calendar_days")
    assert "Netherlands" in lead.reference and "awsa.org.uk" in lead.reference_href
    lithuania = lead_time(PARAMS, "LT", dt.date(2027, 3, 1), regime="current", emergency=False)
    assert "Lithuanian" in lithuania.reference
