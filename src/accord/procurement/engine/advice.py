"""Advice a firm can act on: per-part figures and the three headroom figures (pure).

The component-cost rule (Regulation (EU) 2025/1106, Art. 16(10),
docs/law/safe-regulation.md#article-16-10) passes when the non-eligible
component cost N is "not higher than" the cap c of the component cost T:
N <= cT, compared exactly. A firm can act on it in three ways, each a
different figure (issue 10):

- add a new non-eligible component of x: N + x <= c(T + x), so the largest
  is (cT - N) / (1 - c) ("extra_non_eligible");
- move non-eligible cost to an eligible origin at the same price: T stays,
  N must come down to cT, so N - cT must move ("resource");
- cut the price of non-eligible components by y: N - y <= c(T - y), so the
  least cut is (N - cT) / (1 - c) ("price_cut").

A participation agreement's components count as eligible only up to its cap
times T (Art. 16(10) with the agreement, see ``rules.component_cost_figures``):
when T moves, so does that allowance. The figures are therefore found on the
exact piecewise-linear function the rule applies (concave in x, so the set
that passes is one interval), not by the plain formulas alone; without an
agreement over its cap the two are the same.

Rounding: the figures are exact ``Fraction``s; shown to the cent, the amount
one may add is rounded down and the amounts one must move or cut are rounded
up, so the figure shown is always one that works.

``headroom(verdict)`` and ``parts(case, verdict)`` are what reports print.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from accord.money import format_eur, format_share, to_cents

from .countries import AGREEMENT, ELIGIBLE, STATUS_LABELS, UNKNOWN

MAX_PATHS = 10  # where-used paths listed per part; the count says how many there are
# A BOM counting more lines than this has its parts listed only when asked (``--parts``, the
# spreadsheet): a million JSON objects on every check would cost more than the check itself.
PARTS_LISTED_UP_TO = 20_000


def parts_listed_by_default(verdict) -> bool:
    return int(verdict.bom_summary.get("purchased_counted", 0)) <= PARTS_LISTED_UP_TO


def parts_not_listed_note(verdict) -> str:
    counted = int(verdict.bom_summary.get("purchased_counted", 0))
    return (
        f"The bill of materials counts {counted:,} lines, more than the {PARTS_LISTED_UP_TO:,} listed by default: "
        "ask for every part (--parts), or for the spreadsheet (--xlsx)."
    )


SHARE_DECIMALS = 6


def cents_down(amount: Fraction) -> Fraction:
    return Fraction(math.floor(amount * 100), 100)


def cents_up(amount: Fraction) -> Fraction:
    return Fraction(math.ceil(amount * 100), 100)


def _json_cents(amount: Fraction | None) -> float | None:
    return None if amount is None else float(amount) + 0.0


# -- headroom ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headroom:
    """The three figures, exact. ``None``: no limit (a cap of 100%) for ``extra_non_eligible``;
    for ``price_cut``, that cutting prices alone cannot pass (an agreement's cap shrinks with T)."""

    passes: bool
    cap: Fraction
    component_cost: Fraction
    non_eligible: Fraction
    extra_non_eligible: Fraction | None
    resource: Fraction
    price_cut: Fraction | None

    @property
    def signed(self) -> Fraction:
        """One signed figure (the verdict's ``headroom_eur``): the non-eligible cost one may add,
        or, negative, the cut in non-eligible prices needed."""
        if self.passes:
            return self.extra_non_eligible if self.extra_non_eligible is not None else Fraction(0)
        return -(self.price_cut if self.price_cut is not None else self.resource)

    def shown(self) -> dict[str, Fraction | None]:
        """To the cent, rounded the way that still works (see the module's docstring)."""
        return {
            "extra_non_eligible_eur": None if self.extra_non_eligible is None else cents_down(self.extra_non_eligible),
            "resource_eur": cents_up(self.resource),
            "price_cut_eur": None if self.price_cut is None else cents_up(self.price_cut),
        }

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: _json_cents(v) for k, v in self.shown().items()}
        out["passes"] = self.passes
        out["rounding"] = "extra_non_eligible_eur rounded down to the cent; resource_eur and price_cut_eur rounded up"
        out["sentences"] = self.sentences()
        return out

    def sentences(self) -> list[str]:
        """One plain sentence per figure, for the page, the CLI and the report."""
        shown = self.shown()
        limit = f"{format_share(self.cap)} of the component cost"
        if self.passes:
            extra = shown["extra_non_eligible_eur"]
            return [
                (
                    f"A new component from outside the eligible countries costing up to {format_eur(extra)} "
                    f"would still pass: non-eligible cost would stay within {limit}."
                    if extra is not None
                    else "Any new non-eligible component would still pass: the limit is all of the component cost."
                ),
                "No non-eligible cost needs to move to an eligible origin.",
                "No price needs to be cut.",
            ]
        cut = shown["price_cut_eur"]
        return [
            "No further non-eligible component can be added: the case is already over the limit.",
            (
                f"Move at least {format_eur(shown['resource_eur'])} of non-eligible component cost to suppliers "
                f"in eligible countries, at the same price, to pass."
            ),
            (
                f"Or cut the prices of non-eligible components by at least {format_eur(cut)} in total: a cut "
                f"lowers the component cost too, so it must be more than the amount to move."
                if cut is not None
                else "Cutting the prices of non-eligible components alone cannot pass: a participation "
                "agreement's allowance shrinks with the component cost."
            ),
        ]


def headroom_of(
    total: Fraction,
    non_eligible: Fraction,
    cap: Fraction,
    agreements: Sequence[tuple[Fraction, Fraction | None]] = (),
) -> Headroom:
    """The three figures for component cost ``total``, non-eligible cost ``non_eligible`` (agreement
    excess included) and ``cap``; ``agreements``: (cost, cap or None) of each agreement country."""

    def excess(t: Fraction) -> Fraction:
        return sum((max(a - k * t, Fraction(0)) for a, k in agreements if k is not None), Fraction(0))

    plain = non_eligible - excess(total)  # third-country and unknown cost: moves one for one
    passes = non_eligible <= cap * total

    def after_adding(x: Fraction) -> Fraction:  # >= 0: passes after adding x of non-eligible cost
        return cap * (total + x) - (plain + x) - excess(total + x)

    def after_cutting(y: Fraction) -> Fraction:  # >= 0: passes after cutting y off non-eligible prices
        return cap * (total - y) - (plain - y) - excess(total - y)

    kinks = [a / k for a, k in agreements if k]  # component costs where an agreement's cap starts to bind
    if passes:
        extra = None if cap >= 1 else _last_root(after_adding, sorted({t - total for t in kinks if t > total}))
        return Headroom(True, cap, total, non_eligible, extra, Fraction(0), Fraction(0))
    cut = _first_root(after_cutting, sorted({total - t for t in kinks if 0 < total - t < plain}), plain)
    return Headroom(False, cap, total, non_eligible, Fraction(0), non_eligible - cap * total, cut)


def _last_root(g: Callable[[Fraction], Fraction], breaks: list[Fraction]) -> Fraction:
    """The largest x >= 0 with g(x) >= 0, for a concave piecewise-linear g with g(0) >= 0 and
    its kinks at ``breaks``, falling after the last one (slope c - 1 < 0)."""
    start = Fraction(0)
    for end in [*breaks, None]:
        if end is None:
            end = start + 1
            slope = g(end) - g(start)
            if slope >= 0:  # cannot happen with a cap below 100%
                return start
            return start + g(start) / -slope
        if g(end) < 0:
            return start + g(start) * (end - start) / (g(start) - g(end))
        start = end
    raise AssertionError("unreachable")


def _first_root(g: Callable[[Fraction], Fraction], breaks: list[Fraction], upper: Fraction) -> Fraction | None:
    """The least y in [0, upper] with g(y) >= 0, for a concave piecewise-linear g with g(0) < 0;
    None when there is none."""
    start = Fraction(0)
    for end in [*breaks, upper]:
        if g(end) >= 0:
            return start + -g(start) * (end - start) / (g(end) - g(start))
        start = end
    return None


def headroom(verdict) -> Headroom:
    """The headroom of a verdict (``engine.Verdict``), for reports."""
    return verdict.headroom


# -- per-part figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A counted component (bought whole, or made in-house with its own cost), all its uses."""

    id: str
    origin: str | None
    status: str  # eligible | agreement | third_country | excluded | unknown
    purchased: bool
    quantity: Fraction  # units per end product, rolled up over every use
    unit_cost: Fraction  # in ``currency``
    currency: str
    cost_eur: Fraction  # unit cost x rolled-up quantity, in euros, exact
    share: Fraction  # of the component cost
    where_used: tuple[str, ...]  # paths from the end product to the part's parents (at most MAX_PATHS)
    where_used_count: int
    lines: tuple[int, ...]  # lines of the user's file (empty for an inline BOM)

    @property
    def eligible(self) -> bool:
        """Counted as eligible: an eligible country, or an agreement country (within its cap, see
        the verdict's agreements for any excess)."""
        return self.status in (ELIGIBLE, AGREEMENT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "eligible": self.eligible,
            "purchased": self.purchased,
            "quantity": float(self.quantity),
            "unit_cost": float(self.unit_cost),
            "currency": self.currency,
            "cost_eur": _cents_of_positive(self.cost_eur),
            "share": round(float(self.share), SHARE_DECIMALS),
            "where_used": list(self.where_used),
            "where_used_count": self.where_used_count,
            "lines": list(self.lines),
        }


def _cents_of_positive(amount: Fraction) -> float:
    """``money.cents_float`` for an amount >= 0 in plain integer steps (a part list is long)."""
    n, d = amount.numerator, amount.denominator
    return ((200 * n + d) // (2 * d)) / 100


def cents_half(amount: Fraction) -> Decimal:
    return to_cents(amount)


def _euro_rates(verdict) -> dict[str, Fraction]:
    return {r["currency"]: Fraction(Decimal(str(r["per_euro"]))) for r in verdict.rates}


def line_uses(bom) -> tuple[np.ndarray, list[Fraction] | np.ndarray, Any]:
    """Which lines carry component cost, and each line's units per end product (exact).

    The same walk as ``rollup.roll_up`` (whose rules say which lines count): here per line,
    not summed."""
    from .rollup import _roots, _walk, _walk_tree, build_graph

    frame = bom.frame
    graph = build_graph(bom)
    roots, _ = _roots(bom, graph)
    root = int(roots[0])
    quantity = frame["quantity"].to_numpy()
    purchased = frame["purchased"].to_numpy()
    walk = _walk_tree(graph, quantity, purchased) if graph.tree else _walk(graph, root, quantity, purchased)
    has_child = np.zeros(graph.parts, dtype=bool)
    has_child[graph.parent_part[graph.parent_part >= 0]] = True
    leaf = ~has_child[graph.part_of_row]
    costed = frame["cost_units"].is_not_null().to_numpy()
    counted = walk.open_above & costed & (purchased | leaf)
    use = walk.use
    whole = bool(
        np.all(np.isfinite(use)) and np.all(quantity == np.floor(quantity)) and use.max(initial=0) < float(2**53)
    )
    if whole:
        return counted, use, graph
    exact_quantity = np.array([Fraction(Decimal(repr(float(q)))) for q in quantity], dtype=object)
    return counted, _walk(graph, root, exact_quantity, purchased).use, graph


def _paths(frame, graph, wanted_parts: Sequence[int]) -> dict[int, tuple[list[str], int]]:
    """Where-used paths ("END > HULL > TURRET") of the given parts, and how many there are.

    Only assemblies (parts with parts of their own) have paths to resolve; a leaf's paths are
    its parents'. In a tree a part's parent is one number; in a where-used graph a list."""
    ids = frame["id"].to_list()
    if graph.tree:  # part index == line index
        parent_of = graph.parent_part
        first_row = None
        parents = None
    else:
        first_row = {}
        parents = {}
        for row, (part, parent) in enumerate(zip(graph.part_of_row.tolist(), graph.parent_part.tolist(), strict=True)):
            first_row.setdefault(part, row)
            if parent >= 0:
                parents.setdefault(part, []).append(parent)

    def ups(part: int) -> list[int]:
        if parents is None:
            parent = int(parent_of[part])
            return [parent] if parent >= 0 else []
        return parents.get(part, [])

    def name(part: int) -> str:
        return ids[part if first_row is None else first_row[part]]

    memo: dict[int, tuple[list[str], int]] = {}

    def resolve(start: int) -> tuple[list[str], int]:
        stack = [start]
        while stack:  # iterative: a chain thousands deep is fine
            part = stack[-1]
            if part in memo:
                stack.pop()
                continue
            above = ups(part)
            missing = [p for p in above if p not in memo]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            here = name(part)
            if not above:
                memo[part] = ([here], 1)
                continue
            listed: list[str] = []
            count = 0
            for p in above:
                paths, n = memo[p]
                count += n
                listed.extend(f"{a} > {here}" for a in paths[: MAX_PATHS - len(listed)])
            memo[part] = (listed, count)
        return memo[start]

    out: dict[int, tuple[list[str], int]] = {}
    for part in wanted_parts:
        listed: list[str] = []
        count = 0
        for p in ups(part):
            paths, n = resolve(p)
            count += n
            listed.extend(paths[: MAX_PATHS - len(listed)])
        out[part] = (listed, count)
    return out


def parts(case, verdict) -> list[Part]:
    """Every counted component of the case's BOM with its exact euro cost, largest non-eligible
    first (then eligible, largest first). ``verdict``: ``assess(case, ...)`` (its rates and the
    status of each origin on the assessment date). A part listed under several parents is one
    part with every use; the same id with another origin or price is listed apart."""
    import polars as pl

    bom = case.bom
    counted, use, graph = line_uses(bom)
    rows = np.flatnonzero(counted)
    whole = isinstance(use, np.ndarray) and use.dtype != object
    selected = bom.frame.select("id", "origin", "currency", "cost_units", "purchased", "line")[rows]
    selected = selected.with_columns(
        pl.col("currency").fill_null(case.currency),
        pl.Series("_part", graph.part_of_row[rows]),
        pl.Series("_row", rows),
        # units per end product: whole numbers below 2**53 as int64 (exact), else exact fractions
        pl.Series("_use", use[rows].astype(np.int64)) if whole else pl.Series("_use", range(rows.size)),
    )
    keys = ["id", "origin", "currency", "cost_units"]
    grouped = selected.group_by(keys, maintain_order=True).agg(
        pl.col("_use") if not whole else pl.col("_use").sum(),
        pl.col("purchased").first(),
        pl.col("line").drop_nulls(),
        pl.col("_part").first(),
        pl.col("_row").first(),
    )
    repeated = set(grouped.filter(pl.col("id").is_duplicated())["id"].to_list())
    rates = _euro_rates(verdict)
    status_of = {o.origin: o.status for o in verdict.origins}
    scale = 10**bom.cost_scale
    total = verdict.component_cost_eur
    paths = _paths(bom.frame, graph, grouped["_part"].unique().to_list())
    out: list[Part] = []
    for part_id, origin, currency, cost_units, uses, purchased, lines, part, first in grouped.iter_rows():
        quantity = Fraction(uses) if whole else sum((Fraction(use[rows[i]]) for i in uses), Fraction(0))
        unit_cost = Fraction(int(cost_units), scale)
        cost = quantity * unit_cost
        if currency != "EUR":
            cost = cost / rates[currency]
        listed, count = paths[part]
        name = part_id
        if part_id in repeated:  # the same id with different origins or prices on different lines
            name = f"{part_id} (line {lines[0]})" if lines else f"{part_id} (bom[{first}])"
        out.append(
            Part(
                id=name,
                origin=origin,
                status=status_of.get(origin or "", UNKNOWN),
                purchased=bool(purchased),
                quantity=quantity,
                unit_cost=unit_cost,
                currency=currency,
                cost_eur=cost,
                share=cost / total if total else Fraction(0),
                where_used=tuple(listed),
                where_used_count=count,
                lines=tuple(lines),
            )
        )
    # float keys to order (exact Fractions compare slowly); ties broken by id
    out.sort(key=lambda p: (p.eligible, -float(p.cost_eur), p.id))
    return out


# -- per-part results as XLSX ----------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PART_COLUMNS = (
    ("Part", "id"),
    ("Origin", "origin"),
    ("Status", "status_label"),
    ("Counted as eligible", "eligible"),
    ("Bought whole", "purchased"),
    ("Units per end product", "quantity"),
    ("Unit cost", "unit_cost"),
    ("Currency", "currency"),
    ("Cost (EUR)", "cost_eur"),
    ("Share of component cost", "share"),
    ("Where used", "where_used"),
    ("Uses", "where_used_count"),
    ("File lines", "lines"),
)


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written
    with a leading apostrophe, so it is shown, not run (OWASP, CSV injection). Numbers are
    left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def parts_workbook(found: Sequence[Part], verdict) -> bytes:
    """The per-part figures as an XLSX workbook: a "Parts" sheet (largest non-eligible first) and
    a "Summary" sheet with the verdict's totals and the three headroom figures."""
    import io

    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Parts"
    sheet.append([label for label, _ in PART_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for part in found:
        row = part.as_dict()
        values = []
        for _, key in PART_COLUMNS:
            value = row[key]
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            values.append(spreadsheet_safe("" if value is None else value))
        sheet.append(values)
    sheet.freeze_panes = "A2"
    summary = book.create_sheet("Summary")
    data = verdict.as_dict()
    rows = [
        ("Case", data["title"]),
        ("Assessed on", data["assessment_date"]),
        ("Scenario", data["scenario_label"]),
        ("Eligible", "yes" if data["eligible"] else "no"),
        ("Estimated component cost (EUR)", data["component_cost_eur"]),
        ("Non-eligible component cost (EUR)", data["non_eligible_cost_eur"]),
        ("Limit (share of component cost)", data["non_eligible_cap"]),
    ]
    if verdict.headroom is not None:
        shown = verdict.headroom.as_dict()
        rows += [
            ("New non-eligible component that would still pass (EUR)", shown["extra_non_eligible_eur"]),
            ("Non-eligible cost to move to eligible origins (EUR)", shown["resource_eur"]),
            ("Cut in non-eligible prices needed (EUR)", shown["price_cut_eur"]),
        ]
        rows += [("", sentence) for sentence in shown["sentences"]]
    for label, value in rows:
        summary.append([spreadsheet_safe(label), spreadsheet_safe("" if value is None else value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
