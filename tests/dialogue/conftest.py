"""Fixtures of the dialogue tests: the dialogue reference data in the database."""

import datetime as dt

import pytest


@pytest.fixture
def dialogue_data(reference_data):
    from accord.dialogue.reference import load_reference

    load_reference()


@pytest.fixture
def future_exercise(dialogue_data):
    """An exercise that has not happened yet (the reference calendar holds past ones)."""
    from accord.dialogue.models import Exercise
    from accord.platform.models import Party

    return Exercise.objects.create(
        code="test-exercise-2099",
        name="Test exercise 2099",
        series="milex",
        start=dt.date(2099, 9, 1),
        end=dt.date(2099, 9, 30),
        lead=["EEAS"],
        scenario="A test scenario.",
        invited_partners=None,
        source_title="test",
        owner=Party.objects.get(code="EEAS"),
        is_public=True,
    )
