"""Load the parties reference data into the database, idempotently.

The data files (``accord/parties/data``) are the source of truth; loading
again changes nothing unless the files changed. Each load that changes
something writes one audit entry summarising it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accord.parties import load_registry
from accord.platform import audit
from accord.platform.models import Framework, Membership, Party


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "removed": self.removed}

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.removed} removed"


def upsert(model, key: dict, values: dict, counts: LoadCounts):
    """Create the record with ``key``, or update the fields of ``values`` that differ; count which."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model.objects.create(**key, **values)
        counts.created += 1
        return obj
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        counts.updated += 1
    return obj


def _source(src) -> dict[str, str]:
    if src is None:
        return {"source_title": "", "source_href": ""}
    return {"source_title": src.title or "", "source_href": src.href or ""}


@transaction.atomic
def load_parties(registry=None) -> LoadCounts:
    registry = registry or load_registry()
    counts = LoadCounts()
    parties = {}
    for p in registry.parties():
        parties[p.code] = upsert(Party, {"code": p.code}, {"name": p.name, "kind": p.kind, **_source(p.source)}, counts)
    frameworks = {}
    for f in registry.frameworks():
        frameworks[f.code] = upsert(
            Framework, {"code": f.code}, {"name": f.name, "kind": f.kind, **_source(f.source)}, counts
        )
    keep = set()
    for m in registry.memberships():
        obj = upsert(
            Membership,
            {"party": parties[m.party], "framework": frameworks[m.framework], "start": m.start},
            {"end": m.end, "note": m.note or "", **_source(m.source)},
            counts,
        )
        keep.add(obj.pk)
    stale = Membership.objects.exclude(pk__in=keep)
    counts.removed += stale.count()
    stale.delete()
    if counts.changed:
        audit.append(
            action="reference.load",
            record_type="platform.Party",
            record_id="parties",
            detail={"dataset": "parties", **counts.as_dict()},
        )
    return counts
