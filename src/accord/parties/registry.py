"""``PartyRegistry``: answer "was X a member of Y on date D" from loaded data.

Pure Python. The date is always an argument; nothing here reads today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .model import Framework, Membership, Party


class PartyRegistry:
    def __init__(
        self,
        parties: Iterable[Party],
        frameworks: Iterable[Framework],
        memberships: Iterable[Membership],
    ) -> None:
        self._parties = {p.code: p for p in parties}
        self._frameworks = {f.code: f for f in frameworks}
        self._memberships = tuple(sorted(memberships, key=lambda m: (m.framework, m.party, m.start or dt.date.min)))

    # -- parties and frameworks -------------------------------------------
    def party(self, code: str) -> Party:
        try:
            return self._parties[code]
        except KeyError:
            raise KeyError(f"unknown party code {code!r}") from None

    def is_known(self, code: str) -> bool:
        return code in self._parties

    def parties(self) -> list[Party]:
        return sorted(self._parties.values(), key=lambda p: p.code)

    def framework(self, code: str) -> Framework:
        try:
            return self._frameworks[code]
        except KeyError:
            raise KeyError(f"unknown framework code {code!r}") from None

    def frameworks(self) -> list[Framework]:
        return sorted(self._frameworks.values(), key=lambda f: f.code)

    # -- memberships ------------------------------------------------------
    def memberships(self) -> list[Membership]:
        """Every membership row, sorted by framework, party, start."""
        return list(self._memberships)

    def memberships_of(self, party: str) -> list[Membership]:
        self.party(party)  # KeyError for an unknown code
        return sorted(
            (m for m in self._memberships if m.party == party),
            key=lambda m: (m.framework, m.start or dt.date.min),
        )

    def memberships_in(self, framework: str) -> list[Membership]:
        self.framework(framework)
        return [m for m in self._memberships if m.framework == framework]

    def members(self, framework: str, *, on: dt.date) -> frozenset[str]:
        return frozenset(m.party for m in self.memberships_in(framework) if m.covers(on))

    def is_member(self, party: str, framework: str, *, on: dt.date) -> bool:
        """start <= on <= end, the end day included; a null start counts as a member."""
        self.party(party)
        return party in self.members(framework, on=on)
