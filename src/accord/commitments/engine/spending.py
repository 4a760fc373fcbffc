"""Defence spending as a share of GDP, per state and year (docs/law/nato-targets.md#nato-estimates-2025).

A figure is what a source printed; a gap (``percent_gdp is None``) stays a gap
and is never filled from another year or source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .sources import Source, parse_source
from .yamlio import as_decimal, is_state_code, problem, raise_if, read_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SPENDING_FILE = DATA_DIR / "defence_spending.yaml"
MEASURES = ("defence", "resilience")
# A share of GDP above 100% is a typo, not a figure.
_MAX_PERCENT = Decimal(100)


@dataclass(frozen=True)
class SpendingFigure:
    state: str
    year: int
    measure: str
    percent_gdp: Decimal | None  # None: a gap, nothing recorded
    source: Source | None
    approximate: bool = False
    note: str | None = None

    @property
    def is_gap(self) -> bool:
        return self.percent_gdp is None

    def known_on(self, on: dt.date) -> bool:
        """Whether the figure had been published by ``on``.

        A figure counts from its source's publication date; when that date is
        unknown, from 1 January of the year after the figure's year (the
        earliest a full-year figure can exist).
        """
        if self.is_gap:
            return False
        published = self.source.published if self.source else None
        return on >= (published or dt.date(self.year + 1, 1, 1))

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "year": self.year,
            "measure": self.measure,
            "percent_gdp": float(self.percent_gdp) if self.percent_gdp is not None else None,
            "approximate": self.approximate,
            "source": self.source.as_dict() if self.source else None,
            "note": self.note,
        }


def parse_spending(data: Any) -> list[SpendingFigure]:
    """Figures from the parsed YAML document; InputError lists every fault."""
    problems: list = []
    if not isinstance(data, dict):
        raise_if([problem("the spending file must be a mapping with 'sources' and 'figures'")])
    sources = {}
    for key, raw in (data.get("sources") or {}).items():
        source = parse_source(str(key), raw, f"sources.{key}", problems)
        if source is not None:
            sources[str(key)] = source
    raw_figures = data.get("figures")
    if not isinstance(raw_figures, list):
        problems.append(problem("'figures' must be a list", field="figures"))
        raw_figures = []
    figures: list[SpendingFigure] = []
    seen: set[tuple[str, int, str]] = set()
    for index, raw in enumerate(raw_figures):
        figure = _parse_figure(index, raw, sources, problems)
        if figure is None:
            continue
        key = (figure.state, figure.year, figure.measure)
        if key in seen:
            problems.append(
                problem(
                    f"a second {figure.measure} figure for {figure.year}",
                    field=f"figures[{index}]",
                    item=figure.state,
                )
            )
        seen.add(key)
        figures.append(figure)
    raise_if(problems)
    return sorted(figures, key=lambda f: (f.state, f.measure, f.year))


def _parse_figure(index: int, raw: Any, sources: dict, problems: list) -> SpendingFigure | None:
    where = f"figures[{index}]"
    if not isinstance(raw, dict):
        problems.append(problem("a figure must be a mapping", field=where))
        return None
    before = len(problems)
    state = raw.get("state")
    item = state if isinstance(state, str) else None
    if not is_state_code(state):
        problems.append(problem(f"{state!r} is not an ISO 3166-1 alpha-2 code", field=f"{where}.state"))
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100:
        problems.append(problem(f"{year!r} is not a year", field=f"{where}.year", item=item))
    measure = raw.get("measure", "defence")
    if measure not in MEASURES:
        problems.append(problem(f"measure must be one of {', '.join(MEASURES)}", field=f"{where}.measure", item=item))
    percent = None
    if raw.get("percent_gdp") is not None:
        percent = as_decimal(raw["percent_gdp"], f"{where}.percent_gdp", item, problems)
        if percent is not None and not Decimal(0) <= percent <= _MAX_PERCENT:
            problems.append(
                problem("a share of GDP must be between 0 and 100", field=f"{where}.percent_gdp", item=item)
            )
    source_key = raw.get("source")
    source = None
    if percent is not None or raw.get("percent_gdp") is not None:
        # A figure without a source is not a figure we can show.
        if source_key not in sources:
            problems.append(problem(f"unknown or missing source {source_key!r}", field=f"{where}.source", item=item))
        else:
            source = sources[source_key]
    elif not raw.get("note"):
        problems.append(problem("a gap (percent_gdp: null) needs a note saying why", field=f"{where}.note", item=item))
    if len(problems) > before:
        return None
    return SpendingFigure(
        state=state,
        year=year,
        measure=measure,
        percent_gdp=percent,
        source=source,
        approximate=bool(raw.get("approximate", False)),
        note=raw.get("note"),
    )


def load_spending(path: Path | str = SPENDING_FILE) -> list[SpendingFigure]:
    return parse_spending(read_yaml(Path(path)))


def latest_known_figure(
    figures: Iterable[SpendingFigure], state: str, measure: str, on: dt.date
) -> SpendingFigure | None:
    """The most recent figure for ``state`` published by ``on`` (gaps never count)."""
    known = [f for f in figures if f.state == state and f.measure == measure and f.known_on(on)]
    return max(known, key=lambda f: f.year, default=None)


def states_in(figures: Iterable[SpendingFigure]) -> list[str]:
    return sorted({f.state for f in figures})
