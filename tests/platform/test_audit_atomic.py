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
        owner=gb, meeting=meeting, description="Share the exercise calendar", owner_party=gb,
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


def test_a_deletion_whose_audit_entry_fails_is_not_done(audit_refused):
    record = Dossier(owner=Party.objects.get(code="DE"), title="Kept")
    # Stored without the refusal: raw insert, so the fixture's trigger does not stop it.
    Dossier.objects.bulk_create([record])
    stored = Dossier.objects.get(title="Kept")
    with pytest.raises(DatabaseError):
        stored.delete()
    assert Dossier.objects.filter(pk=stored.pk).exists()


def test_a_role_change_whose_audit_entry_fails_is_not_stored(make_user, request):
    user = make_user("GB", "viewer")
    request.getfixturevalue("audit_refused")
    profile = user.accord_profile
    profile.roles = ["viewer", "administrator"]
    with pytest.raises(DatabaseError):
        profile.save()
    profile.refresh_from_db()
    assert profile.roles == ["viewer"]
