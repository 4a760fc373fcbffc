"""The audit trail: who changed what, when, before and after.

Every save and deletion of an ``OwnedRecord`` is written here by signal
handlers, so no code path can change a domain record without a trace.
Entries form a hash chain: each entry's hash covers its content and the
previous entry's hash, and ``AuditHead`` keeps the newest sequence and hash.
``verify_chain`` recomputes it and names the first entry that does not match,
so rows altered or removed behind the application's back are found.

A change and its entry are one transaction, enforced in the save path itself
(``OwnedRecord.save``/``delete`` and ``Profile`` run inside ``audited_write``),
so no service can commit a change whose entry is then lost. Appends are
serialised on the chain head: on PostgreSQL by ``SELECT ... FOR UPDATE`` on the
head row, taken *before* the record's "before" image is read; on SQLite by the
write lock taken when the transaction begins (``transaction_mode`` IMMEDIATE in
the settings), so a concurrent writer waits for it instead of failing with
"database is locked" half-way through.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accord.platform import models as platform_models
from accord.platform.models import AuditEntry, AuditHead, OwnedRecord, Profile

GENESIS_HASH = "0" * 64
# Domain records, and who acts for which party with which roles.
AUDITED = (OwnedRecord, Profile)


@dataclass(frozen=True)
class Actor:
    name: str
    party: str = ""


SYSTEM = Actor("system")
_current_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("accord_actor", default=SYSTEM)


def actor_for(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return SYSTEM
    profile = getattr(user, "accord_profile", None)
    return Actor(user.get_username(), profile.party.code if profile else "")


@contextmanager
def acting_as(user_or_actor: Any) -> Iterator[Actor]:
    """Attribute every audit entry written inside the block to this user."""
    actor = user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)
    token = _current_actor.set(actor)
    try:
        yield actor
    finally:
        _current_actor.reset(token)


def current_actor() -> Actor:
    return _current_actor.get()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's stored field values as plain JSON (foreign keys by id)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("created_at", "updated_at"):
            continue
        data[field.attname] = _plain(field.value_from_object(instance))
    return data


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "at": _plain(entry.at),
        "actor": entry.actor,
        "actor_party": entry.actor_party,
        "action": entry.action,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "owner": entry.owner,
        "before": entry.before,
        "after": entry.after,
        "detail": entry.detail,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(payload)).encode("utf-8")).hexdigest()


def _record_type(instance: models.Model) -> str:
    return instance._meta.label


def _lock_head(using: str | None = None) -> AuditHead:
    """Lock the chain head for the rest of the current transaction and return it."""
    head = AuditHead.objects.using(using).select_for_update().filter(id=1).first()
    if head is None:
        # First entry ever: create the head; a concurrent creator makes this
        # insert fail, and the row it created is then locked instead.
        try:
            with transaction.atomic(using=using):
                AuditHead.objects.using(using).create(id=1)
        except IntegrityError:
            pass
        head = AuditHead.objects.using(using).select_for_update().get(id=1)
    return head


@contextmanager
def audited_write(using: str | None = None) -> Iterator[None]:
    """One transaction for a change and its audit entries, with the chain locked first.

    The lock is taken before anything is read, so the "before" image is the
    state the change really replaces, and entries are in the order of commits.
    """
    with transaction.atomic(using=using):
        _lock_head(using)
        yield


def append(
    *,
    action: str,
    record_type: str,
    record_id: Any,
    owner: str = "",
    before: dict | None = None,
    after: dict | None = None,
    detail: dict | None = None,
    actor: Actor | None = None,
) -> AuditEntry:
    """Append one entry to the chain (serialised by locking the chain head)."""
    actor = actor or current_actor()
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(
            sequence=head.sequence + 1,
            at=timezone.now(),
            actor=actor.name,
            actor_party=actor.party,
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            owner=owner,
            before=_plain(before) if before is not None else None,
            after=_plain(after) if after is not None else None,
            detail=_plain(detail) if detail is not None else None,
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(entry.prev_hash, entry_payload(entry))
        entry.save()
        AuditHead.objects.filter(id=1).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def record_event(record: models.Model, action: str, detail: dict | None = None) -> AuditEntry:
    """Record an event that is not a plain save (a decision, a share, an export)."""
    return append(
        action=action,
        record_type=_record_type(record),
        record_id=record.pk,
        owner=_owner_code(record),
        detail=detail,
        after=snapshot(record),
    )


def _owner_code(instance: models.Model) -> str:
    owner_id = getattr(instance, "owner_id", None)
    if owner_id is None:
        return ""
    from accord.platform.models import Party

    return Party.objects.filter(pk=owner_id).values_list("code", flat=True).first() or ""


# --- signal handlers: every OwnedRecord change is audited -----------------


@receiver(pre_save)
def _remember_before(sender, instance, **kwargs):
    if not isinstance(instance, AUDITED):
        return
    before = None
    if instance.pk is not None:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        before = snapshot(stored) if stored is not None else None
    instance._audit_before = before


@receiver(post_save)
def _audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AUDITED):
        return
    before = getattr(instance, "_audit_before", None)
    if kwargs.get("update_fields"):
        # Only some columns were written: the rest of the instance may be stale,
        # so the after image is what is stored now (read under the chain lock).
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        after = snapshot(stored if stored is not None else instance)
    else:
        after = snapshot(instance)
    if not created and before == after:
        # Nothing changed. ``before`` was read after the chain lock was taken
        # (see ``audited_write``), so no racing writer can have changed it since.
        return
    append(
        action="create" if created else "update",
        record_type=_record_type(instance),
        record_id=instance.pk,
        owner=_owner_code(instance),
        before=before,
        after=after,
    )


@receiver(post_delete)
def _audit_delete(sender, instance, **kwargs):
    if not isinstance(instance, AUDITED):
        return
    append(
        action="delete",
        record_type=_record_type(instance),
        record_id=instance.pk,
        owner=_owner_code(instance),
        before=snapshot(instance),
    )


@receiver(m2m_changed)
def _audit_sharing(sender, instance, action, pk_set, model, **kwargs):
    if not isinstance(instance, OwnedRecord) or action not in ("post_add", "post_remove", "post_clear"):
        return
    from accord.platform.models import Party

    if model is not Party:
        return
    codes = sorted(Party.objects.filter(pk__in=pk_set or []).values_list("code", flat=True))
    append(
        action={"post_add": "share", "post_remove": "unshare", "post_clear": "unshare_all"}[action],
        record_type=_record_type(instance),
        record_id=instance.pk,
        owner=_owner_code(instance),
        detail={"parties": codes},
    )


# --- verification ----------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str = ""
    checked: int | None = None  # entries recomputed this run (all of them with --full)
    since: int = 0  # the checkpoint the run started from (0: the beginning)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_broken": self.first_broken,
            "reason": self.reason,
            "checked": self.entries if self.checked is None else self.checked,
            "since": self.since,
        }


# The columns of an entry, as the verifier reads them (benchmarks/audit_verify.py
# inserts a chain with the same columns).
ENTRY_FIELDS = (
    "sequence",
    "at",
    "actor",
    "actor_party",
    "action",
    "record_type",
    "record_id",
    "owner",
    "before",
    "after",
    "detail",
    "prev_hash",
    "hash",
)


def _walk(after_sequence: int, prev_hash: str, since: int) -> ChainReport:
    """Recompute every entry after ``after_sequence``, starting from ``prev_hash``, then check the head.

    Writers may append while this runs: when the head is ahead of what was read
    and the next entry is there now, the walk goes on from where it stopped.
    """
    checked = 0
    last = after_sequence
    for _ in range(10):
        broken, last, prev_hash, n = _walk_rows(last, prev_hash)
        checked += n
        if broken is not None:
            return ChainReport(False, broken[0] - 1, broken[0], broken[1], checked, since)
        head = AuditHead.objects.filter(id=1).first()
        if head is None or (head.sequence == last and head.hash == prev_hash):
            return ChainReport(True, last, checked=checked, since=since)
        if head.sequence > last and AuditEntry.objects.filter(sequence=last + 1).exists():
            continue  # appended while we walked
        break
    missing = last + 1 if head.sequence > last else head.sequence + 1
    return ChainReport(
        False, last, missing, f"the chain head records {head.sequence} entries; {last} found", checked, since
    )


def _walk_rows(after_sequence: int, prev_hash: str):
    """(broken or None, last sequence, its hash, entries recomputed) for the entries after ``after_sequence``.

    Reads plain tuples (no model instances) in sequence order: the costly part
    is the hash itself.
    """
    expected_sequence = after_sequence + 1
    sha256 = hashlib.sha256
    dumps = json.dumps
    rows = (
        AuditEntry.objects.filter(sequence__gt=after_sequence)
        .order_by("sequence")
        .values_list(*ENTRY_FIELDS)
        .iterator(chunk_size=5000)
    )
    for seq, at, actor, actor_party, action, record_type, record_id, owner, before, after, detail, prev, digest in rows:
        if seq != expected_sequence:
            return (expected_sequence, f"entry {expected_sequence} is missing"), *_done(
                expected_sequence, prev_hash, after_sequence
            )
        if prev != prev_hash:
            return (seq, "link to the previous entry does not match"), *_done(seq, prev_hash, after_sequence)
        payload = {
            "sequence": seq,
            "at": _plain(at),
            "actor": actor,
            "actor_party": actor_party,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "owner": owner,
            "before": before,
            "after": after,
            "detail": detail,
        }
        text = prev + dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if sha256(text.encode("utf-8")).hexdigest() != digest:
            return (seq, "content does not match its hash"), *_done(seq, prev_hash, after_sequence)
        prev_hash = digest
        expected_sequence += 1
    return None, *_done(expected_sequence, prev_hash, after_sequence)


def _done(next_sequence: int, prev_hash: str, after_sequence: int) -> tuple[int, str, int]:
    return next_sequence - 1, prev_hash, next_sequence - 1 - after_sequence


def verify_chain() -> ChainReport:
    """Recompute the whole chain; report the first entry that was altered, removed or inserted."""
    return _walk(0, GENESIS_HASH, 0)


def verify(full: bool = False) -> ChainReport:
    """Verify the chain from the last verified checkpoint (or all of it with ``full``); advance the checkpoint.

    Incremental runs still check that the checkpoint entry keeps its hash and
    that no entry before it was removed or inserted (a count on the index), then
    recompute only the newer entries. Content altered below the checkpoint by
    someone with write access to the database is found by ``full``; the
    operations guide says to run it on a schedule.
    """
    from accord.platform.models import AuditCheckpoint

    checkpoint = None if full else AuditCheckpoint.objects.filter(id=1).first()
    if checkpoint is None or checkpoint.sequence == 0:
        report = verify_chain()
    else:
        since = checkpoint.sequence
        stored = AuditEntry.objects.filter(sequence=since).values_list("hash", flat=True).first()
        if stored != checkpoint.hash:
            reason = "the last verified entry was removed" if stored is None else "the last verified entry was altered"
            return ChainReport(False, since - 1, since, reason, 0, since)
        below = AuditEntry.objects.filter(sequence__lte=since).count()
        if below != since:
            first = _first_gap_or_insert(since)
            return ChainReport(
                False,
                first - 1,
                first,
                f"{since} entries were verified up to entry {since}; {below} are there now",
                0,
                since,
            )
        report = _walk(since, checkpoint.hash, since)
    if report.ok and report.entries:
        last_hash = AuditEntry.objects.filter(sequence=report.entries).values_list("hash", flat=True).get()
        AuditCheckpoint.objects.update_or_create(
            id=1,
            defaults={"sequence": report.entries, "hash": last_hash, "verified_at": timezone.now(), "full": full},
        )
    return report


def _first_gap_or_insert(up_to: int) -> int:
    """The first sequence at or below ``up_to`` that is missing or duplicated (by walking sequences only)."""
    expected = 1
    for seq in (
        AuditEntry.objects.filter(sequence__lte=up_to)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .iterator(chunk_size=20000)
    ):
        if seq != expected:
            return expected
        expected += 1
    return expected


platform_models.install_write_guard(audited_write)
