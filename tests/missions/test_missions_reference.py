"""`accord setup` loads the mission register: EEAS-owned public records, idempotently, audited."""

import pytest

from accord.missions.engine.register import load_register
from accord.missions.models import Mission
from accord.missions.reference import load_missions
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_loading_the_register_creates_one_public_eeas_record_per_mission(reference_data):
    counts = load_missions()
    assert counts.created == Mission.objects.count() == len(load_register().missions)
    althea = Mission.objects.get(acronym="EUFOR ALTHEA")
    assert althea.owner.code == "EEAS" and althea.is_public
    assert althea.strength == load_register().get("EUFOR ALTHEA").strength  # unknown stays null, never 0
    assert AuditEntry.objects.filter(record_type="missions.Mission", action="create").count() == counts.created


def test_loading_again_changes_nothing_and_writes_no_audit_entry(reference_data):
    load_missions()
    before = AuditEntry.objects.count()
    counts = load_missions()
    assert (counts.created, counts.updated, counts.removed) == (0, 0, 0)
    assert AuditEntry.objects.count() == before


def test_a_record_edited_in_the_database_is_put_back_from_the_file(reference_data):
    load_missions()
    Mission.objects.filter(acronym="EUMA").update(theatre="somewhere else")
    assert load_missions().updated == 1
    assert Mission.objects.get(acronym="EUMA").theatre.startswith("Armenia")


def test_a_viewer_of_any_party_may_see_the_register_but_only_the_eeas_may_edit_it(reference_data, make_user):
    from accord.platform import policy

    load_missions()
    althea = Mission.objects.get(acronym="EUFOR ALTHEA")
    assert policy.can(make_user("GB", "viewer"), "view", althea)
    assert not policy.can(make_user("FR", "editor"), "edit", althea)
    assert policy.can(make_user("EEAS", "editor"), "edit", althea)
