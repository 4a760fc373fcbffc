"""The service layer of the commitments capability: every read and change goes through here.

Reads return only what ``accord.platform.policy`` lets the user see; the one
change (recording a spending figure) asks the policy, validates the whole
input with the pure engine before storing anything, and runs inside
``audit.acting_as(user)``. The assessment date is always an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from accord.commitments import reports
from accord.commitments.engine.safe_allocations import Allocation, AllocationSet
from accord.commitments.engine.sources import Source
from accord.commitments.engine.spending import SpendingFigure as Figure
from accord.commitments.engine.spending import parse_spending
from accord.commitments.models import SafeAllocation, SpendingFigure
from accord.errors import InputError, Problem
from accord.platform import audit, policy
from accord.platform.models import Party

RECORD_FIELDS = (
    "state",
    "year",
    "measure",
    "percent_gdp",
    "approximate",
    "source_title",
    "source_href",
    "published",
    "confidence",
    "note",
)


# --- reads -----------------------------------------------------------------


def visible_figures(user):
    return policy.visible(user, SpendingFigure.objects.select_related("state"))


def figure_for(user, pk: int) -> SpendingFigure:
    """One figure the user may see, or ``policy.NotVisible`` (404)."""
    return policy.get_visible(user, SpendingFigure.objects.select_related("state"), pk=pk)


def as_engine_figure(record: SpendingFigure) -> Figure:
    source = None
    if record.source_title:
        source = Source(
            key=record.source_key or f"record-{record.pk}",
            title=record.source_title,
            href=record.source_href or None,
            published=record.published,
            confidence=record.confidence or "secondary",
        )
    return Figure(
        state=record.state.code,
        year=record.year,
        measure=record.measure,
        percent_gdp=record.percent_gdp,
        source=source,
        approximate=record.approximate,
        note=record.note or None,
    )


def figure_row(record: SpendingFigure) -> dict[str, Any]:
    return {"id": record.pk, "owner": record.owner.code, **as_engine_figure(record).as_dict()}


def status_for(user, on: dt.date, *, states: Iterable[str] | None = None, target_ids: Iterable[str] | None = None):
    figures = [as_engine_figure(r) for r in visible_figures(user)]
    return reports.status_data(on, states=states, target_ids=target_ids, figures=figures)


def spending_for(user, on: dt.date) -> dict[str, Any]:
    records = list(visible_figures(user).select_related("owner"))
    data = reports.spending_data(on, [as_engine_figure(r) for r in records])
    data["figures"] = [figure_row(r) for r in records]
    return data


def allocations_for(user, on: dt.date) -> dict[str, Any]:
    records = policy.visible(user, SafeAllocation.objects.select_related("state"))
    first = records.first()
    source = None
    if first is not None and first.source_title:
        source = Source(
            "source", first.source_title, first.source_href or None, first.published, first.confidence or "secondary"
        )
    allocation_set = AllocationSet(tuple(Allocation(r.state.code, r.amount_eur) for r in records), source)
    if not allocation_set.allocations:
        return {
            "assessed_on": on.isoformat(),
            "allocations": [],
            "checks": [],
            "passed": None,
            "source": None,
            "total_eur": 0,
        }
    return reports.allocations_data(on, allocation_set)


def groupings_on(on: dt.date) -> dict[str, Any]:
    """Public reference data from the parties registry and the treaties file."""
    return reports.groupings_data(on)


def first_answer_date(parameters: Iterable[str]) -> dt.date:
    """The first date on which all these parameters are in force (before it, no answer)."""
    params = reports.commitments_parameters()
    return max(params[name].values[0][0] for name in parameters)


def parse_on(value: str | None, today: dt.date, field: str = "on") -> dt.date:
    """The assessment date from a query parameter; ``today`` comes from the entry point."""
    if value in (None, ""):
        return today
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


# --- the one change: a state records its spending figure ----------------------


def record_figure(user, payload: Mapping[str, Any]) -> SpendingFigure:
    """Create or replace a state's figure for one year and measure.

    Who: an editor or administrator of that state (policy rule
    ``commitments.record_spending``). Invalid input raises ``InputError``
    naming every field at fault; nothing is stored.
    """
    unknown = sorted(set(payload) - set(RECORD_FIELDS))
    if unknown:
        raise InputError([Problem("unknown field", field=name) for name in unknown])
    code = str(payload.get("state") or "").strip().upper()
    state = Party.objects.filter(code=code, kind="state").first()
    if state is None:
        raise InputError(f"unknown state {payload.get('state')!r}", field="state")
    policy.require(user, "commitments.record_spending", state=state)
    figure = _validated(payload, code)
    # The audit chain's write lock is taken before the look-up, so two first figures
    # for the same state, year and measure at once are one insert then one update,
    # never two inserts racing on the unique constraint.
    with audit.audited_write(), audit.acting_as(user):
        record = SpendingFigure.objects.filter(state=state, year=figure.year, measure=figure.measure).first()
        if record is None:
            record = SpendingFigure(state=state, year=figure.year, measure=figure.measure, created_by=user)
        record.owner = state
        record.is_public = True  # spending figures are public data
        record.percent_gdp = figure.percent_gdp
        record.approximate = figure.approximate
        record.source_key = ""
        record.source_title = figure.source.title
        record.source_href = figure.source.href or ""
        record.published = figure.source.published
        record.confidence = figure.source.confidence
        record.note = figure.note or ""
        record.from_reference = False
        record.save()
    return record


def _validated(payload: Mapping[str, Any], code: str) -> Figure:
    """Check the whole figure with the engine's own file rules; problems name API fields."""
    problems: list[Problem] = []
    if payload.get("percent_gdp") in (None, ""):
        problems.append(Problem("a figure is required (record a number, not a gap)", field="percent_gdp"))
    if not payload.get("source_title"):
        problems.append(Problem("the source's title is required", field="source_title"))
    document = {
        "sources": {
            "recorded": {
                "title": payload.get("source_title") or "",
                "href": payload.get("source_href") or None,
                "published": payload.get("published") or None,
                "confidence": payload.get("confidence") or "quoted",
            }
        },
        "figures": [
            {
                "state": code,
                "year": payload.get("year"),
                "measure": payload.get("measure") or "defence",
                "percent_gdp": payload.get("percent_gdp"),
                "approximate": bool(payload.get("approximate", False)),
                "source": "recorded",
                "note": payload.get("note") or "recorded",
            }
        ],
    }
    try:
        (figure,) = parse_spending(document)
    except InputError as exc:
        problems.extend(_api_problem(p) for p in exc.problems)
        figure = None
    if problems:
        # The same fault may be found twice (e.g. a missing title); say it once.
        unique: dict = {}
        for p in problems:
            unique.setdefault(p.field, p)
        raise InputError(list(unique.values()))
    return figure


_FIELD_NAMES = {
    "sources.recorded.title": "source_title",
    "sources.recorded.href": "source_href",
    "sources.recorded.published": "published",
    "sources.recorded.confidence": "confidence",
}


def _api_problem(problem: Problem) -> Problem:
    field = problem.field or ""
    field = _FIELD_NAMES.get(field, field.replace("figures[0].", ""))
    return Problem(problem.message, field=field or None)
