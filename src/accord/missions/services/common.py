"""What every missions service shares: the party registry, the date of the answer, sharing and input checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.errors import InputError, Problem
from accord.missions.engine import workflow
from accord.parties import load_registry
from accord.platform.models import Party

EEAS = "EEAS"
COUNCIL = "COUNCIL"


class StepRefused(Exception):
    """The workflow refuses the step (wrong state, no FPA ...): answer 409 with the decision."""

    def __init__(self, decision: workflow.Decision) -> None:
        self.decision = decision
        super().__init__("; ".join(decision.reasons))


def registry():
    return load_registry()


def server_today() -> dt.date:
    """The day of an act: always the server's, never a date sent by the client."""
    from django.utils import timezone

    return timezone.localdate()


def parse_on(value: str | None, today: dt.date) -> dt.date:
    """The date from a query parameter, or today (given by the entry point)."""
    if value in (None, ""):
        return today
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"“{value}” is not a date (write it as YYYY-MM-DD)", field="on") from None


def strip_prefix(exc: InputError, prefix: str) -> InputError:
    return InputError(
        [
            Problem(p.message, field=(p.field or "").removeprefix(prefix) or None, line=p.line, item=p.item)
            for p in exc.problems
        ]
    )


def shared(record, codes) -> None:
    parties = list(Party.objects.filter(code__in=sorted(set(codes))))
    if parties:
        record.shared_with.add(*parties)


def too_long(model, column: str, value: Any, field: str) -> list[Problem]:
    """A problem when a text is longer than its column holds (never a database error)."""
    limit = model._meta.get_field(column).max_length
    if isinstance(value, str) and limit and len(value.strip()) > limit:
        return [Problem(f"is longer than {limit} characters", field=field)]
    return []


def parse_with_lengths(parse, data: Any, lengths: list[Problem]):
    """Parse with the engine, reporting its problems and the length problems together."""
    try:
        parsed = parse(data)
    except InputError as exc:
        raise InputError([*exc.problems, *lengths]) from None
    if lengths:
        raise InputError(lengths)
    return parsed
