"""`accord setup` loads the commitments reference data idempotently."""

import pytest

from accord.commitments.models import SafeAllocation, SpendingFigure
from accord.commitments.reference import load_safe_allocations, load_spending_figures
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing_the_second_time(reference_data):
    first = load_spending_figures(), load_safe_allocations()
    entries = AuditEntry.objects.count()
    second = load_spending_figures(), load_safe_allocations()
    assert first[0].created == SpendingFigure.objects.count() and first[1].created == 19
    assert [(c.created, c.updated, c.removed) for c in second] == [(0, 0, 0), (0, 0, 0)]
    assert AuditEntry.objects.count() == entries


def test_figures_are_owned_by_their_state_and_allocations_by_the_commission(reference_data):
    load_spending_figures()
    load_safe_allocations()
    assert SpendingFigure.objects.get(state__code="PL", year=2025).owner.code == "PL"
    assert {a.owner.code for a in SafeAllocation.objects.all()} == {"COM"}
    assert all(a.is_public for a in SafeAllocation.objects.all())


def test_gaps_are_stored_as_null_not_zero(reference_data):
    load_spending_figures()
    germany = SpendingFigure.objects.get(state__code="DE", year=2025)
    assert germany.percent_gdp is None and germany.note


def test_a_figure_a_state_recorded_is_not_overwritten_by_the_reference_file(reference_data):
    load_spending_figures()
    figure = SpendingFigure.objects.get(state__code="GB", year=2025)
    figure.percent_gdp = "2.410"
    figure.from_reference = False
    figure.save()
    load_spending_figures()
    figure.refresh_from_db()
    assert str(figure.percent_gdp) == "2.410"


def test_accord_setup_entry_point_reports_what_it_loaded(reference_data):
    import io

    from rich.console import Console

    from accord.commitments.reference import load

    out = io.StringIO()
    load(Console(file=out, width=200))
    assert "Commitments spending figures: 36 created" in out.getvalue()
    assert "Commitments SAFE allocations: 19 created" in out.getvalue()
