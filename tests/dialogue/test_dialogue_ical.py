"""The RFC 5545 calendar: read back with an independent parser."""

import datetime as dt

import pytest

from accord.dialogue.engine.ical import CalendarEntry, build_calendar, stable_uid
from accord.errors import InputError
from tests.dialogue.dialogue_ical_reader import events, parse

STAMP = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
ENTRIES = [
    CalendarEntry(
        "exercise",
        "milex-23",
        "MILEX 23",
        dt.date(2023, 9, 18),
        dt.date(2023, 10, 22),
        description="Command post exercise, then the first EU live exercise; Cadiz, Spain. " * 3,
    ),
    CalendarEntry(
        "consultation", "1", "UK-EU strategic consultation 1", dt.date(2025, 11, 19), categories=("consultation",)
    ),
]


def test_the_calendar_is_a_vcalendar_2_0_with_one_event_per_entry():
    data = build_calendar(ENTRIES, name="Accord - GB", stamp=STAMP)
    cal = parse(data)
    assert cal["props"]["VERSION"][0][1] == "2.0"
    assert cal["props"]["PRODID"][0][1]
    assert len(events(data)) == 2


def test_an_all_day_event_ends_the_day_after_its_last_day():
    milex, consultation = events(build_calendar(ENTRIES, name="x", stamp=STAMP))
    assert (milex["DTSTART"], milex["DTEND"]) == ("20230918", "20231023")
    assert (consultation["DTSTART"], consultation["DTEND"]) == ("20251119", "20251120")


def test_every_event_carries_the_given_stamp_and_no_clock_time():
    for event in events(build_calendar(ENTRIES, name="x", stamp=STAMP)):
        assert event["DTSTAMP"] == "20260105T093000Z"


def test_long_descriptions_are_folded_and_read_back_whole():
    milex = events(build_calendar(ENTRIES, name="x", stamp=STAMP))[0]
    assert milex["DESCRIPTION"] == ENTRIES[0].description


def test_uids_are_stable_across_builds_and_distinct_per_record():
    first = [e["UID"] for e in events(build_calendar(ENTRIES, name="x", stamp=STAMP))]
    later = [
        e["UID"] for e in events(build_calendar(list(reversed(ENTRIES)), name="x", stamp=STAMP + dt.timedelta(days=30)))
    ]
    assert first == later
    assert len(set(first)) == 2
    assert first[0] == stable_uid("exercise", "milex-23")
    assert stable_uid("exercise", "1") != stable_uid("consultation", "1")


def test_an_event_that_ends_before_it_starts_is_refused():
    bad = CalendarEntry("meeting", "7", "x", dt.date(2026, 3, 2), dt.date(2026, 3, 1))
    with pytest.raises(InputError) as err:
        build_calendar([bad], name="x", stamp=STAMP)
    assert err.value.problems[0].item == "meeting:7"
