"""SAFE allocations per Member State and the Art. 13 concentration check.

Amounts are exact euro integers (docs/law/safe-regulation.md#allocations). Two checks:

- the allocations add up to the SAFE envelope (parameter
  ``safe.loans.envelope_eur``);
- Art. 13 of Regulation (EU) 2025/1106: the three largest recipients together
  hold at most ``safe.loans.three_largest_share_cap`` (60%, secondary)
  of the total.

The allocations themselves are the SAFE parameter ``safe.loans.allocations_eur``,
the one place they are recorded (the procurement engine reads the same
parameter to know which Member States receive SAFE loans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from accord.rules.parameters import ParameterSet, load_parameters

from .sources import Source, parse_source
from .yamlio import is_state_code, problem, raise_if

ALLOCATIONS = "safe.loans.allocations_eur"
ENVELOPE = "safe.loans.envelope_eur"
CAP = "safe.loans.three_largest_share_cap"
LARGEST_COUNT = 3  # "the three largest recipients" (Art. 13): a count named in the text


@dataclass(frozen=True)
class Allocation:
    state: str
    amount_eur: int

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "amount_eur": self.amount_eur}


@dataclass(frozen=True)
class AllocationSet:
    allocations: tuple[Allocation, ...]
    source: Source | None

    @property
    def total_eur(self) -> int:
        return sum(a.amount_eur for a in self.allocations)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    reason: str
    reference: str
    confidence: str
    figures: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "reason": self.reason,
            "reference": self.reference,
            "confidence": self.confidence,
            "figures": self.figures,
        }


def parse_allocations(data: Any) -> AllocationSet:
    problems: list = []
    if not isinstance(data, dict):
        raise_if([problem("the allocations file must be a mapping with 'source' and 'allocations'")])
    source = None
    if data.get("source") is not None:
        source = parse_source("source", data["source"], "source", problems)
    raw = data.get("allocations")
    if not isinstance(raw, list) or not raw:
        problems.append(problem("'allocations' must be a non-empty list", field="allocations"))
        raw = []
    allocations: list[Allocation] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"allocations[{index}]"
        if not isinstance(entry, dict):
            problems.append(problem("an allocation must be a mapping", field=where))
            continue
        state, amount = entry.get("state"), entry.get("amount_eur")
        item = state if isinstance(state, str) else None
        ok = True
        if not is_state_code(state):
            problems.append(problem(f"{state!r} is not an ISO 3166-1 alpha-2 code", field=f"{where}.state"))
            ok = False
        elif state in seen:
            problems.append(problem("a second allocation for the same state", field=f"{where}.state", item=item))
            ok = False
        # Exact euros: an integer, never a float that may have lost cents.
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            problems.append(
                problem(f"{amount!r} is not a whole number of euros (>= 0)", field=f"{where}.amount_eur", item=item)
            )
            ok = False
        if ok:
            seen.add(state)
            allocations.append(Allocation(state, amount))
    raise_if(problems)
    ordered = sorted(allocations, key=lambda a: (-a.amount_eur, a.state))
    return AllocationSet(tuple(ordered), source)


def load_allocations(params: ParameterSet | None = None, on: dt.date | None = None) -> AllocationSet:
    """The allocations in force on ``on`` (default: the latest published), from the SAFE parameter."""
    parameter = (params or load_parameters("safe"))[ALLOCATIONS]
    if on is None:
        published, amounts = parameter.values[-1]
    else:
        published, amounts = parameter.in_force_from(on), parameter.at(on)
    first_href = next((r.href for r in parameter.references if r.href), None)
    return parse_allocations(
        {
            "source": {
                "title": parameter.reference,
                "href": first_href,
                "published": published,
                "confidence": parameter.confidence,
                "note": parameter.note,
            },
            "allocations": [{"state": state, "amount_eur": amount} for state, amount in (amounts or {}).items()],
        }
    )


def largest_recipients(allocations: Iterable[Allocation], count: int = LARGEST_COUNT) -> list[Allocation]:
    """The ``count`` largest amounts (ties broken by state code, which does not change the sum)."""
    return sorted(allocations, key=lambda a: (-a.amount_eur, a.state))[:count]


def share_of_largest(allocations: Iterable[Allocation], count: int = LARGEST_COUNT) -> Fraction:
    """Exact share of the total held by the ``count`` largest recipients."""
    allocations = list(allocations)
    total = sum(a.amount_eur for a in allocations)
    if total == 0:
        return Fraction(0)
    return Fraction(sum(a.amount_eur for a in largest_recipients(allocations, count)), total)


def total_matches_envelope(allocation_set: AllocationSet, params: ParameterSet, on: dt.date) -> Check:
    """The allocations add up to the SAFE envelope, to the euro."""
    envelope = int(params.value(ENVELOPE, on))
    total = allocation_set.total_eur
    passed = total == envelope
    return Check(
        name="total_equals_envelope",
        passed=passed,
        reason=(
            f"the allocations add up to EUR {total:,}, "
            + (
                "exactly the envelope"
                if passed
                else f"not the envelope of EUR {envelope:,} (difference {total - envelope:+,})"
            )
        ),
        reference=params[ENVELOPE].reference,
        confidence=params[ENVELOPE].confidence,
        figures={"total_eur": total, "envelope_eur": envelope, "difference_eur": total - envelope},
    )


def three_largest_within_cap(allocation_set: AllocationSet, params: ParameterSet, on: dt.date) -> Check:
    """Art. 13: the three largest recipients hold at most the capped share of the total."""
    cap = Fraction(Decimal(str(params.value(CAP, on))))
    largest = largest_recipients(allocation_set.allocations)
    share = share_of_largest(allocation_set.allocations)
    passed = share <= cap
    names = ", ".join(f"{a.state} EUR {a.amount_eur:,}" for a in largest)
    return Check(
        name="three_largest_share",
        passed=passed,
        reason=(
            f"the three largest recipients ({names}) hold {_percent(share)} of the total, "
            + ("within" if passed else "above")
            + f" the cap of {_percent(cap)}"
        ),
        reference=params[CAP].reference,
        confidence=params[CAP].confidence,
        figures={
            "largest": [a.as_dict() for a in largest],
            "largest_total_eur": sum(a.amount_eur for a in largest),
            "total_eur": allocation_set.total_eur,
            "share": float(share),
            "cap": float(cap),
            "tied_at_cutoff": _tied_at_cutoff(allocation_set.allocations),
        },
    )


def allocation_report(allocation_set: AllocationSet, params: ParameterSet, on: dt.date) -> dict[str, Any]:
    total = allocation_set.total_eur
    checks = [
        total_matches_envelope(allocation_set, params, on),
        three_largest_within_cap(allocation_set, params, on),
    ]
    return {
        "assessed_on": on.isoformat(),
        "source": allocation_set.source.as_dict() if allocation_set.source else None,
        "total_eur": total,
        "allocations": [
            {**a.as_dict(), "share": float(Fraction(a.amount_eur, total)) if total else 0.0}
            for a in allocation_set.allocations
        ],
        "checks": [c.as_dict() for c in checks],
        "passed": all(c.passed for c in checks),
    }


def _tied_at_cutoff(allocations: Iterable[Allocation]) -> list[str]:
    """States sharing the third-largest amount, when more than one does (e.g. FR and HU)."""
    ordered = sorted(allocations, key=lambda a: (-a.amount_eur, a.state))
    if len(ordered) < LARGEST_COUNT:
        return []
    cutoff = ordered[LARGEST_COUNT - 1].amount_eur
    tied = [a.state for a in ordered if a.amount_eur == cutoff]
    return tied if len(tied) > 1 else []


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.2f}%"
