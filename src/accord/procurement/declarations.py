"""Supplier origin declarations, stored per party: the commands and the queries.

The engine (``engine/declarations.py``) reads and checks a file and resolves
origins; this module stores a party's declarations (every change audited, in
one transaction with its audit entry) and loads them for a check. Only the
owning party sees them (``policy.visible``); nothing is shared by default.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.errors import InputError, Problem
from accord.platform import audit, policy
from accord.platform.models import Party
from accord.procurement.engine.declarations import (
    Declaration,
    conflicts,
    key,
    read_declarations,
)
from accord.procurement.models import SupplierDeclaration

MAX_EXPIRING_DAYS = 3660  # ten years ahead is as far as any listing needs


def _registry():
    from accord.parties import load_registry

    return load_registry()


def as_declaration(record: SupplierDeclaration) -> Declaration:
    return Declaration(
        supplier=record.supplier,
        part_number=record.part_number,
        origin=record.origin,
        valid_from=record.valid_from,
        valid_to=record.valid_to,
        document_reference=record.document_reference,
    )


def for_party(party: Party | None) -> list[Declaration]:
    """Every declaration a party holds (the engine picks the one valid on the date)."""
    if party is None:
        return []
    return [as_declaration(r) for r in SupplierDeclaration.objects.filter(owner=party)]


def for_user(user) -> list[Declaration]:
    return for_party(policy.party_of(user))


def visible(user):
    return policy.visible(user, SupplierDeclaration.objects.select_related("owner"))


def import_declarations(user, name: str, content: bytes, *, party: str | None = None) -> dict[str, int]:
    """Read a CSV/XLSX of declarations and store them for the user's party.

    A declaration for a part already declared from the same day replaces it (audited as
    an update); every other one is added. Any bad row refuses the whole file: nothing stored.
    ``party``: the party the caller means (the CLI's ``--party``); it must be the user's own.
    """
    policy.require(user, "create")
    owner = policy.party_of(user)
    if party is not None and party.strip().upper() != owner.code:
        raise InputError(
            f"you act for {owner.code}; declarations can only be stored for your own party, not {party!r}",
            field="--party",
        )
    found = read_declarations(name, content, registry=_registry())
    existing = {(r.supplier_key, r.part_key, r.valid_from): r for r in SupplierDeclaration.objects.filter(owner=owner)}
    replaced = {(key(d.supplier), key(d.part_number), d.valid_from) for d in found}
    kept = [as_declaration(r) for k, r in existing.items() if k not in replaced]
    # a new declaration may not contradict one already stored for days they share
    clashes = [p for p in conflicts([*kept, *found]) if p.line is not None]
    duplicates = {}
    for d in found:
        duplicates.setdefault((key(d.supplier), key(d.part_number), d.valid_from), []).append(d)
    problems = [
        *clashes,
        *[
            Problem(
                f"{group[1].supplier}'s part {group[1].part_number} from {group[1].valid_from.isoformat()} is "
                f"declared twice in the file (also line {group[0].line}); keep one",
                field="part number",
                line=group[1].line,
            )
            for group in duplicates.values()
            if len(group) > 1
        ],
    ]
    if problems:
        raise InputError(problems)
    added = updated = 0
    source = name[-200:]
    with audit.acting_as(user), transaction.atomic():
        for d in found:
            match = (key(d.supplier), key(d.part_number), d.valid_from)
            record = existing.get(match)
            if record is None:
                record = SupplierDeclaration(owner=owner, created_by=user)
                added += 1
            else:
                updated += 1
            record.supplier, record.part_number = d.supplier, d.part_number
            record.supplier_key, record.part_key = match[0], match[1]
            record.origin, record.valid_from, record.valid_to = d.origin, d.valid_from, d.valid_to
            record.document_reference, record.source = d.document_reference, source
            record.save()
    return {"added": added, "updated": updated, "read": len(found)}


def expiring(user, days: int, *, today: dt.date | None = None):
    """The declarations the user's party may see that are valid today and end within ``days`` days."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_EXPIRING_DAYS:
        raise InputError(f"the number of days must be a whole number from 0 to {MAX_EXPIRING_DAYS}", field="days")
    today = today or timezone.localdate()
    return visible(user).filter(valid_from__lte=today, valid_to__gte=today, valid_to__lte=today + dt.timedelta(days))
