"""Template filters that turn stored values into words people read.

``{% load accord_text %}``, then:

- ``{{ moment|when }}``: "18 December 2026, 07:49 CET" (Europe/Brussels; or
  ``|when:user_timezone``, which the context gives as Europe/London for UK users);
  a date: "18 December 2026"; an ISO string is read first. Never an ISO timestamp.
- ``{{ "secondary"|confidence }}``: "from a press report".
- ``{{ "in_progress"|words }}``: "in progress".
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template

register = template.Library()

DEFAULT_TIMEZONE = "Europe/Brussels"

# How sure a fact is, as users say it (the data's confidence levels).
CONFIDENCE_WORDS = {
    "quoted": "quoted from the official text",
    "primary": "quoted from the official text",
    "secondary": "from a press report",
    "inferred": "inferred, to be confirmed",
    "unsure": "the exact date is not known",
}


def _parse(value):
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
        except ValueError:
            return None
    return value


@register.filter
def when(value, timezone: str | None = None) -> str:
    """A date or moment in words; an empty value gives "" (the template says what is missing)."""
    value = _parse(value)
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        local = value.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE))
        return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


@register.filter
def confidence(value) -> str:
    return CONFIDENCE_WORDS.get(str(value or "").strip().lower(), "")


@register.filter
def words(value) -> str:
    """A stored code in words: "in_progress" -> "in progress"."""
    return str(value or "").replace("_", " ").replace("-", " ").strip()
