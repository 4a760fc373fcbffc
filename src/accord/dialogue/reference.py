"""Load the dialogue reference data (working groups, exercises) idempotently.

Called by `accord setup` as ``load(console)``. The data files under
``dialogue/data`` are the source of truth: loading again changes nothing
unless a file changed. Exercises are public facts (``is_public``); the
dialogue's working groups are shared with both sides of the partnership.
"""

from __future__ import annotations

from django.db import transaction

from accord.dialogue.engine import reference as data
from accord.dialogue.models import Exercise, WorkingGroup
from accord.dialogue.services import partnership_parties
from accord.platform.models import Party

# Who keeps the reference records (their owner); the EU side keeps the EU
# exercise calendar and the dialogue's working-group register.
REFERENCE_OWNER = "EEAS"


def _upsert(model, key: dict, values: dict, owner: Party) -> tuple[object, bool]:
    obj = model.objects.filter(**key).first()
    if obj is None:
        return model.objects.create(**key, **values, owner=owner), True
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        return obj, True
    return obj, False


@transaction.atomic
def load_reference() -> dict[str, int]:
    owner = Party.objects.get(code=REFERENCE_OWNER)
    everyone = partnership_parties()
    changed = {"working_groups": 0, "exercises": 0}
    for wg in data.working_groups():
        obj, did = _upsert(
            WorkingGroup,
            {"code": wg.code},
            {
                "name": wg.name,
                "established": wg.established,
                "source_title": wg.source.title,
                "source_href": wg.source.href or "",
            },
            owner,
        )
        if did:
            obj.shared_with.add(*[p for p in everyone if p.pk != owner.pk])
            changed["working_groups"] += 1
    for ex in data.exercises():
        _, did = _upsert(
            Exercise,
            {"code": ex.code},
            {
                "name": ex.name,
                "series": ex.series or "",
                "start": ex.start,
                "end": ex.end,
                "lead": list(ex.lead),
                "scenario": ex.scenario or "",
                "invited_partners": None if ex.invited_partners is None else list(ex.invited_partners),
                "source_title": ex.source.title,
                "source_href": ex.source.href or "",
                "is_public": True,
            },
            owner,
        )
        changed["exercises"] += did
    return changed


def load(console) -> None:
    counts = load_reference()
    console.print(
        f"Dialogue reference data: {counts['working_groups']} working groups and "
        f"{counts['exercises']} exercises created or updated"
    )
