"""Groupings register: JEF, E5, coalition of the willing and bilateral treaties.

The multilateral groupings' membership comes from ``accord.parties`` (frameworks
JEF, E5, COALITION_OF_THE_WILLING), so it is kept in one place. Bilateral
treaties are this capability's own data (data/bilateral_treaties.yaml).
Membership is dated: ``start`` is the first day, ``end`` the last day
(inclusive), the same convention as ``accord.parties``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .spending import DATA_DIR
from .yamlio import as_date, is_state_code, problem, raise_if, read_yaml

TREATIES_FILE = DATA_DIR / "bilateral_treaties.yaml"
# The multilateral groupings of docs/law/groupings.md, as framework codes of accord.parties.
REGISTRY_GROUPINGS = ("JEF", "E5", "COALITION_OF_THE_WILLING")
CONFIDENCE = ("quoted", "secondary", "inferred")


class PartyRegistryLike(Protocol):
    def framework(self, code: str) -> Any: ...
    def memberships_in(self, framework: str) -> list[Any]: ...


@dataclass(frozen=True)
class Member:
    party: str
    start: dt.date | None
    end: dt.date | None  # last day, inclusive; None: still a member
    source: dict[str, str | None] | None = None
    note: str | None = None

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class Grouping:
    id: str
    name: str
    kind: str  # grouping | treaty | agreement | roadmap
    members: tuple[Member, ...]
    source: dict[str, str | None]
    confidence: str | None
    origin: str  # "accord.parties" or "commitments"
    signed: dt.date | None = None
    entry_into_force: dt.date | None = None
    summary: str | None = None
    note: str | None = None

    def members_on(self, on: dt.date) -> list[str]:
        return sorted({m.party for m in self.members if m.covers(on)})

    def as_dict(self, on: dt.date) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "origin": self.origin,
            "members_on_date": self.members_on(on),
            "membership": [m.as_dict() for m in sorted(self.members, key=_member_order)],
            "signed": self.signed.isoformat() if self.signed else None,
            "entry_into_force": self.entry_into_force.isoformat() if self.entry_into_force else None,
            "summary": self.summary,
            "source": self.source,
            "confidence": self.confidence,
            "note": self.note,
        }


def _member_order(m: Member) -> tuple:
    return (m.party, m.start or dt.date.min)


def parse_treaties(data: Any) -> list[Grouping]:
    problems: list = []
    raw = data.get("treaties") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise_if([problem("'treaties' must be a list", field="treaties")])
    treaties: list[Grouping] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        treaty = _parse_treaty(index, entry, problems)
        if treaty is None:
            continue
        if treaty.id in seen:
            problems.append(problem("a second treaty with this id", field=f"treaties[{index}].id", item=treaty.id))
        seen.add(treaty.id)
        treaties.append(treaty)
    raise_if(problems)
    return sorted(treaties, key=lambda t: t.id)


def _parse_treaty(index: int, entry: Any, problems: list) -> Grouping | None:
    where = f"treaties[{index}]"
    if not isinstance(entry, dict):
        problems.append(problem("a treaty must be a mapping", field=where))
        return None
    before = len(problems)
    tid = entry.get("id")
    item = tid if isinstance(tid, str) else None
    for key in ("id", "name", "kind"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.append(problem(f"'{key}' is required", field=f"{where}.{key}", item=item))
    source = entry.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("title"), str):
        problems.append(problem("a source with a title is required", field=f"{where}.source", item=item))
    if entry.get("confidence") not in CONFIDENCE:
        problems.append(
            problem(f"confidence must be one of {', '.join(CONFIDENCE)}", field=f"{where}.confidence", item=item)
        )
    signed = as_date(entry["signed"], f"{where}.signed", item, problems) if entry.get("signed") else None
    in_force = (
        as_date(entry["entry_into_force"], f"{where}.entry_into_force", item, problems)
        if entry.get("entry_into_force")
        else None
    )
    members: list[Member] = []
    raw_members = entry.get("members")
    if not isinstance(raw_members, list):
        raw_members = []
    if len({m.get("party") for m in raw_members if isinstance(m, dict)}) < 2:
        problems.append(problem("a treaty needs at least two members", field=f"{where}.members", item=item))
    for m_index, raw_member in enumerate(raw_members):
        m_where = f"{where}.members[{m_index}]"
        if not isinstance(raw_member, dict) or not is_state_code(raw_member.get("party")):
            problems.append(problem("each member needs a 'party' (ISO alpha-2 code)", field=m_where, item=item))
            continue
        start = as_date(raw_member["start"], f"{m_where}.start", item, problems) if raw_member.get("start") else None
        end = as_date(raw_member["end"], f"{m_where}.end", item, problems) if raw_member.get("end") else None
        if start and end and end < start:
            problems.append(problem("the end is before the start", field=f"{m_where}.end", item=item))
        members.append(Member(raw_member["party"], start, end))
    if len(problems) > before:
        return None
    return Grouping(
        id=tid,
        name=entry["name"],
        kind=entry["kind"],
        members=tuple(members),
        source={"title": source["title"], "href": source.get("href")},
        confidence=entry["confidence"],
        origin="commitments",
        signed=signed,
        entry_into_force=in_force,
        summary=(entry.get("summary") or "").strip() or None,
        note=entry.get("note"),
    )


def load_treaties(path: Path | str = TREATIES_FILE) -> list[Grouping]:
    return parse_treaties(read_yaml(Path(path)))


def registry_grouping(registry: PartyRegistryLike, code: str) -> Grouping:
    """A multilateral grouping as recorded in ``accord.parties``."""
    framework = registry.framework(code)
    members = tuple(
        Member(
            party=m.party,
            start=m.start,
            end=m.end,
            source=m.source.as_dict() if m.source else None,
            note=m.note,
        )
        for m in registry.memberships_in(code)
    )
    return Grouping(
        id=code,
        name=framework.name,
        kind=framework.kind,
        members=members,
        source=framework.source.as_dict(),
        confidence=None,
        origin="accord.parties",
        note=framework.note,
    )


def register(registry: PartyRegistryLike, treaties: Iterable[Grouping]) -> list[Grouping]:
    """The whole register: the registry's groupings first, then the treaties."""
    return [registry_grouping(registry, code) for code in REGISTRY_GROUPINGS] + list(treaties)


def register_on(registry: PartyRegistryLike, treaties: Iterable[Grouping], on: dt.date) -> list[dict[str, Any]]:
    return [g.as_dict(on) for g in register(registry, treaties)]
