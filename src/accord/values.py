"""Reading plain values from what users and data files give us (pure Python)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def to_date(value: Any) -> dt.date:
    """A date from a date, a datetime (its day) or ISO 8601 text (YYYY-MM-DD).

    Raises ``ValueError`` otherwise; each caller words the problem for its own
    users (a field of a form, a line of a file, an option of a command).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
