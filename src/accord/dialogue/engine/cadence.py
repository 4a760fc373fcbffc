"""The strategic consultation cycle: a fixed cadence with alternating hosts.

The SDP commits the UK Foreign Secretary and the EU High Representative to
semi-annual strategic consultations (docs/law/uk-eu-sdp.md#strategic-consultations). The spacing,
the first date and the host order are parameters under
``rules/dialogue/consultations`` (the first date and the host order are
inferred, see their files).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from accord.errors import InputError, Problem
from accord.rules import ParameterNotInForce, ParameterSet

PARAMETER_PREFIX = "dialogue.consultations"


@dataclass(frozen=True)
class CycleSettings:
    """What fixes every date of the cycle."""

    first_date: dt.date
    cadence_months: int
    hosts: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "first_date": self.first_date,
            "cadence_months": self.cadence_months,
            "hosts": list(self.hosts),
        }


@dataclass(frozen=True)
class ConsultationSlot:
    """One consultation in the cycle; ``sequence`` 1 is the first ever."""

    sequence: int
    date: dt.date
    host: str

    def as_dict(self) -> dict:
        return {"sequence": self.sequence, "date": self.date, "host": self.host}


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; a day the month lacks becomes its last day.

    31 August + 6 months is 28 February (29 in a leap year), not 3 March.
    """
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


def consultation_date(settings: CycleSettings, sequence: int) -> dt.date:
    """The date of consultation number ``sequence`` (1-based).

    Always counted from the anchor, never from the previous date, so a cycle
    anchored on 31 August comes back to 31 August after a short February.
    """
    return add_months(settings.first_date, (sequence - 1) * settings.cadence_months)


def consultation_host(settings: CycleSettings, sequence: int) -> str:
    """Hosting alternates in the parameter's order, starting with the first."""
    return settings.hosts[(sequence - 1) % len(settings.hosts)]


def first_sequence_on_or_after(settings: CycleSettings, day: dt.date) -> int:
    """The number of the first consultation falling on or after ``day``."""
    if day <= settings.first_date:
        return 1
    months_between = (day.year - settings.first_date.year) * 12 + (day.month - settings.first_date.month)
    # Start one step early and walk forward: month-end clamping can put a
    # slot a few days before the naive estimate.
    sequence = max(1, months_between // settings.cadence_months)
    while consultation_date(settings, sequence) < day:
        sequence += 1
    return sequence


def schedule(settings: CycleSettings, count: int, from_date: dt.date | None = None) -> list[ConsultationSlot]:
    """``count`` consecutive consultations from ``from_date`` (default: the first)."""
    problems = validate_settings(settings)
    if count < 1:
        problems.append(Problem("must be at least 1", field="count"))
    if problems:
        raise InputError(problems)
    start = 1 if from_date is None else first_sequence_on_or_after(settings, from_date)
    return [
        ConsultationSlot(n, consultation_date(settings, n), consultation_host(settings, n))
        for n in range(start, start + count)
    ]


def validate_settings(settings: CycleSettings) -> list[Problem]:
    problems = []
    if not isinstance(settings.cadence_months, int) or settings.cadence_months < 1:
        problems.append(Problem("must be a whole number of months, at least 1", field="cadence_months"))
    if not settings.hosts:
        problems.append(Problem("at least one host is needed", field="hosts"))
    return problems


def settings_from_parameters(params: ParameterSet, on: dt.date) -> CycleSettings:
    """The cycle as the parameters in force on ``on`` define it.

    Before the partnership's parameters apply (the SDP was signed 19 May
    2025) there is no cycle: that is a bad input, not a crash.
    """
    names = {
        "first_date": f"{PARAMETER_PREFIX}.first_date",
        "cadence_months": f"{PARAMETER_PREFIX}.cadence_months",
        "hosts": f"{PARAMETER_PREFIX}.hosts",
    }
    try:
        values = {key: params.value(name, on) for key, name in names.items()}
    except ParameterNotInForce as exc:
        raise InputError(Problem(str(exc), field="from")) from None
    return CycleSettings(
        first_date=values["first_date"],
        cadence_months=values["cadence_months"],
        hosts=tuple(str(h) for h in values["hosts"]),
    )


def parameter_basis(params: ParameterSet) -> list[dict]:
    """The parameters the cycle rests on, with their confidence, for explanations."""
    return [params[name].describe() for name in params.names(PARAMETER_PREFIX)]
