"""Working days of a state: weekends and that state's public holidays are skipped.

Public holidays come from the ``holidays`` package (national holidays of the
country; regional holidays are not counted). A state may also close on days
that are not public holidays (Sweden: Midsummer Eve, Christmas Eve and New
Year's Eve count as holidays for deadlines under Lag (1930:173) 2 §): those
come as extra ``holidays`` categories from the parameter
``mobility.permissions.current.deadline_closure_categories``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=512)
def public_holidays(country: str, year: int, extra: tuple[str, ...] = ()) -> dict[dt.date, str]:
    try:
        days = dict(holidays.country_holidays(country, years=year))
        if extra:
            days.update(holidays.country_holidays(country, years=year, categories=extra))
        return days
    except NotImplementedError:
        return {}


def holiday_name(country: str, day: dt.date, extra: tuple[str, ...] = ()) -> str | None:
    return public_holidays(country, day.year, tuple(extra)).get(day)


def is_working_day(country: str, day: dt.date, extra: tuple[str, ...] = ()) -> bool:
    """Monday to Friday, and not a public holiday (or closure day) of ``country``."""
    return day.weekday() < 5 and holiday_name(country, day, extra) is None


def previous_working_day(
    country: str, day: dt.date, extra: tuple[str, ...] = ()
) -> tuple[dt.date, list[tuple[dt.date, str]]]:
    """``day`` if it is a working day, else the working day before it, and the days passed over."""
    skipped: list[tuple[dt.date, str]] = []
    while not is_working_day(country, day, extra):
        skipped.append((day, holiday_name(country, day, extra) or ("Saturday" if day.weekday() == 5 else "Sunday")))
        day -= dt.timedelta(days=1)
    return day, skipped


def working_days_before(
    country: str, day: dt.date, count: int, extra: tuple[str, ...] = ()
) -> tuple[dt.date, list[tuple[dt.date, str]]]:
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
        name = holiday_name(country, current, extra)
        if current.weekday() >= 5:
            continue
        if name is not None:
            skipped.append((current, name))
            continue
        remaining -= 1
    return current, skipped
