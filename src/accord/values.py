"""Reading plain values from what users and data files give us (pure Python)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

# Month names and their usual abbreviations ("Sept" too), for dates as people write them.
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_WRITTEN = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_NUMERIC_DAY_FIRST = re.compile(r"(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})")


def to_date(value: Any) -> dt.date:
    """A date from a date, a datetime (its day), ISO 8601 text (2027-01-15) or a
    date written with the month's name (15 January 2027, 15 Jan 2027).

    Numbers alone in another order (01/03/2027) are refused, not guessed: in a
    file or an API body they may be month first. Forms that say "day first"
    read them with ``to_date_day_first``. Raises ``ValueError``; each caller
    words the problem for its own users (a form's field, a file's line, an option).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _WRITTEN.fullmatch(text)
    if match is None:
        raise ValueError(f"{text[:40]!r} is not a date")
    day, month, year = match.groups()
    if month.lower() not in MONTHS:
        raise ValueError(f"{month!r} is not a month")
    return dt.date(int(year), MONTHS[month.lower()], int(day))


def to_date_day_first(value: Any) -> dt.date:
    """``to_date``, and numbers day first as people in the UK and Europe type them
    into a form that asks for the day first: 15/01/2027, 15.1.2027, 15 1 2027."""
    text = " ".join(str(value).split()) if isinstance(value, str) else value
    if isinstance(text, str):
        match = _NUMERIC_DAY_FIRST.fullmatch(text)
        if match is not None:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    return to_date(value)
