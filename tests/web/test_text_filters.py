"""The filters that put stored values into words: dates and times, confidence, codes."""

import datetime as dt

from accord.web.templatetags.accord_text import confidence, when, words


def test_a_moment_is_shown_in_brussels_time_with_its_zone_never_as_iso():
    moment = dt.datetime(2026, 12, 18, 6, 49, tzinfo=dt.UTC)
    assert when(moment) == "18 December 2026, 07:49 CET"


def test_a_moment_for_a_uk_reader_is_shown_in_london_time_in_summer():
    moment = dt.datetime(2026, 7, 1, 6, 49, tzinfo=dt.UTC)
    assert when(moment, "Europe/London") == "1 July 2026, 07:49 BST"


def test_an_iso_date_string_from_the_engines_is_shown_as_a_date_in_words():
    assert when("2025-05-29") == "29 May 2025"
    assert when(dt.date(1949, 4, 4)) == "4 April 1949"
    assert when(None) == "" and when("not a date") == ""


def test_confidence_codes_are_said_as_users_understand_them():
    assert confidence("secondary") == "from a press report"
    assert confidence("quoted") == "quoted from the official text"
    assert confidence("whatever") == ""


def test_a_stored_code_is_shown_as_words():
    assert words("in_progress") == "in progress"
