"""Figures in the words people read: the verdict's sentences are shown on pages as they are."""

from __future__ import annotations

import datetime as dt


def day_text(day: dt.date) -> str:
    """A date as people write it: 2 April 2026 (never 2026-04-02 in a sentence)."""
    return f"{day.day} {day:%B %Y}"
