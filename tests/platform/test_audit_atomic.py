"""A change and its audit entry are one transaction: both are stored, or neither.

The database itself is made to refuse audit entries (a trigger on the audit
table: a real fault, on SQLite and PostgreSQL alike), then changes are made
through a service and directly through the model. Each must leave the record as
it was: a change stored without its entry would break the audit promise while
``accord audit verify`` still reports an intact chain.
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection

from accord.platform.audit import acting_as
from accord.platform.models import AuditEntry, Party
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def audit_refused():
    """While active, every insert into the audit table fails inside the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION accord_refuse_audit() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit store unavailable'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER accord_refuse_audit BEFORE INSERT ON {TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION accord_refuse_audit()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER accord_refuse_audit BEFORE INSERT ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER accord_refuse_audit ON {TABLE}")
            cursor.execute("DROP FUNCTION accord_refuse_audit()")
        else:
            cursor.execute("DROP TRIGGER accord_refuse_audit")


@pytest.fixture
def action(make_user):
    from accord.dialogue.models import Action, Meeting

    gb = Party.objects.get(code="GB")
    meeting = Meeting.objects.create(owner=gb, title="Security and defence consultation", date=dt.date(2026, 5, 1))
    return Action.objects.create(
        owner=gb,
        meeting=meeting,
        description="Share the exercise calendar",
        owner_party=gb,
        due=dt.date(2026, 6, 1),
    )


def test_an_action_status_change_whose_audit_entry_fails_is_not_stored(make_user, action, request):
    from accord.dialogue import services
    from accord.dialogue.models import Action

    user = make_user("GB", "editor")
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        services.set_action_status(user, Action.objects.get(pk=action.pk), "done")
    assert Action.objects.get(pk=action.pk).status == "open"


def test_a_record_update_whose_audit_entry_fails_is_not_stored(request):
    record = Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Plan")
    request.getfixturevalue("audit_refused")
    record.title = "Plan, revised"
    with pytest.raises(DatabaseError):
        record.save()
    assert Dossier.objects.get(pk=record.pk).title == "Plan"


def test_a_new_record_whose_audit_entry_fails_is_not_stored(make_user, request):
    user = make_user("DE", "editor")
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError), acting_as(user):
        Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Orphan")
    assert not Dossier.objects.filter(title="Orphan").exists()


def test_a_deletion_whose_audit_entry_fails_is_not_done(request):
    stored = Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Kept")
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        stored.delete()
    with pytest.raises(DatabaseError):
        Dossier.objects.filter(pk=stored.pk).delete()
    assert Dossier.objects.filter(pk=stored.pk).exists()


def test_bulk_writes_go_through_the_audited_save_record_by_record(reference_data):
    from accord.platform.audit import snapshot

    owner = Party.objects.get(code="DE")
    record = Dossier.objects.create(owner=owner, title="Plan")
    assert Dossier.objects.filter(pk=record.pk).update(title="Changed in bulk") == 1
    created = Dossier.objects.bulk_create([Dossier(owner=owner, title="Made in bulk")])
    record.refresh_from_db()
    record.status = "submitted"
    Dossier.objects.bulk_update([record], ["status"])
    for stored in Dossier.objects.all():
        latest = AuditEntry.objects.filter(record_type="testapp.Dossier", record_id=str(stored.pk)).last()
        assert latest is not None and latest.after == snapshot(stored)
    assert created[0].pk is not None


def test_a_bulk_update_whose_audit_entry_fails_changes_nothing(request):
    owner = Party.objects.get(code="DE")
    first = Dossier.objects.create(owner=owner, title="One")
    Dossier.objects.create(owner=owner, title="Two")
    request.getfixturevalue("audit_refused")
    with pytest.raises(DatabaseError):
        Dossier.objects.all().update(status="closed")
    assert set(Dossier.objects.values_list("status", flat=True)) == {"draft"}
    assert Dossier.objects.get(pk=first.pk).title == "One"


def test_a_role_change_whose_audit_entry_fails_is_not_stored(make_user, request):
    user = make_user("GB", "viewer")
    request.getfixturevalue("audit_refused")
    profile = user.accord_profile
    profile.roles = ["viewer", "administrator"]
    with pytest.raises(DatabaseError):
        profile.save()
    profile.refresh_from_db()
    assert profile.roles == ["viewer"]
