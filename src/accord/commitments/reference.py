"""Load the commitments reference data into the database, idempotently.

Called by `accord setup`. The data files are the source of truth for records
marked ``from_reference``: loading again changes nothing unless a file
changed, and a figure removed from the file is removed here too. Figures that
users recorded (``from_reference=False``) are left alone. Every change is a
save of an OwnedRecord, so the platform audits it.
"""

from __future__ import annotations

from django.db import transaction

from accord.commitments.engine.safe_allocations import load_allocations
from accord.commitments.engine.spending import load_spending
from accord.commitments.models import SafeAllocation, SpendingFigure
from accord.platform.models import Party
from accord.platform.reference import LoadCounts, upsert

# The European Commission decides SAFE allocations, so it owns them.
ALLOCATIONS_OWNER = "COM"


@transaction.atomic
def load_spending_figures() -> LoadCounts:
    counts = LoadCounts()
    parties = {p.code: p for p in Party.objects.all()}
    keep: set[int] = set()
    for figure in load_spending():
        state = parties[figure.state]
        source = figure.source
        recorded = SpendingFigure.objects.filter(
            state=state, year=figure.year, measure=figure.measure, from_reference=False
        ).first()
        if recorded is not None:
            # A state's own recorded figure takes precedence over the file.
            keep.add(recorded.pk)
            continue
        record = upsert(
            SpendingFigure,
            {"state": state, "year": figure.year, "measure": figure.measure},
            {
                "owner": state,
                "is_public": True,
                "percent_gdp": figure.percent_gdp,
                "approximate": figure.approximate,
                "source_key": source.key if source else "",
                "source_title": source.title if source else "",
                "source_href": (source.href or "") if source else "",
                "published": source.published if source else None,
                "confidence": source.confidence if source else "",
                "note": figure.note or "",
                "from_reference": True,
            },
            counts,
        )
        keep.add(record.pk)
    for stale in SpendingFigure.objects.filter(from_reference=True).exclude(pk__in=keep):
        stale.delete()  # one by one, so each deletion is audited
        counts.removed += 1
    return counts


@transaction.atomic
def load_safe_allocations() -> LoadCounts:
    counts = LoadCounts()
    allocation_set = load_allocations()
    owner = Party.objects.get(code=ALLOCATIONS_OWNER)
    source = allocation_set.source
    keep: set[int] = set()
    for allocation in allocation_set.allocations:
        record = upsert(
            SafeAllocation,
            {"state": Party.objects.get(code=allocation.state)},
            {
                "owner": owner,
                "is_public": True,
                "amount_eur": allocation.amount_eur,
                "source_title": source.title if source else "",
                "source_href": (source.href or "") if source else "",
                "published": source.published if source else None,
                "confidence": source.confidence if source else "",
            },
            counts,
        )
        keep.add(record.pk)
    for stale in SafeAllocation.objects.exclude(pk__in=keep):
        stale.delete()
        counts.removed += 1
    return counts


def load(console) -> None:
    """Entry point for `accord setup`."""
    spending = load_spending_figures()
    console.print(f"Commitments spending figures: {spending}")
    allocations = load_safe_allocations()
    console.print(f"Commitments SAFE allocations: {allocations}")
