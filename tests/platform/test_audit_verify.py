"""`accord audit verify` starts from the last verified entry; `--full` walks the whole chain."""

import json

import pytest
from django.db import connection
from typer.testing import CliRunner

from accord.cli import app
from accord.platform.audit import verify
from accord.platform.models import AuditCheckpoint, AuditEntry, Party
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def verified(reference_data):
    owner = Party.objects.get(code="DE")
    for n in range(5):
        Dossier.objects.create(owner=owner, title=f"Plan {n}")
    report = verify(full=True)
    assert report.ok
    return report


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _run(*args):
    result = CliRunner().invoke(app, ["audit", "verify", "--json", *args])
    return result.exit_code, json.loads(result.output)


def test_a_verified_run_records_a_checkpoint_at_the_newest_entry(verified):
    checkpoint = AuditCheckpoint.objects.get()
    newest = AuditEntry.objects.order_by("-sequence").first()
    assert (checkpoint.sequence, checkpoint.hash, checkpoint.full) == (newest.sequence, newest.hash, True)


def test_the_next_run_recomputes_only_the_entries_added_since(verified):
    Dossier.objects.create(owner=Party.objects.get(code="FR"), title="New")
    code, out = _run()
    assert code == 0
    assert out["ok"] and out["since"] == verified.entries and out["checked"] == 1
    assert out["entries"] == verified.entries + 1


def test_an_entry_altered_after_the_checkpoint_is_found_incrementally(verified):
    Dossier.objects.create(owner=Party.objects.get(code="FR"), title="New")
    newest = AuditEntry.objects.order_by("-sequence").first()
    _raw(f"UPDATE {TABLE} SET actor = %s WHERE id = %s", ["mallory", newest.pk])
    code, out = _run()
    assert code == 1 and out["first_broken"] == newest.sequence


def test_an_entry_removed_before_the_checkpoint_is_found_incrementally(verified):
    first = AuditEntry.objects.order_by("sequence").first()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [first.pk])
    code, out = _run()
    assert code == 1 and not out["ok"] and out["first_broken"] == first.sequence


def test_the_checkpoint_entry_rewritten_is_found_incrementally(verified):
    newest = AuditEntry.objects.order_by("-sequence").first()
    _raw(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", ["f" * 64, newest.pk])
    code, out = _run()
    assert code == 1 and out["first_broken"] == newest.sequence


def test_content_altered_below_the_checkpoint_is_found_by_a_full_run(verified):
    second = AuditEntry.objects.order_by("sequence")[1]
    _raw(f"UPDATE {TABLE} SET actor = %s WHERE id = %s", ["mallory", second.pk])
    code, out = _run("--full")
    assert code == 1 and out["first_broken"] == second.sequence
    assert out["checked"] == second.sequence - 1  # all before it were recomputed


def test_a_broken_chain_does_not_move_the_checkpoint(verified):
    before = AuditCheckpoint.objects.get().sequence
    Dossier.objects.create(owner=Party.objects.get(code="FR"), title="New")
    newest = AuditEntry.objects.order_by("-sequence").first()
    _raw(f"UPDATE {TABLE} SET actor = %s WHERE id = %s", ["mallory", newest.pk])
    assert not verify().ok
    assert AuditCheckpoint.objects.get().sequence == before
