"""The spending reference data: docs/law/nato-targets.md#nato-estimates-2025 figures, a source per figure, gaps kept."""

import datetime as dt
from decimal import Decimal

import pytest

from accord.commitments.engine.spending import load_spending, parse_spending
from accord.errors import InputError

FIGURES = load_spending()


def by_state(state, year):
    return next(f for f in FIGURES if f.state == state and f.year == year)


@pytest.mark.parametrize(
    "state, percent",
    [
        ("PL", "4.48"),
        ("LT", "4.00"),
        ("LV", "3.73"),
        ("EE", "3.38"),
        ("NO", "3.35"),
        ("US", "3.22"),
        ("DK", "3.22"),
        ("GB", "2.40"),
        ("TR", "2.33"),
        ("BG", "2.06"),
        ("FR", "2.05"),
        ("IT", "2.01"),
        ("CA", "2.01"),
        ("AL", "2.01"),
        ("PT", "2.00"),
        ("MK", "2.00"),
        ("BE", "2.00"),
        ("CZ", "2.00"),
        ("ES", "2.00"),
        ("LU", "2.00"),
    ],
)
def test_the_nato_2025_estimates_are_recorded_as_domain_md_gives_them(state, percent):
    assert by_state(state, 2025).percent_gdp == Decimal(percent)


def test_eu_states_outside_nato_have_their_2024_iiss_figures():
    assert {s: by_state(s, 2024).percent_gdp for s in ("IE", "AT", "MT")} == {
        "IE": Decimal("0.24"),
        "AT": Decimal("0.99"),
        "MT": Decimal("0.38"),
    }
    assert by_state("CY", 2024).approximate is True


def test_every_figure_has_a_titled_source_with_a_confidence():
    for f in FIGURES:
        if not f.is_gap:
            assert f.source and f.source.title and f.source.confidence in ("quoted", "secondary", "inferred"), f.state


def test_gaps_stay_gaps_with_a_note_and_no_number():
    germany = by_state("DE", 2025)
    assert germany.percent_gdp is None and germany.source is None and germany.note
    assert not germany.known_on(dt.date(2030, 1, 1))


def test_a_figure_counts_from_its_publication_date():
    poland = by_state("PL", 2025)
    assert not poland.known_on(dt.date(2025, 8, 27))
    assert poland.known_on(dt.date(2025, 8, 28))


def test_a_figure_with_an_unknown_publication_date_counts_from_the_next_first_of_january():
    cyprus = by_state("CY", 2024)
    assert cyprus.source.published is None
    assert not cyprus.known_on(dt.date(2024, 12, 31))
    assert cyprus.known_on(dt.date(2025, 1, 1))


def test_a_malformed_spending_file_is_rejected_naming_every_item_and_field():
    data = {
        "sources": {"s": {"title": "T", "confidence": "quoted", "published": "2025-01-01"}},
        "figures": [
            {"state": "PL", "year": 2025, "percent_gdp": "lots", "source": "s"},
            {"state": "Poland", "year": 2025, "percent_gdp": 2.0, "source": "s"},
            {"state": "DE", "year": 2025, "percent_gdp": 2.0, "source": "missing"},
            {"state": "NL", "year": 2025, "percent_gdp": None},
            {"state": "FR", "year": 2025, "percent_gdp": 120, "source": "s"},
        ],
    }
    with pytest.raises(InputError) as caught:
        parse_spending(data)
    fields = {p.field for p in caught.value.problems}
    assert {
        "figures[0].percent_gdp",
        "figures[1].state",
        "figures[2].source",
        "figures[3].note",
        "figures[4].percent_gdp",
    } <= fields
    assert any(p.item == "PL" for p in caught.value.problems)


def test_two_figures_for_the_same_state_and_year_are_rejected():
    data = {
        "sources": {"s": {"title": "T", "confidence": "quoted"}},
        "figures": [{"state": "PL", "year": 2025, "percent_gdp": 4.0, "source": "s"}] * 2,
    }
    with pytest.raises(InputError, match="second defence figure"):
        parse_spending(data)
