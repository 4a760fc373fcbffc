"""Status of each state against each spending target, as of an assessment date.

The rules (docs/commitments.md, "Status rules"), applied in this order to the
latest figure published by the assessment date:

1. unknown  - no figure for the target's measure has been published;
2. met      - the figure is at or above the target level;
3. behind   - the target's deadline has passed (the assessment date is after
              it), or the figure is already for the deadline year or later;
4. on track - the straight line from the figure's year to the deadline's year
              needs a rise of at most ``commitments.status.max_annual_increase``
              percentage points a year: (level - figure) / (deadline year -
              figure year) <= that parameter;
5. behind   - otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from accord.rules.parameters import ParameterSet

from .spending import SpendingFigure, latest_known_figure
from .targets import Target, targets_on

MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
UNKNOWN = "unknown"
STATUSES = (MET, ON_TRACK, BEHIND, UNKNOWN)
MAX_INCREASE = "commitments.status.max_annual_increase"


class Memberships(Protocol):
    """What the status needs from ``accord.parties.PartyRegistry``."""

    def members(self, framework: str, *, on: dt.date) -> frozenset[str]: ...


@dataclass(frozen=True)
class TargetStatus:
    state: str
    target: Target
    status: str
    figure: SpendingFigure | None
    required_annual_increase: Decimal | None  # percentage points a year, when computed
    max_annual_increase: Decimal
    reason: str
    assessed_on: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "target": self.target.id,
            "target_label": self.target.label,
            "level_percent_gdp": float(self.target.level),
            "deadline": self.target.deadline.isoformat(),
            "status": self.status,
            "figure": self.figure.as_dict() if self.figure else None,
            "required_annual_increase": (
                float(self.required_annual_increase.quantize(Decimal("0.0001")))
                if self.required_annual_increase is not None
                else None
            ),
            "max_annual_increase": float(self.max_annual_increase),
            "reason": self.reason,
            "assessed_on": self.assessed_on.isoformat(),
            "reference": self.target.references[0] if self.target.references else None,
        }


# --- one small rule each --------------------------------------------------


def target_met(percent_gdp: Decimal, level: Decimal) -> bool:
    """A target "of X% of GDP" is met at X% exactly (Wales 2014 para 14: "a minimum of 2%")."""
    return percent_gdp >= level


def deadline_passed(deadline: dt.date, on: dt.date) -> bool:
    """The deadline day itself still counts as in time."""
    return on > deadline


def years_left(figure_year: int, deadline: dt.date) -> int:
    """Whole years from the figure's year to the deadline's year."""
    return deadline.year - figure_year


def required_annual_increase(percent_gdp: Decimal, level: Decimal, years: int) -> Decimal:
    """Percentage points a year on the straight line from the figure to the level."""
    return (level - percent_gdp) / Decimal(years)


def on_track_by_straight_line(required: Decimal, max_increase: Decimal) -> bool:
    """On track when the rise needed each year is no more than the house limit (parameter)."""
    return required <= max_increase


# --- assessment -----------------------------------------------------------


def assess(
    state: str,
    target: Target,
    figure: SpendingFigure | None,
    on: dt.date,
    max_increase: Decimal,
) -> TargetStatus:
    """Apply the rules above to one state's latest figure and one target."""

    def result(status: str, reason: str, required: Decimal | None = None) -> TargetStatus:
        return TargetStatus(state, target, status, figure, required, max_increase, reason, on)

    level = target.level
    if figure is None or figure.percent_gdp is None:
        return result(
            UNKNOWN,
            f"no {target.measure} spending figure for {state} published by {on.isoformat()}",
        )
    pct = figure.percent_gdp
    approx = "about " if figure.approximate else ""
    seen = f"{approx}{pct:.2f}% of GDP in {figure.year}"
    if target_met(pct, level):
        return result(MET, f"{seen} is at or above the target of {level}%")
    if deadline_passed(target.deadline, on):
        return result(
            BEHIND,
            f"{seen} is below {level}% and the deadline {target.deadline.isoformat()} has passed",
        )
    years = years_left(figure.year, target.deadline)
    if years <= 0:
        return result(BEHIND, f"{seen} is below {level}% for the deadline year {target.deadline.year}")
    required = required_annual_increase(pct, level, years)
    comparison = (
        f"reaching {level}% by {target.deadline.year} needs +{_pp(required)} points a year "
        f"for {years} year(s); the on-track limit is {max_increase} points a year"
    )
    if on_track_by_straight_line(required, max_increase):
        return result(ON_TRACK, f"{seen}: {comparison}", required)
    return result(BEHIND, f"{seen}: {comparison}", required)


def applicable_states(target: Target, memberships: Memberships, on: dt.date) -> list[str]:
    """The states a target applies to on ``on``: a framework's members, or one state."""
    if target.framework:
        return sorted(memberships.members(target.framework, on=on))
    return [target.state] if target.state else []


def status_report(
    figures: Iterable[SpendingFigure],
    params: ParameterSet,
    memberships: Memberships,
    on: dt.date,
    *,
    states: Iterable[str] | None = None,
    target_ids: Iterable[str] | None = None,
) -> list[TargetStatus]:
    """Every (state, target) pair in force on ``on``, sorted by target then state."""
    figures = list(figures)
    wanted_states = set(states) if states is not None else None
    wanted_targets = set(target_ids) if target_ids is not None else None
    max_increase = Decimal(str(params.value(MAX_INCREASE, on)))
    report: list[TargetStatus] = []
    for target in targets_on(params, on):
        if wanted_targets is not None and target.id not in wanted_targets:
            continue
        for state in applicable_states(target, memberships, on):
            if wanted_states is not None and state not in wanted_states:
                continue
            figure = latest_known_figure(figures, state, target.measure, on)
            report.append(assess(state, target, figure, on, max_increase))
    return report


def summary(report: Iterable[TargetStatus]) -> dict[str, dict[str, int]]:
    """Counts of each status per target, every status present (zeros included)."""
    counts: dict[str, dict[str, int]] = {}
    for item in report:
        per_target = counts.setdefault(item.target.id, {s: 0 for s in STATUSES})
        per_target[item.status] += 1
    return counts


def _pp(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001')).normalize():f}"
