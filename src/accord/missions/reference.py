"""Load the mission register into the database, idempotently.

Called by `accord setup`. ``data/missions.yaml`` is the source of truth for
missions marked ``from_reference``: loading again changes nothing unless the
file changed; a mission removed from the file is removed here too (unless
participations, requirements or offers refer to it: then it is kept and
reported). The EEAS owns the records; they are public reference data. Every
change is a save of an OwnedRecord, so the platform audits it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accord.missions.engine.register import Mission as EngineMission
from accord.missions.engine.register import load_register
from accord.missions.models import Mission
from accord.platform.models import Party

OWNER = "EEAS"  # the EEAS runs the missions and publishes the register


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.removed} removed"
        return text + (f" (kept, still referred to: {', '.join(self.kept)})" if self.kept else "")


def _values(m: EngineMission) -> dict[str, Any]:
    return {
        "slug": m.slug,
        "name": m.name,
        "type": m.type,
        "kind": m.kind,
        "theatre": m.theatre,
        "region": m.region,
        "host_countries": list(m.host_countries),
        "established": m.established,
        "launched": m.launched,
        "mandate_end": m.mandate_end,
        "mandate_end_source_title": m.mandate_end_source.title if m.mandate_end_source else "",
        "mandate_end_source_href": (m.mandate_end_source.href or "") if m.mandate_end_source else "",
        "closed": m.closed,
        "legal_basis_title": m.legal_basis.title,
        "legal_basis_href": m.legal_basis.href or "",
        "strength": m.strength,
        "source_title": m.source.title,
        "source_href": m.source.href or "",
        "confidence": m.confidence,
        "note": m.note or "",
        "is_public": True,
        "from_reference": True,
        "renewals": [x.as_dict() for x in m.renewals],
        "facts": [x.as_dict() for x in m.facts],
        "part_of": m.part_of or "",
        "precision": dict(m.precision),
    }


@transaction.atomic
def load_missions() -> Counts:
    counts = Counts()
    owner = Party.objects.get(code=OWNER)
    keep: set[str] = set()
    for m in load_register().missions:
        keep.add(m.acronym)
        values = _values(m)
        record = Mission.objects.filter(acronym=m.acronym).first()
        if record is None:
            Mission.objects.create(acronym=m.acronym, owner=owner, **values)
            counts.created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if record.owner_id != owner.pk:
            changed["owner"] = owner
        if changed:
            for k, v in changed.items():
                setattr(record, k, v)
            record.save()
            counts.updated += 1
    for record in Mission.objects.filter(from_reference=True).exclude(acronym__in=keep):
        if record.participations.exists() or record.requirements.exists() or record.offers.exists():
            counts.kept.append(record.acronym)
            continue
        record.delete()
        counts.removed += 1
    return counts


def load(console) -> None:
    """Entry point for `accord setup`."""
    counts = load_missions()
    console.print(f"CSDP mission register: {counts}")
