"""Input errors shared by engines and entrypoints (pure Python).

Engines raise ``InputError`` with every problem found (not just the first),
each naming where it is (an item id, a line, a field). The CLI prints them and
exits 2, the API answers 422 with the list, pages show a GOV.UK error summary.
Nothing is stored when an ``InputError`` is raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None  # e.g. "bom[3].unit_cost_eur" or "procurers"
    line: int | None = None  # 1-based line in the user's file, where there is one
    item: str | None = None  # e.g. the BOM item id

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "field": self.field, "line": self.line, "item": self.item}

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.item is not None:
            where.append(f"item {self.item!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputError(ValueError):
    """One or more problems with what the user gave us."""

    def __init__(self, problems: Problem | str | Iterable[Problem], **where: Any) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, **where)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def as_dict(self) -> dict[str, Any]:
        return {"errors": [p.as_dict() for p in self.problems]}
