"""The parties vocabulary as frozen dataclasses (pure Python, no Django).

``as_dict()`` gives stable JSON-ready dicts: ISO dates, ``None`` for unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PARTY_KINDS = ("state", "institution")
FRAMEWORK_KINDS = ("organisation", "status", "agreement", "grouping")


@dataclass(frozen=True)
class Source:
    title: str
    href: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "href": self.href}


@dataclass(frozen=True)
class Party:
    code: str  # ISO 3166-1 alpha-2 for states (XK is user-assigned), short code for institutions
    name: str
    kind: str  # one of PARTY_KINDS
    source: Source
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "source": self.source.as_dict(),
            "note": self.note,
        }


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    kind: str  # one of FRAMEWORK_KINDS
    source: Source
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "source": self.source.as_dict(),
            "note": self.note,
        }


@dataclass(frozen=True)
class Membership:
    """One dated period of a party in a framework.

    ``start`` is the first day (``None``: date not recorded, counts as always);
    ``end`` is the LAST day, inclusive (``None``: still a member). The UK's EU
    membership ends 2020-01-31: it was a member on that day, not on 2020-02-01.
    """

    party: str
    framework: str
    start: dt.date | None
    end: dt.date | None
    source: Source
    note: str | None = None

    def covers(self, on: dt.date) -> bool:
        after_start = self.start is None or self.start <= on
        before_end = self.end is None or on <= self.end
        return after_start and before_end

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "framework": self.framework,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "source": self.source.as_dict(),
            "note": self.note,
        }
