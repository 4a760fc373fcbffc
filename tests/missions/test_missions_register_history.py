"""The register since 2003 (issue 15): every CSDP mission and operation, closed
ones included, so counts on past dates match what the Council and the EU
published, and dates known only to their month are never given a day."""

import datetime as dt

import pytest

from accord.missions.engine.register import (
    IN_BEING,
    STATUS_CLOSED,
    STATUS_LAPSED,
    STATUS_NOT_LAUNCHED,
    STATUS_ONGOING,
    RegisterError,
    computed_totals,
    launched_totals,
    load_published_counts,
    load_register,
    parse_mission,
)

CLOSED_BEFORE_2024 = [
    "EUPM BIH",
    "CONCORDIA",
    "ARTEMIS",
    "EUPOL PROXIMA",
    "EUJUST THEMIS",
    "EUPOL KINSHASA",
    "EUSEC RD CONGO",
    "EUJUST LEX",
    "EU SUPPORT TO AMIS",
    "AMM",
    "EUPAT",
    "EUFOR RD CONGO",
    "EUPOL AFGHANISTAN",
    "EUPOL RD CONGO",
    "EUFOR TCHAD/RCA",
    "EU SSR GUINEA-BISSAU",
    "EUAVSEC SOUTH SUDAN",
    "EUFOR RCA",
    "EUMAM RCA",
    "EUNAVFOR MED SOPHIA",
]


def ongoing(on):
    reg = load_register()
    return computed_totals(reg.current(on), on)


def test_every_mission_closed_before_2024_is_in_the_register_with_its_council_act():
    reg = load_register()
    for acronym in CLOSED_BEFORE_2024:
        m = reg.get(acronym)
        assert m is not None, acronym
        assert m.closed and m.mandate_end is not None, acronym
        assert "eur-lex.europa.eu" in m.legal_basis.href, acronym
        assert m.status_on(dt.date(2024, 1, 1)) == STATUS_CLOSED, acronym


@pytest.mark.parametrize("published", load_published_counts(), ids=lambda p: p["on"].isoformat())
def test_the_register_counts_what_the_council_published_on_that_date_or_says_why_not(published):
    on = published["on"]
    reg = load_register()
    counted = {"launched": launched_totals(reg.missions, on), "ongoing": ongoing(on)}
    difference = published["difference"] or {}
    for what in ("launched", "ongoing"):
        for key, figure in published[what].items():
            gap = counted[what][key] - figure
            if key == "missions" and what in difference:
                assert gap == difference[what], (what, counted[what], figure)
                assert difference["why"]
            else:
                assert gap == 0, (what, key, counted[what], figure)


def test_on_17_november_2009_twenty_two_had_been_launched_and_twelve_were_running():
    # Council conclusions on ESDP, 17 November 2009: "22 ESDP missions and operations, of which 12 are ongoing".
    on = dt.date(2009, 11, 17)
    assert launched_totals(load_register().missions, on)["missions"] == 22
    assert ongoing(on)["missions"] == 12


def test_counts_before_2008_are_not_low_any_more():
    # Before, only missions still running in 2024 were recorded: 2 on 1 January 2006.
    on = dt.date(2006, 1, 1)
    assert ongoing(on)["missions"] == 10  # EUPM, Althea, Kinshasa, EUSEC, LEX, AMIS, AMM, EUPAT, Rafah, COPPS
    assert launched_totals(load_register().missions, on) == {
        "missions": 14,
        "civilian": 10,
        "military": 3,
        "civilian_military": 1,
    }


def test_the_first_mission_counts_from_its_launch_on_1_january_2003_not_its_joint_action():
    eupm = load_register().get("EUPM BIH")
    assert eupm.established == dt.date(2002, 3, 11)
    assert eupm.status_on(dt.date(2002, 12, 31)) == STATUS_NOT_LAUNCHED
    assert eupm.status_on(dt.date(2003, 1, 1)) == STATUS_ONGOING
    assert ongoing(dt.date(2002, 12, 31))["missions"] == 0


def test_a_date_known_only_to_its_month_is_said_without_a_day_and_counted_from_its_last_day():
    ssr = load_register().get("EU SSR GUINEA-BISSAU")
    assert ssr.precision_of("launched") == "month"
    assert ssr.date_in_words("launched") == "June 2008"
    assert ssr.launched == dt.date(2008, 6, 30)
    assert ssr.status_on(dt.date(2008, 6, 29)) == STATUS_NOT_LAUNCHED
    assert ssr.status_on(dt.date(2008, 6, 30)) == STATUS_ONGOING
    avsec = load_register().get("EUAVSEC SOUTH SUDAN")
    assert avsec.as_dict()["dates_in_words"]["mandate_end"] == "January 2014"
    assert avsec.status_on(dt.date(2014, 1, 31)) in IN_BEING
    assert avsec.status_on(dt.date(2014, 2, 1)) == STATUS_CLOSED


def record(**extra):
    """A minimal register record, as the file holds it, with ``extra`` fields."""
    base = {"acronym": "X", "name": "X", "type": "civilian", "theatre": "T", "region": "R"}
    return {**base, "established": "2010-01-01", "legal_basis": {"title": "t"}, "source": {"title": "t"}, **extra}


def test_a_passed_renewal_end_is_lapsed_not_closed_until_the_final_end_the_council_set():
    renewal = {"decided_on": "2010-06-01", "mandate_end": "2011-06-30", "decision": {"title": "d"}}
    m = parse_mission(record(mandate_end="2014-12-31", closed=True, renewals=[renewal]), "test")
    assert m.status_on(dt.date(2012, 1, 1)) == STATUS_LAPSED
    assert m.status_on(dt.date(2015, 1, 1)) == STATUS_CLOSED


@pytest.mark.parametrize("value", ["2008-13", "June 2008", "2008-6-"])
def test_a_malformed_partial_date_in_the_register_file_is_refused(value):
    with pytest.raises(RegisterError):
        parse_mission(record(launched=value), "test")


def test_facts_are_recorded_for_many_missions_each_dated_and_sourced():
    reg = load_register()
    with_facts = [m for m in reg.missions if m.facts]
    assert len(with_facts) >= 15
    assert sum(1 for m in reg.missions if any(f.kind == "mandate" for f in m.facts)) >= 10
    for m in with_facts:
        for f in m.facts:
            assert f.source.href and f.on >= m.established - dt.timedelta(days=400), (m.acronym, f.kind)


def test_a_fact_is_unknown_before_its_date_and_the_later_one_replaces_it():
    atalanta = load_register().get("EUNAVFOR ATALANTA")
    assert atalanta.fact_on("headquarters", dt.date(2008, 12, 7)) is None
    assert "Northwood" in atalanta.fact_on("headquarters", dt.date(2019, 3, 28)).value
    assert "Rota" in atalanta.fact_on("headquarters", dt.date(2019, 3, 29)).value
