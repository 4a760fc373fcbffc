"""Fixtures of the commitments tests: the commitments reference data in the database."""

import pytest


@pytest.fixture
def commitments_data(reference_data):
    from accord.commitments.reference import load_safe_allocations, load_spending_figures

    load_spending_figures()
    load_safe_allocations()
