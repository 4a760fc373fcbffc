"""The EU crisis-management exercise calendar and partner participation (SDP M3)."""

import datetime as dt

import pytest

from accord.dialogue.engine.exercises import answer_offer, check_offer
from accord.dialogue.engine.reference import exercises
from accord.errors import InputError

D = dt.date
EU_LEAD = ("EEAS", "COM", "COUNCIL")


def test_every_exercise_record_names_its_source():
    for record in exercises():
        assert record.source.title and record.source.href, record.code


def test_an_exercise_never_ends_before_it_starts():
    for record in exercises():
        if record.start and record.end:
            assert record.end >= record.start, record.code


def test_milex_23_ran_from_18_september_to_22_october_2023():
    milex = next(e for e in exercises() if e.code == "milex-23")
    assert (milex.start, milex.end, milex.series) == (D(2023, 9, 18), D(2023, 10, 22), "milex")


def test_an_end_date_the_source_does_not_give_stays_unknown():
    ir24 = next(e for e in exercises() if e.code == "eu-ir24")
    assert ir24.end is None


def test_a_partner_may_offer_to_join_on_the_last_day_of_an_exercise():
    check_offer(
        partner="GB", lead=EU_LEAD, exercise_start=D(2027, 9, 1), exercise_end=D(2027, 9, 30), on=D(2027, 9, 30)
    )


def test_a_partner_may_not_offer_to_join_after_an_exercise_ended():
    with pytest.raises(InputError) as err:
        check_offer(
            partner="GB", lead=EU_LEAD, exercise_start=D(2027, 9, 1), exercise_end=D(2027, 9, 30), on=D(2027, 10, 1)
        )
    assert err.value.problems[0].field == "exercise"


def test_without_an_end_date_the_start_date_closes_offers():
    check_offer(partner="GB", lead=EU_LEAD, exercise_start=D(2027, 9, 1), exercise_end=None, on=D(2027, 9, 1))
    with pytest.raises(InputError):
        check_offer(partner="GB", lead=EU_LEAD, exercise_start=D(2027, 9, 1), exercise_end=None, on=D(2027, 9, 2))


def test_the_lead_does_not_offer_to_join_its_own_exercise():
    with pytest.raises(InputError) as err:
        check_offer(partner="EEAS", lead=EU_LEAD, exercise_start=None, exercise_end=None, on=D(2027, 1, 1))
    assert err.value.problems[0].field == "partner"


def test_the_lead_accepts_an_open_offer():
    assert answer_offer("offered", "accepted", "EEAS", EU_LEAD) == "accepted"


def test_the_offering_partner_cannot_accept_its_own_offer():
    with pytest.raises(InputError) as err:
        answer_offer("offered", "accepted", "GB", EU_LEAD)
    assert "only the exercise lead" in err.value.problems[0].message


def test_an_offer_is_answered_only_once():
    with pytest.raises(InputError) as err:
        answer_offer("declined", "accepted", "EEAS", EU_LEAD)
    assert "already declined" in err.value.problems[0].message
