"""Every change of a domain record is audited in an append-only hash chain."""

import pytest
from django.db import connection
from typer.testing import CliRunner

from accord.cli import app
from accord.platform.audit import acting_as, verify_chain
from accord.platform.models import AuditEntry, Party
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(make_user):
    user = make_user("DE", "editor", username="de-editor")
    with acting_as(user):
        record = Dossier.objects.create(owner=Party.objects.get(code="DE"), title="Plan")
        record.title = "Plan, revised"
        record.status = "submitted"
        record.save()
        record.shared_with.add(Party.objects.get(code="FR"))
    return record


def entries_for(record):
    return list(AuditEntry.objects.filter(record_type="testapp.Dossier", record_id=str(record.pk)))


def test_a_create_an_update_and_a_share_are_each_audited_with_who_and_what(dossier):
    create, update, share = entries_for(dossier)
    assert (create.action, create.actor, create.actor_party, create.owner) == ("create", "de-editor", "DE", "DE")
    assert create.before is None and create.after["title"] == "Plan"
    assert update.action == "update"
    assert update.before["title"] == "Plan" and update.after["title"] == "Plan, revised"
    assert update.before["status"] == "draft" and update.after["status"] == "submitted"
    assert share.action == "share" and share.detail == {"parties": ["FR"]}


def test_a_save_that_changes_nothing_writes_no_entry(dossier):
    before = AuditEntry.objects.count()
    dossier.save()
    assert AuditEntry.objects.count() == before


def test_a_deletion_is_audited_with_the_record_as_it_was(dossier):
    pk = dossier.pk
    dossier.delete()
    last = AuditEntry.objects.order_by("-sequence").first()
    assert (last.action, last.record_id, last.before["title"]) == ("delete", str(pk), "Plan, revised")


def test_the_untouched_chain_verifies(dossier):
    report = verify_chain()
    assert report.ok and report.entries == AuditEntry.objects.count()


def test_the_application_cannot_alter_or_delete_audit_entries(dossier):
    entry = entries_for(dossier)[0]
    entry.actor = "someone-else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_row_altered_with_raw_sql_breaks_verification_at_that_entry(dossier):
    target = entries_for(dossier)[1]
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET actor = %s WHERE id = %s", ["mallory", target.pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_broken == target.sequence

    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {target.sequence}" in result.output


def test_a_before_image_altered_with_raw_sql_is_detected(dossier):
    target = entries_for(dossier)[1]
    _raw(
        f"UPDATE {AuditEntry._meta.db_table} SET after = %s WHERE id = %s",
        ['{"title": "Something else"}', target.pk],
    )
    assert verify_chain().first_broken == target.sequence


def test_a_row_removed_with_raw_sql_breaks_verification(dossier):
    target = entries_for(dossier)[0]
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [target.pk])
    report = verify_chain()
    assert not report.ok and report.first_broken == target.sequence


def test_removing_the_newest_row_is_detected_by_the_chain_head(dossier):
    newest = AuditEntry.objects.order_by("-sequence").first()
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [newest.pk])
    report = verify_chain()
    assert not report.ok and report.first_broken == newest.sequence


def test_the_cli_reports_an_intact_chain_and_exits_zero(dossier):
    result = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.output


def test_role_changes_are_audited(make_user):
    user = make_user("GB", "viewer", username="gb-viewer")
    profile = user.accord_profile
    profile.roles = ["viewer", "approver"]
    profile.save()
    last = AuditEntry.objects.filter(record_type="platform.Profile").order_by("-sequence").first()
    assert last.before["roles"] == ["viewer"] and last.after["roles"] == ["viewer", "approver"]
