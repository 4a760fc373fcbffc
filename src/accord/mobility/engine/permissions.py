"""Cross-border movement permissions: which regime applies, its lead time, the deadline.

Regimes (dated parameters ``mobility.permissions.*``):

- ``current``: each state's national lead time where published (Lithuania: 5
  days, 24 hours in emergencies), otherwise the stated default (45 days, the
  longest notice cited by the European Court of Auditors); a state that gave
  an annual pre-authorisation for low-impact movements under the EDA
  arrangement is only notified.
- ``proposed-2025``: the proposed Military Mobility Regulation, COM(2025)847:
  3 working days in peacetime, 6 hours in an emergency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError, Problem
from accord.rules.parameters import ParameterNotInForce, ParameterSet

from .workdays import previous_working_day, working_days_before

REGIMES = ("current", "proposed-2025")
UNITS = ("working_days", "calendar_days", "hours")
P = "mobility.permissions."


@dataclass(frozen=True)
class LeadTime:
    amount: float
    unit: str
    basis: str  # which rule gave it, in words
    parameter: str
    reference: str
    confidence: str
    reference_href: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount": self.amount,
            "unit": self.unit,
            "unit_label": self.unit.replace("_", " "),
            "basis": self.basis,
            "parameter": self.parameter,
            "reference": self.reference,
            "reference_href": self.reference_href,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Deadline:
    latest_submission: dt.datetime
    holidays_skipped: list = field(default_factory=list)
    date_only: bool = False  # day-based lead times: the request may be submitted any time that day

    def latest_date(self) -> dt.date:
        return self.latest_submission.date()

    def as_dict(self) -> dict[str, Any]:
        latest = (
            self.latest_submission.date().isoformat()
            if self.date_only
            else (self.latest_submission + dt.timedelta(seconds=30)).isoformat(timespec="minutes")
        )
        # holidays_skipped: weekends and holidays passed over while counting back, or that moved the deadline.
        return {
            "latest_submission": latest,
            "holidays_skipped": [{"date": d.isoformat(), "name": n} for d, n in self.holidays_skipped],
        }


def _lead(params: ParameterSet, name: str, on: dt.date, raw: Any, basis: str) -> LeadTime:
    p = params[P + name]
    href = p.references[0].href if p.references else None
    # A per-state figure may carry its own source (mobility.permissions.current.lead_time_by_state).
    return LeadTime(
        amount=raw["amount"],
        unit=raw["unit"],
        basis=basis,
        parameter=P + name,
        reference=raw.get("source") or p.reference,
        confidence=p.confidence,
        reference_href=raw.get("href", href),
    )


def lead_time(
    params: ParameterSet, state: str, on: dt.date, *, regime: str, emergency: bool, pre_authorised: bool = False
) -> LeadTime:
    """The lead time a state applies to a request for a movement entering it on ``on``."""
    try:
        if regime == "proposed-2025":
            return _proposed_regulation_lead_time(params, on, emergency)
        return _national_lead_time(params, state, on, emergency, pre_authorised)
    except ParameterNotInForce as exc:
        raise InputError(
            Problem(f"regime {regime!r} is not defined on {on.isoformat()}: {exc}", field="regime")
        ) from None


def _proposed_regulation_lead_time(params: ParameterSet, on: dt.date, emergency: bool) -> LeadTime:
    """COM(2025)847 (proposal): 3 working days in peacetime, 6 hours in an emergency."""
    if emergency:
        return _lead(
            params,
            "proposed_2025.emergency_lead_time",
            on,
            params.value(P + "proposed_2025.emergency_lead_time", on),
            "proposed regulation, emergency (presumption of grant)",
        )
    return _lead(
        params,
        "proposed_2025.peacetime_lead_time",
        on,
        params.value(P + "proposed_2025.peacetime_lead_time", on),
        "proposed regulation, peacetime",
    )


def _national_lead_time(
    params: ParameterSet, state: str, on: dt.date, emergency: bool, pre_authorised: bool
) -> LeadTime:
    """Today's national rules: published national figure, else the stated default; EDA pre-authorisation."""
    if pre_authorised:
        return _lead(
            params,
            "current.eda_pre_authorised_notice",
            on,
            params.value(P + "current.eda_pre_authorised_notice", on),
            "EDA annual pre-authorisation (low-impact movement): notification only",
        )
    if emergency:
        by_state = params.value(P + "current.emergency_lead_time_by_state", on) or {}
        if state in by_state:
            return _lead(
                params,
                "current.emergency_lead_time_by_state",
                on,
                by_state[state],
                f"national emergency procedure of {state}",
            )
    by_state = params.value(P + "current.lead_time_by_state", on) or {}
    if state in by_state:
        basis = f"national lead time of {state}" + (" (no emergency procedure published)" if emergency else "")
        return _lead(params, "current.lead_time_by_state", on, by_state[state], basis)
    basis = "default for a state without a published lead time" + (
        " (no emergency procedure published)" if emergency else ""
    )
    return _lead(params, "current.default_lead_time", on, params.value(P + "current.default_lead_time", on), basis)


def submission_deadline(state: str, entry: dt.datetime, lead: LeadTime, closed: tuple[str, ...] = ()) -> Deadline:
    """Latest moment to submit the request so that the lead time elapses before entry.

    ``entry`` is the local time of entry into ``state``; days are that state's
    calendar days. A day-based deadline that falls on a weekend, a public
    holiday or a closure day (``closed``: extra holiday categories, e.g.
    Sweden's Christmas Eve) moves to the previous working day: the request
    must reach an open office. Hour-based (emergency) lead times run round
    the clock and are not moved.
    """
    if lead.unit == "hours":
        return Deadline(entry - dt.timedelta(hours=float(lead.amount)))
    if lead.unit == "calendar_days":
        day, skipped = previous_working_day(state, entry.date() - dt.timedelta(days=int(lead.amount)), closed)
        return Deadline(dt.datetime.combine(day, dt.time(0, 0)), skipped, date_only=True)
    if lead.unit == "working_days":
        if not lead.amount:
            return Deadline(entry)
        day, skipped = working_days_before(state, entry.date(), int(lead.amount), closed)
        return Deadline(dt.datetime.combine(day, dt.time(0, 0)), skipped, date_only=True)
    raise InputError(Problem(f"unknown lead-time unit {lead.unit!r}; expected one of {', '.join(UNITS)}", field="unit"))
