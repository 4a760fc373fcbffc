"""The CSDP mission register."""

import datetime as dt

import pytest

from accord.missions.engine.register import (
    STATUS_CLOSED,
    STATUS_LAPSED,
    STATUS_NOT_YET,
    STATUS_ONGOING,
    RegisterError,
    compare_with_headline,
    computed_totals,
    load_register,
    parse_register,
    published_headline,
)

REG = load_register()


def test_every_record_names_a_source_and_a_council_legal_basis():
    for m in REG.missions:
        assert m.source.title, m.acronym
        assert m.legal_basis.title.startswith("Council"), m.acronym


def test_a_strength_summed_over_some_missions_is_reported_with_the_count_of_unknown_ones():
    from dataclasses import replace

    althea, irini, eumm = REG.get("EUFOR ALTHEA"), REG.get("EUNAVFOR MED IRINI"), REG.get("EUMM GEORGIA")
    totals = computed_totals([replace(althea, strength=100), replace(irini, strength=50), eumm])
    assert totals["strength_known_sum"] == 150
    assert totals["strength_known_missions"] == 2
    assert totals["strength_unknown_missions"] == 1


def test_with_no_strength_known_the_sum_is_unknown_not_zero():
    totals = computed_totals([m for m in REG.missions if m.strength is None])
    assert totals["strength_known_sum"] is None


def test_the_eeas_headline_is_a_dated_published_figure_of_24_missions():
    head = published_headline(dt.date(2025, 1, 1))
    assert head["published_on"] == "2024-10-14"
    assert head["figures"]["missions"] == 24
    assert (head["figures"]["civilian"], head["figures"]["military"], head["figures"]["civilian_military"]) == (
        13,
        10,
        1,
    )
    assert head["figures"]["military_personnel_approx"] == 3500
    assert head["figures"]["civilian_personnel_approx"] == 1300


def test_before_the_first_published_headline_there_is_none_and_no_error():
    assert published_headline(dt.date(2024, 10, 13)) is None
    assert published_headline(dt.date(2024, 10, 14))["figures"]["missions"] == 24


def test_before_the_2024_sahel_closures_the_register_matches_the_headline_split():
    # 1 May 2024: EUTM Mali (until 18 May 2024), EUMPM Niger (until 30 June 2024)
    # and EUCAP Sahel Niger were still running.
    totals = computed_totals(REG.current(dt.date(2024, 5, 1)))
    assert (totals["missions"], totals["civilian"], totals["military"], totals["civilian_military"]) == (24, 13, 10, 1)


def test_computed_totals_on_the_headline_date_are_reported_beside_it_not_instead_of_it():
    comparison = compare_with_headline(REG, dt.date(2024, 10, 14))
    assert comparison["published"]["figures"]["missions"] == 24
    assert comparison["register_on_published_date"]["missions"] == 21
    assert comparison["register_on_published_date"]["military"] == 8


def test_eutm_mali_runs_on_its_last_day_and_is_closed_the_day_after():
    mali = REG.get("EUTM MALI")
    assert mali.status_on(dt.date(2024, 5, 18)) == STATUS_ONGOING
    assert mali.status_on(dt.date(2024, 5, 19)) == STATUS_CLOSED


def test_a_past_mandate_end_without_a_closure_decision_is_lapsed_unless_renewed_not_closed():
    aspides = REG.get("EUNAVFOR ASPIDES")
    assert aspides.status_on(dt.date(2026, 2, 28)) == STATUS_ONGOING
    assert aspides.status_on(dt.date(2026, 3, 1)) == STATUS_LAPSED


def test_a_mission_is_not_yet_established_before_its_council_act():
    irini = REG.get("EUNAVFOR MED IRINI")
    assert irini.status_on(dt.date(2020, 3, 30)) == STATUS_NOT_YET
    assert irini.status_on(dt.date(2020, 3, 31)) == STATUS_ONGOING


def test_missions_are_found_by_acronym_or_slug_in_any_case():
    assert REG.get("eufor-althea").acronym == "EUFOR ALTHEA"
    assert REG.get("Eunavfor  Atalanta").acronym == "EUNAVFOR ATALANTA"
    assert REG.get("EUFOR NOWHERE") is None


def test_the_list_filters_by_type_and_region():
    day = dt.date(2025, 1, 1)
    maritime = REG.filter(on=day, region="Maritime")
    assert {m.acronym for m in maritime} == {"EUNAVFOR ATALANTA", "EUNAVFOR MED IRINI", "EUNAVFOR ASPIDES"}
    civ_mil = REG.filter(on=day, type="civilian-military")
    assert [m.acronym for m in civ_mil] == ["EU SDI GULF OF GUINEA"]


def test_a_register_with_a_duplicate_acronym_is_rejected():
    record = {
        "acronym": "X",
        "name": "X",
        "type": "civilian",
        "theatre": "t",
        "region": "r",
        "established": "2020-01-01",
        "legal_basis": {"title": "Council Decision"},
        "source": {"title": "s"},
    }
    with pytest.raises(RegisterError, match="twice"):
        parse_register({"as_of": "2025-01-01", "source": {"title": "s"}, "missions": [record, record]})


def test_a_register_record_with_an_unknown_type_is_rejected():
    record = {
        "acronym": "X",
        "name": "X",
        "type": "naval",
        "theatre": "t",
        "region": "r",
        "established": "2020-01-01",
        "legal_basis": {"title": "Council Decision"},
        "source": {"title": "s"},
    }
    with pytest.raises(RegisterError, match="type"):
        parse_register({"as_of": "2025-01-01", "source": {"title": "s"}, "missions": [record]})
