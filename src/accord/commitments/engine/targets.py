"""Spending targets, read from dated parameters (src/accord/rules/commitments/targets/).

Each target is a folder of parameters: ``label``, ``level`` (% of GDP),
``deadline`` (a date), ``applies_to`` (``{framework: CODE}`` or ``{state: CODE}``),
``measure`` and optionally ``review`` (a year). A target is in force on a date
when its ``level`` has a (non-null) value on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accord.rules.parameters import ParameterNotInForce, ParameterSet, load_parameters
from accord.values import to_date

PREFIX = "commitments.targets."


@dataclass(frozen=True)
class Target:
    id: str
    label: str
    level: Decimal  # % of GDP
    deadline: dt.date
    measure: str
    framework: str | None  # applies to the framework's members on the assessment date ...
    state: str | None  # ... or to this one state
    review_year: int | None
    adopted: dt.date  # the date the level in force took effect
    references: tuple[dict[str, str | None], ...]
    confidence: str  # the weakest confidence of the level and the deadline

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "level_percent_gdp": float(self.level),
            "deadline": self.deadline.isoformat(),
            "measure": self.measure,
            "applies_to": {"framework": self.framework} if self.framework else {"state": self.state},
            "review_year": self.review_year,
            "adopted": self.adopted.isoformat(),
            "reference": list(self.references),
            "confidence": self.confidence,
        }


def commitments_parameters() -> ParameterSet:
    # The commitments rules, and the SAFE envelope and cap they check allocations against.
    return load_parameters()


def target_ids(params: ParameterSet) -> list[str]:
    return sorted({name[len(PREFIX) :].split(".")[0] for name in params.names(PREFIX)})


def target_on(params: ParameterSet, target_id: str, on: dt.date) -> Target | None:
    """The target as it stands on ``on``; None before it was adopted or after it lapsed."""
    base = f"{PREFIX}{target_id}."
    try:
        level = params.value(base + "level", on)
    except ParameterNotInForce:
        return None
    if level is None:
        return None
    applies_to = params.value(base + "applies_to", on) or {}
    review = params.value(base + "review", on) if base + "review" in params else None
    level_param = params[base + "level"]
    deadline_param = params[base + "deadline"]
    return Target(
        id=target_id,
        label=str(params.value(base + "label", on)),
        level=Decimal(str(level)),
        deadline=_as_date(params.value(base + "deadline", on)),
        measure=str(params.value(base + "measure", on)),
        framework=applies_to.get("framework"),
        state=applies_to.get("state"),
        review_year=int(review) if review is not None else None,
        adopted=level_param.in_force_from(on),
        references=tuple(r.as_dict() for r in level_param.references),
        confidence=_weakest(level_param.confidence, deadline_param.confidence),
    )


def targets_on(params: ParameterSet, on: dt.date) -> list[Target]:
    """Every target in force on ``on``, in a stable order."""
    found = (target_on(params, target_id, on) for target_id in target_ids(params))
    return sorted((t for t in found if t is not None), key=lambda t: (t.deadline, t.id))


def _as_date(value: Any) -> dt.date:
    return to_date(value)


_ORDER = ("quoted", "secondary", "inferred")


def _weakest(*levels: str) -> str:
    return max(levels, key=_ORDER.index)
