"""Concurrent writers leave every record exactly as its latest audit entry says.

Several threads, each with its own database connection, change the same few
records at once through the service layer (action status) and the model
(a test record's title and status), with the real database (SQLite by
default, PostgreSQL when DATABASE_URL points at one). Afterwards every
record's stored state must equal the "after" image of its newest audit entry,
no writer may have failed, and ``accord audit verify`` must report the chain
intact.
"""

import datetime as dt
import random
import threading

import pytest
from django.db import connection, connections
from typer.testing import CliRunner

from accord.cli import app
from accord.platform.audit import acting_as, snapshot, verify_chain
from accord.platform.models import AuditEntry, Party
from tests.testapp.models import Dossier

THREADS = 6
CHANGES_PER_THREAD = 30
RECORDS = 2
STATUSES = ("open", "in_progress", "done")


def _latest_after(record) -> dict | None:
    entry = (
        AuditEntry.objects.filter(record_type=record._meta.label, record_id=str(record.pk))
        .order_by("-sequence")
        .first()
    )
    return entry.after if entry is not None else None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_every_record_as_its_latest_audit_entry_says(make_user):
    from accord.dialogue import services
    from accord.dialogue.engine.meetings import ACTION_STATUSES
    from accord.dialogue.models import Action, Meeting

    assert set(STATUSES) <= set(ACTION_STATUSES)
    gb = Party.objects.get(code="GB")
    users = [make_user("GB", "editor") for _ in range(THREADS)]
    with acting_as(users[0]):
        meeting = Meeting.objects.create(owner=gb, title="Consultation", date=dt.date(2026, 5, 1))
        actions = [
            Action.objects.create(
                owner=gb, meeting=meeting, description=f"Action {n}", owner_party=gb, due=dt.date(2026, 6, 1)
            )
            for n in range(RECORDS)
        ]
        dossiers = [Dossier.objects.create(owner=gb, title=f"Dossier {n}") for n in range(RECORDS)]

    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        rng = random.Random(number)
        user = users[number]
        try:
            start.wait()
            for step in range(CHANGES_PER_THREAD):
                if step % 2:
                    # A stale instance, as a web form holds one: loaded, then saved later.
                    action = Action.objects.get(pk=rng.choice(actions).pk)
                    services.set_action_status(user, action, rng.choice(STATUSES))
                else:
                    dossier = Dossier.objects.get(pk=rng.choice(dossiers).pk)
                    dossier.status = rng.choice(STATUSES)
                    dossier.title = f"written by {number} at step {step}"  # each write distinct
                    with acting_as(user):
                        dossier.save()
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            failures.append(f"writer {number}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures, "\n".join(failures)
    mismatches = []
    for record in [
        *Action.objects.filter(pk__in=[a.pk for a in actions]),
        *Dossier.objects.filter(pk__in=[d.pk for d in dossiers]),
    ]:
        if snapshot(record) != _latest_after(record):
            mismatches.append(
                f"{record._meta.label} {record.pk}: stored {snapshot(record)}, audited {_latest_after(record)}"
            )
    assert not mismatches, "\n".join(mismatches)
    report = verify_chain()
    assert report.ok, report
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db(transaction=True)
def test_no_change_is_visible_to_others_before_its_audit_entry_is(make_user):
    """While another writer holds the chain, a save waits whole: nothing of it is committed yet."""
    from django.db import transaction

    from accord.platform.models import AuditHead

    de = Party.objects.get(code="DE")
    record = Dossier.objects.create(owner=de, title="Plan")
    held, release, saved = threading.Event(), threading.Event(), threading.Event()
    failures: list[str] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                AuditHead.objects.select_for_update().get(id=1)
                AuditHead.objects.filter(id=1).values_list("sequence", flat=True).first()
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    def saver() -> None:
        try:
            stale = Dossier.objects.get(pk=record.pk)
            stale.title = "Plan, revised"
            stale.save()
            saved.set()
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    assert held.wait(30)
    threads.append(threading.Thread(target=saver))
    threads[1].start()
    # Give the saver every chance to commit what it would commit before its entry.
    saved.wait(1.0)
    seen_title = Dossier.objects.get(pk=record.pk).title
    release.set()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert seen_title == "Plan", "the change was committed while its audit entry was not written yet"
    stored = Dossier.objects.get(pk=record.pk)
    assert stored.title == "Plan, revised" and _latest_after(stored) == snapshot(stored)
