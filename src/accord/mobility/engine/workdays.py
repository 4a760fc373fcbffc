"""Working days of a state: weekends and that state's public holidays are skipped.

Public holidays come from the ``holidays`` package (national holidays of the
country; regional holidays are not counted).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=512)
def public_holidays(country: str, year: int) -> dict[dt.date, str]:
    try:
        return dict(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return {}


def holiday_name(country: str, day: dt.date) -> str | None:
    return public_holidays(country, day.year).get(day)


def is_working_day(country: str, day: dt.date) -> bool:
    """Monday to Friday, and not a public holiday of ``country``."""
    return day.weekday() < 5 and holiday_name(country, day) is None


def working_days_before(country: str, day: dt.date, count: int) -> tuple[dt.date, list[tuple[dt.date, str]]]:
    """The date ``count`` working days before ``day``, and the holidays skipped on the way.

    Counting back from the day of entry: with 5 working days and entry on a
    Monday, the request is due on the Monday before; a public holiday inside
    that window moves the date one working day earlier.
    """
    skipped: list[tuple[dt.date, str]] = []
    current = day
    remaining = count
    while remaining > 0:
        current -= dt.timedelta(days=1)
        name = holiday_name(country, current)
        if current.weekday() >= 5:
            continue
        if name is not None:
            skipped.append((current, name))
            continue
        remaining -= 1
    return current, skipped
