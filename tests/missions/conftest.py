"""Fixtures of the missions tests: the mission register in the database."""

import pytest


@pytest.fixture
def missions_data(reference_data):
    from accord.missions.reference import load_missions

    load_missions()
