"""REST API of the commitments capability (mounted at /api/v1/commitments/).

Every route needs a bearer token. Spending figures and allocations are public
reference data (every signed-in user sees them, through ``policy.visible``);
a record that does not exist answers 404; recording a figure for a state the
caller does not act for answers 403; bad input answers 422 with every problem.
``on`` (YYYY-MM-DD) is the assessment date; default: today.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from accord.commitments import reports, services

router = Router(tags=["Commitments"])


def _on(value: str | None):
    # The entry point decides what today is; the rules only receive the date.
    return services.parse_on(value, timezone.localdate())


class StatusQuery(Schema):
    on: str | None = None
    state: list[str] | None = None
    target: list[str] | None = None


class FigureIn(Schema):
    state: Any = None
    year: Any = None
    measure: Any = None
    percent_gdp: Any = None
    approximate: Any = False
    source_title: Any = None
    source_href: Any = None
    published: Any = None
    confidence: Any = None
    note: Any = None


@router.get("/status", summary="Each state against each spending target in force on a date")
def status(request, filters: Query[StatusQuery]):
    on = _on(filters.on)
    return services.status_for(request.auth, on, states=filters.state, target_ids=filters.target)


@router.get("/targets", summary="Spending targets in force on a date, with references")
def targets(request, on: str | None = None):
    return reports.targets_data(_on(on))


@router.get("/spending", summary="Defence spending figures (% of GDP), gaps included, and the latest per state")
def spending(request, on: str | None = None):
    return services.spending_for(request.auth, _on(on))


@router.get("/spending/{figure_id}", summary="One spending figure")
def spending_figure(request, figure_id: int):
    return services.figure_row(services.figure_for(request.auth, figure_id))


@router.post("/spending", response={201: dict}, summary="Record a state's spending figure (that state's editors)")
def record_spending(request, payload: FigureIn):
    record = services.record_figure(request.auth, payload.dict(exclude_unset=True))
    return Status(201, services.figure_row(record))


@router.get("/allocations", summary="SAFE allocations per Member State, with the total and Art. 13 checks")
def allocations(request, on: str | None = None):
    return services.allocations_for(request.auth, _on(on))


@router.get("/groupings", summary="JEF, E5, coalition of the willing and bilateral treaties, members on a date")
def groupings(request, on: str | None = None):
    return services.groupings_on(_on(on))
