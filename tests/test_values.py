"""Dates: ISO 8601 or with the month's name anywhere; numbers day first only where a form asks for them."""

import datetime as dt

import pytest

from accord.values import to_date, to_date_day_first

JANUARY_15 = dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    "text", ["2027-01-15", "15 January 2027", "15 Jan 2027", "15th January 2027", " 15  january 2027 "]
)
def test_a_date_in_iso_or_with_the_months_name_is_read(text):
    assert to_date(text) == JANUARY_15
    assert to_date_day_first(text) == JANUARY_15


@pytest.mark.parametrize("text", ["15/01/2027", "01/03/2027", "15 1 2027"])
def test_numbers_in_another_order_are_refused_in_files_and_bodies_not_guessed(text):
    with pytest.raises(ValueError):
        to_date(text)


@pytest.mark.parametrize("text", ["15/01/2027", "15.1.2027", "15 1 2027", "15-01-2027"])
def test_a_form_that_asks_for_the_day_first_reads_numbers_day_first(text):
    assert to_date_day_first(text) == JANUARY_15


@pytest.mark.parametrize("text", ["31/02/2027", "abc", "2027-13-01", "15 Smarch 2027", "01/15/2027", ""])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        to_date_day_first(text)
