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
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

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
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
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

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "first_broken": self.first_broken, "reason": self.reason}


def verify_chain() -> ChainReport:
    """Recompute the chain; report the first entry that was altered, removed or inserted."""
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainReport(False, count, expected_sequence, f"entry {expected_sequence} is missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, count, entry.sequence, "link to the previous entry does not match")
        if compute_hash(entry.prev_hash, entry_payload(entry)) != entry.hash:
            return ChainReport(False, count, entry.sequence, "content does not match its hash")
        prev_hash = entry.hash
        expected_sequence += 1
        count += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.sequence != count or head.hash != prev_hash):
        missing = count + 1 if head.sequence > count else head.sequence + 1
        return ChainReport(False, count, missing, f"the chain head records {head.sequence} entries; {count} found")
    return ChainReport(True, count)
