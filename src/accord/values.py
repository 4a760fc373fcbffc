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
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s/.-]+(\d{1,2}|[A-Za-z]+)\.?,?[\s/.-]+(\d{4})")


def to_date(value: Any) -> dt.date:
    """A date from a date, a datetime (its day), ISO 8601 text (2027-01-15), or a
    date as people in the UK and Europe write it, day first: 15/01/2027,
    15.1.2027, 15 1 2027, 15 January 2027, 15 Jan 2027.

    Raises ``ValueError`` otherwise; each caller words the problem for its own
    users (a field of a form, a line of a file, an option of a command).
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
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        raise ValueError(f"{text[:40]!r} is not a date")
    day, month, year = match.groups()
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    if month_number is None:
        raise ValueError(f"{month!r} is not a month")
    return dt.date(int(year), month_number, int(day))
