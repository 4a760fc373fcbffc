"""JSON-ready views of the commitments engine, shared by the CLI, API and pages.

Pure Python (no Django): each function takes the assessment date and returns
plain dicts with ISO dates and sorted, stable content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from accord.errors import InputError, Problem
from accord.parties import load_registry

from .engine import groupings, safe_allocations, status, targets
from .engine.spending import SpendingFigure, latest_known_figure, load_spending


def commitments_parameters():
    return targets.commitments_parameters()


_params = commitments_parameters


def check_filters(
    states: Iterable[str] | None, target_ids: Iterable[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """Upper-case the state codes; reject unknown states and targets (every problem at once)."""
    problems: list[Problem] = []
    registry = load_registry()
    wanted_states = None
    if states:
        wanted_states = [s.strip().upper() for s in states]
        for code in wanted_states:
            if not registry.is_known(code):
                problems.append(Problem(f"unknown state code {code!r}", field="state", item=code))
    wanted_targets = None
    if target_ids:
        known = targets.target_ids(_params())
        wanted_targets = list(target_ids)
        for tid in wanted_targets:
            if tid not in known:
                problems.append(Problem(f"unknown target {tid!r}; known: {', '.join(known)}", field="target", item=tid))
    if problems:
        raise InputError(problems)
    return wanted_states, wanted_targets


def targets_data(on: dt.date) -> dict[str, Any]:
    params = _params()
    return {
        "assessed_on": on.isoformat(),
        "targets": [t.as_dict() for t in targets.targets_on(params, on)],
    }


def status_data(
    on: dt.date,
    *,
    states: Iterable[str] | None = None,
    target_ids: Iterable[str] | None = None,
    figures: Iterable[SpendingFigure] | None = None,
) -> dict[str, Any]:
    """``figures``: the figures to assess (default: the reference data file)."""
    wanted_states, wanted_targets = check_filters(states, target_ids)
    params = _params()
    figures = load_spending() if figures is None else list(figures)
    report = status.status_report(figures, params, load_registry(), on, states=wanted_states, target_ids=wanted_targets)
    shown_targets = {item.target.id: item.target for item in report}
    for target in targets.targets_on(params, on):
        if wanted_targets is None or target.id in wanted_targets:
            shown_targets.setdefault(target.id, target)
    return {
        "assessed_on": on.isoformat(),
        "rule": {
            "on_track": (
                "the straight line from the latest figure's year to the deadline's year "
                "needs a rise of at most max_annual_increase percentage points a year"
            ),
            "max_annual_increase": float(params.value(status.MAX_INCREASE, on)),
            "parameter": params[status.MAX_INCREASE].describe(),
        },
        "targets": [t.as_dict() for t in sorted(shown_targets.values(), key=lambda t: (t.deadline, t.id))],
        "statuses": [item.as_dict() for item in report],
        "summary": status.summary(report),
    }


def spending_data(on: dt.date, figures: Iterable[SpendingFigure] | None = None) -> dict[str, Any]:
    """Every recorded figure (gaps included) and, per state, the latest one known on ``on``."""
    figures = load_spending() if figures is None else list(figures)
    params = _params()
    states = sorted({f.state for f in figures})
    latest: list[dict[str, Any]] = []
    for state in states:
        figure = latest_known_figure(figures, state, "defence", on)
        latest.append(_latest_row(state, figure, figures))
    return {
        "assessed_on": on.isoformat(),
        "figures": [f.as_dict() for f in figures],
        "latest": latest,
        "targets": [t.as_dict() for t in targets.targets_on(params, on) if t.measure == "defence"],
    }


def _latest_row(state: str, figure: SpendingFigure | None, figures: list[SpendingFigure]) -> dict[str, Any]:
    gap = next((f for f in figures if f.state == state and f.is_gap), None)
    return {
        "state": state,
        "name": _state_name(state),
        "figure": figure.as_dict() if figure else None,
        "gap_note": gap.note if (figure is None and gap is not None) else None,
    }


def _state_name(code: str) -> str:
    registry = load_registry()
    return registry.party(code).name if registry.is_known(code) else code


def allocations_data(on: dt.date, allocation_set: safe_allocations.AllocationSet | None = None) -> dict[str, Any]:
    allocation_set = allocation_set if allocation_set is not None else safe_allocations.load_allocations()
    report = safe_allocations.allocation_report(allocation_set, _params(), on)
    for row in report["allocations"]:
        row["name"] = _state_name(row["state"])
    return report


def groupings_data(on: dt.date) -> dict[str, Any]:
    registry = load_registry()
    register = groupings.register_on(registry, groupings.load_treaties(), on)
    for grouping in register:
        grouping["members_on_date_named"] = sorted(
            ({"code": code, "name": _state_name(code)} for code in grouping["members_on_date"]),
            key=lambda m: m["name"],
        )
    return {"assessed_on": on.isoformat(), "groupings": register}
