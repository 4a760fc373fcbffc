"""Reference data of the dialogue capability, read from ``dialogue/data``.

Each record carries its source (title + href). Unknown facts stay ``None``.
The files are versioned with the code; this module only reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Source:
    title: str
    href: str | None

    def as_dict(self) -> dict:
        return {"title": self.title, "href": self.href}


@dataclass(frozen=True)
class Area:
    """An area of common interest, used to order a meeting's agenda."""

    code: str
    name: str
    source: Source


@dataclass(frozen=True)
class WorkingGroupRef:
    code: str
    name: str
    established: dt.date | None
    source: Source


@dataclass(frozen=True)
class Body:
    """An internal meeting of one side to which the other may be invited."""

    code: str
    name: str
    convener: str  # party code of the side whose meeting it is
    source: Source


@dataclass(frozen=True)
class ExerciseRef:
    code: str
    name: str
    series: str | None
    start: dt.date | None
    end: dt.date | None  # inclusive; None when the source does not say
    lead: tuple[str, ...]
    scenario: str | None
    invited_partners: tuple[str, ...] | None  # None: the source does not say
    source: Source

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "series": self.series,
            "start": self.start,
            "end": self.end,
            "lead": list(self.lead),
            "scenario": self.scenario,
            "invited_partners": None if self.invited_partners is None else list(self.invited_partners),
            "source": self.source.as_dict(),
        }


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _source(record: dict) -> Source:
    src = record["source"]
    return Source(title=str(src["title"]), href=src.get("href"))


@lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    return tuple(Area(code=r["code"], name=r["name"], source=_source(r)) for r in _read("areas.yaml")["areas"])


@lru_cache(maxsize=1)
def working_groups() -> tuple[WorkingGroupRef, ...]:
    return tuple(
        WorkingGroupRef(code=r["code"], name=r["name"], established=r.get("established"), source=_source(r))
        for r in _read("working_groups.yaml")["working_groups"]
    )


@lru_cache(maxsize=1)
def bodies() -> tuple[Body, ...]:
    return tuple(
        Body(code=r["code"], name=r["name"], convener=str(r["convener"]), source=_source(r))
        for r in _read("bodies.yaml")["bodies"]
    )


@lru_cache(maxsize=1)
def exercises() -> tuple[ExerciseRef, ...]:
    out = []
    for r in _read("exercises.yaml")["exercises"]:
        partners = r.get("invited_partners")
        out.append(
            ExerciseRef(
                code=r["code"],
                name=r["name"],
                series=r.get("series"),
                start=r.get("start"),
                end=r.get("end"),
                lead=tuple(str(p) for p in r.get("lead") or ()),
                scenario=(r.get("scenario") or None),
                invited_partners=None if partners is None else tuple(str(p) for p in partners),
                source=_source(r),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Side:
    """One side of the partnership and the parties that act for it."""

    code: str
    name: str
    parties: tuple[str, ...]
    source: Source


@lru_cache(maxsize=1)
def sides() -> tuple[Side, ...]:
    return tuple(
        Side(code=str(r["code"]), name=r["name"], parties=tuple(str(p) for p in r["parties"]), source=_source(r))
        for r in _read("sides.yaml")["sides"]
    )


def side_of(party: str) -> str | None:
    """The side a party acts for (``GB`` or ``EU``), or None for any other party."""
    return next((s.code for s in sides() if party in s.parties), None)


def side_parties(side: str) -> tuple[str, ...]:
    return next((s.parties for s in sides() if s.code == side), ())


def area_codes() -> frozenset[str]:
    return frozenset(a.code for a in areas())


def body_by_code(code: str) -> Body | None:
    return next((b for b in bodies() if b.code == code), None)
