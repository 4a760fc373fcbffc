"""RFC 5545 iCalendar documents, built with the maintained ``icalendar`` library.

Events are all-day (consultations, meetings and exercises are planned by
day). UIDs are stable: derived from the kind and the stable key of what the
event represents, so a calendar client updates an event instead of
duplicating it when the feed is fetched again. DTSTAMP is an input (RFC 5545
3.8.7.2 requires it); the engine never reads the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import icalendar

from accord.errors import InputError, Problem

PRODID = "-//Accord//UK-EU Security and Defence Partnership//EN"
UID_DOMAIN = "accord.dialogue"
# A fixed namespace so the same key always yields the same UID, on every machine.
_UID_NAMESPACE = uuid.UUID("6f1c2a52-4b7e-5d0a-9c39-2f8d0f6a1e11")


@dataclass(frozen=True)
class CalendarEntry:
    kind: str  # "consultation", "meeting", "exercise", ...
    key: str  # stable identity within the kind (a record id, a sequence, a code)
    summary: str
    start: dt.date
    end: dt.date | None = None  # inclusive last day; None: a one-day event
    description: str | None = None
    location: str | None = None
    categories: tuple[str, ...] = field(default=())
    url: str | None = None


def stable_uid(kind: str, key: str) -> str:
    """The same ``kind``/``key`` gives the same UID forever (RFC 5545 3.8.4.7)."""
    return f"{uuid.uuid5(_UID_NAMESPACE, f'{kind}:{key}')}@{UID_DOMAIN}"


def build_calendar(entries: list[CalendarEntry], *, name: str, stamp: dt.datetime) -> bytes:
    """A VCALENDAR with one all-day VEVENT per entry, in date then UID order.

    ``stamp`` (timezone-aware) is written as every event's DTSTAMP.
    """
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware")
    problems = [
        Problem(
            f"ends ({e.end.isoformat()}) before it starts ({e.start.isoformat()})",
            item=f"{e.kind}:{e.key}",
            field="end",
        )
        for e in entries
        if e.end is not None and e.end < e.start
    ]
    if problems:
        raise InputError(problems)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp_utc = stamp.astimezone(dt.UTC)
    for entry in sorted(entries, key=lambda e: (e.start, stable_uid(e.kind, e.key))):
        cal.add_component(_event(entry, stamp_utc))
    return cal.to_ical()


def _event(entry: CalendarEntry, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", stable_uid(entry.kind, entry.key))
    event.add("dtstamp", stamp)
    event.add("summary", entry.summary)
    event.add("dtstart", entry.start)
    # DTEND of an all-day event is exclusive (RFC 5545 3.6.1).
    last_day = entry.end or entry.start
    event.add("dtend", last_day + dt.timedelta(days=1))
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.categories:
        event.add("categories", list(entry.categories))
    if entry.url:
        event.add("url", entry.url)
    event.add("transp", "TRANSPARENT")
    return event
