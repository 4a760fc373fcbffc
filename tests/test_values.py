"""Dates as people write them, day first, besides ISO 8601."""

import datetime as dt

import pytest

from accord.values import to_date

JANUARY_15 = dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-15",
        "15/01/2027",
        "15.1.2027",
        "15 1 2027",
        "15 January 2027",
        "15 Jan 2027",
        "15th January 2027",
        "  15   january 2027 ",
    ],
)
def test_a_date_written_day_first_or_in_iso_is_read(text):
    assert to_date(text) == JANUARY_15


@pytest.mark.parametrize("text", ["31/02/2027", "abc", "2027-13-01", "15 Smarch 2027", "01/15/2027", ""])
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(ValueError):
        to_date(text)
