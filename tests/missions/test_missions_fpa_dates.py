"""Framework Participation Agreements counted from a day that is known (issue 15):
the signature, the published entry into force or the Official Journal, never the
last day of the decision's year."""

import datetime as dt

import pytest

from accord.parties import load_registry

FPA = "CSDP_FPA"


def fpa_rows():
    return [m for m in load_registry().memberships() if m.framework == FPA]


def test_no_fpa_is_counted_from_a_guessed_end_of_year():
    for row in fpa_rows():
        assert (row.start.month, row.start.day) != (12, 31), row.party
        assert "last day of" not in (row.note or ""), row.party


@pytest.mark.parametrize(
    ("state", "day"),
    [
        ("RS", dt.date(2011, 6, 8)),  # signed in Belgrade
        ("NZ", dt.date(2012, 4, 18)),
        ("MK", dt.date(2012, 10, 29)),
        ("MD", dt.date(2012, 12, 13)),
        ("GE", dt.date(2013, 11, 29)),  # signed at the Vilnius summit
        ("BA", dt.date(2015, 9, 15)),
        ("JO", dt.date(2019, 6, 17)),
        ("VN", dt.date(2020, 5, 1)),  # entry into force, signed 17 October 2019
        ("CO", dt.date(2020, 3, 1)),  # entry into force after ratification, signed 5 August 2014
        ("PE", dt.date(2022, 10, 14)),
    ],
)
def test_an_fpa_is_in_force_from_its_known_day_and_not_the_day_before(state, day):
    registry = load_registry()
    assert registry.is_member(state, FPA, on=day)
    assert not registry.is_member(state, FPA, on=day - dt.timedelta(days=1))


def test_colombia_signed_in_2014_needed_a_mission_agreement_until_it_ratified():
    # EEAS: Colombia took part in Atalanta "pending ratification of the FPA".
    assert not load_registry().is_member("CO", FPA, on=dt.date(2015, 6, 1))


def test_every_fpa_names_its_council_decision_on_eur_lex_and_the_source_of_its_day():
    for row in fpa_rows():
        assert "eur-lex.europa.eu" in (row.source.href or ""), row.party
        assert row.note, row.party
