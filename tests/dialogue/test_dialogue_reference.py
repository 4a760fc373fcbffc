"""Loading the dialogue reference data into the database."""

import pytest

from accord.dialogue.models import Exercise, WorkingGroup
from accord.dialogue.reference import load_reference

pytestmark = pytest.mark.django_db


def test_loading_the_dialogue_reference_data_twice_changes_nothing(reference_data):
    first = load_reference()
    assert first == {"working_groups": 4, "exercises": 4}
    assert load_reference() == {"working_groups": 0, "exercises": 0}


def test_reference_exercises_are_public_and_working_groups_are_shared_with_both_sides_only(reference_data):
    load_reference()
    assert all(e.is_public for e in Exercise.objects.all())
    group = WorkingGroup.objects.get(code="russia-ukraine")
    assert not group.is_public
    shared = set(group.shared_with.values_list("code", flat=True)) | {group.owner.code}
    assert shared == {"GB", "EU", "EEAS", "COM", "COUNCIL"}
