"""Roll a BOM up to the estimated cost of the components of the end product, exactly.

A BOM is a where-used graph: each line names one part, one parent and the
quantity of the part in one unit of that parent. A part may be used under
several parents (a harness in the turret and twice in the hull): its own parts
are then counted once per use. The same part twice under the same parent is a
duplicate line, and a part that is (through its parents) part of itself is a
cycle; both are refused, naming the lines.

Which lines carry the component cost (Regulation (EU) 2025/1106, Art. 16(10),
"the estimated cost of the components of the end-product"):

- a part bought whole (``purchased``): its price includes everything listed
  beneath it, so the lines beneath are not counted (and are listed as such);
- a part made in-house with its own unit cost and origin and no listed parts
  (``purchased: false``): a component like a bought one;
- an assembly made in-house costs what its parts cost; a unit cost written on
  it would not be counted, so it is refused rather than silently dropped.

The multipliers are computed top down, one layer of the graph per round, in
whole-array numpy steps (no Python loop over lines): a part's multiplier is the
sum over its uses of (quantity x the parent's multiplier). With whole
quantities below 2**53 every figure in floating point is an exact integer, and
the costs (integers of 10**-scale currency units, see ``bom``) are multiplied
and summed in int64: the component cost is exact. Otherwise (fractional
quantities, huge products) the same rounds run again on exact fractions.

    component cost = sum over counted lines of
                     (quantity x multiplier of the parent) x unit cost
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from decimal import Decimal

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .bom import MAX_PROBLEMS_PER_KIND, Bom, collect_problems, where
from .idmap import map_parents

MAX_CYCLES_REPORTED = 5
MAX_WARNINGS_LISTED = 10
EXACT_FLOAT = float(2**53)  # every integer below this is exact in a float64
INT64_SAFE = float(2**62)  # products and sums below this fit int64 with room to spare
UNKNOWN_ORIGIN = None  # the key of the cost whose origin the BOM does not give


@dataclass(frozen=True)
class Rollup:
    # exact cost per (origin, currency) in that currency; origin None: not given
    amounts: dict[tuple[str | None, str], Fraction]
    items: int
    depth: int  # edges from the end product to the deepest line
    purchased_counted: int  # lines counted: bought, or made in-house with their own cost
    in_house_counted: int
    ignored_under_purchased: int  # lines inside a part bought as a whole
    end_product: str
    uncosted_leaves: tuple[str, ...] = field(default=())  # first few made items with no parts
    uncosted_leaf_count: int = 0
    not_counted: tuple[str, ...] = ()  # first few lines with a cost, beneath a part bought whole
    not_counted_count: int = 0
    unknown_origin_count: int = 0
    unknown_origin_items: tuple[str, ...] = ()
    currency_lines: dict[str, int | None] = field(default_factory=dict)  # a line per currency, for errors
    shared_parts: int = 0  # parts used under more than one parent

    @property
    def currencies(self) -> set[str]:
        return {currency for _, currency in self.amounts}

    @property
    def cost_by_origin(self) -> dict[str, Fraction]:
        """Exact component cost per origin, for a BOM in euros only (``UNKNOWN_ORIGIN`` as "")."""
        if self.currencies - {"EUR"}:
            raise ValueError("the BOM has costs in other currencies; convert them with the rates first")
        out: dict[str, Fraction] = {}
        for (origin, _), amount in self.amounts.items():
            out[origin or ""] = out.get(origin or "", Fraction(0)) + amount
        return dict(sorted(out.items()))

    @property
    def component_cost_eur(self) -> Fraction:
        return sum(self.cost_by_origin.values(), Fraction(0))

    def summary(self) -> dict[str, object]:
        return {
            "items": self.items,
            "depth": self.depth,
            "end_product": self.end_product,
            "purchased_counted": self.purchased_counted,
            "in_house_counted": self.in_house_counted,
            "ignored_under_purchased": self.ignored_under_purchased,
            "not_counted_with_cost": self.not_counted_count,
            "uncosted_leaf_count": self.uncosted_leaf_count,
            "unknown_origin_count": self.unknown_origin_count,
            "shared_parts": self.shared_parts,
        }

    def warnings(self) -> list[str]:
        notes = []
        if self.uncosted_leaf_count:
            notes.append(
                f"{self.uncosted_leaf_count:,} item(s) are neither purchased nor given a unit cost and have no "
                f"listed parts, so they add no component cost: {_listing(self.uncosted_leaves, self.uncosted_leaf_count)}"
            )
        if self.not_counted_count:
            notes.append(
                f"{self.not_counted_count:,} line(s) with a cost are inside parts bought whole, whose price already "
                f"includes them; they are not counted: {_listing(self.not_counted, self.not_counted_count)}"
            )
        elif self.ignored_under_purchased:
            notes.append(
                f"{self.ignored_under_purchased:,} item(s) belong to parts bought as a whole; "
                "their price already includes them"
            )
        return notes


def _listing(shown: tuple[str, ...], count: int) -> str:
    more = count - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


# -- the graph ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graph:
    part_of_row: np.ndarray  # part index of each line
    parent_part: np.ndarray  # part index of each line's parent, -1 for the end product
    parts: int
    tree: bool  # every part on one line: part index == line index


def parent_indices(bom: Bom) -> np.ndarray:
    """Index of each item's parent (-1 for the end product) in a BOM where ids are unique."""
    mapped = map_parents(bom.frame["id"], bom.frame["parent"])
    if mapped is None:  # duplicate ids, unknown parents, or a hash collision
        return _parent_indices_exact(bom)
    return mapped


def _parent_indices_exact(bom: Bom) -> np.ndarray:
    """The plain hash join on the strings; also names duplicate ids and unknown parents."""
    frame = bom.frame
    if frame["id"].is_duplicated().any():
        problems = collect_problems(
            frame, [(pl.col("id").is_duplicated(), "id", "this id is used by more than one item")]
        )
        raise InputError(problems)
    positions = pl.int_range(frame.height, eager=True, dtype=pl.Int64)
    mapped = frame["parent"].replace_strict(frame["id"], positions, default=None, return_dtype=pl.Int64)
    _refuse_unknown_parents(frame, mapped)
    return mapped.fill_null(-1).to_numpy().astype(np.int64, copy=False)


def _refuse_unknown_parents(frame: pl.DataFrame, mapped: pl.Series) -> None:
    unknown = frame["parent"].is_not_null() & mapped.is_null()
    if unknown.any():
        problems = collect_problems(
            frame.with_columns(unknown.alias("_unknown")),
            [(pl.col("_unknown"), "parent", "the parent is not the id of any item in the BOM")],
            value_columns=True,
        )
        raise InputError(problems)


def build_graph(bom: Bom) -> Graph:
    """Lines to parts. Ids unique: a tree, found with the fast hash tables of ``idmap``.
    Otherwise a where-used graph: the same part twice under the same parent is refused."""
    frame = bom.frame
    n = frame.height
    mapped = map_parents(frame["id"], frame["parent"])
    if mapped is not None:
        return Graph(np.arange(n), mapped.astype(np.int64), n, True)
    if not frame["id"].is_duplicated().any():
        return Graph(np.arange(n), _parent_indices_exact(bom), n, True)
    pair_duplicated = frame.select(pl.struct("id", "parent").is_duplicated()).to_series()
    if pair_duplicated.any():
        raise InputError(collect_problems(
            frame.with_columns(pair_duplicated.alias("_dup")),
            [(pl.col("_dup"), "id", "this part is listed twice under the same parent; give it once, with the "
                                    "total quantity (a part used under several parents is fine)")],
        ))
    parts = frame["id"].unique(maintain_order=True)
    positions = pl.int_range(parts.len(), eager=True, dtype=pl.Int64)
    part_of_row = frame["id"].replace_strict(parts, positions, return_dtype=pl.Int64)
    parent_part = frame["parent"].replace_strict(parts, positions, default=None, return_dtype=pl.Int64)
    _refuse_unknown_parents(frame, parent_part)
    return Graph(part_of_row.to_numpy(), parent_part.fill_null(-1).to_numpy(), parts.len(), False)


@dataclass
class Walk:
    use: np.ndarray  # per line: quantity x the parent's multiplier (its units per end product)
    open_above: np.ndarray  # per line: not inside a part bought whole
    depth: np.ndarray  # per line: edges from the end product, -1 where never reached
    reached_all: bool


def _walk(graph: Graph, root_row: int, quantity: np.ndarray, purchased: np.ndarray) -> Walk:
    """Top down, one layer per round: a part is finished when all its uses are counted."""
    n = graph.part_of_row.size
    exact = quantity.dtype == object
    zero = Fraction(0) if exact else 0.0
    multiplier = np.full(graph.parts, zero, dtype=quantity.dtype)
    is_open = np.zeros(graph.parts, dtype=bool)
    use = np.full(n, zero, dtype=quantity.dtype)
    open_above = np.zeros(n, dtype=bool)
    depth = np.full(n, -1, dtype=np.int64)
    has_parent = graph.parent_part >= 0
    # children of each part, as a CSR index over lines sorted by parent
    child_rows = np.flatnonzero(has_parent)
    order = child_rows[np.argsort(graph.parent_part[child_rows], kind="stable")]
    offsets = np.zeros(graph.parts + 1, dtype=np.int64)
    np.cumsum(np.bincount(graph.parent_part[child_rows], minlength=graph.parts), out=offsets[1:])
    remaining = np.bincount(graph.part_of_row, minlength=graph.parts)

    root_part = graph.part_of_row[root_row]
    use[root_row] = quantity[root_row]
    open_above[root_row] = True
    depth[root_row] = 0
    if not purchased[root_row]:
        multiplier[root_part] = quantity[root_row]
        is_open[root_part] = True
    remaining[root_part] -= 1
    frontier = np.array([root_part], dtype=np.int64)
    level = 0
    with np.errstate(over="ignore", invalid="ignore"):  # overflow sends the figures to the exact path
        while frontier.size:
            level += 1
            starts = offsets[frontier]
            counts = offsets[frontier + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            # positions starts[k] .. starts[k] + counts[k] - 1 of every frontier part, without a loop
            shift = starts - (np.cumsum(counts) - counts)
            rows = order[np.repeat(shift, counts) + np.arange(total)]
            parents = graph.parent_part[rows]
            row_use = quantity[rows] * multiplier[parents]
            row_open = is_open[parents]
            use[rows] = row_use
            open_above[rows] = row_open
            depth[rows] = level
            keep = ~purchased[rows]
            passes = np.where(keep, row_use, zero)
            parts = graph.part_of_row[rows]
            if graph.tree:  # one line per part: plain assignments
                multiplier[parts] = passes
                is_open[parts] = row_open & keep
                frontier = parts
            else:
                np.add.at(multiplier, parts, passes)
                np.logical_or.at(is_open, parts, row_open & keep)
                np.subtract.at(remaining, parts, 1)
                candidates = np.unique(parts)
                frontier = candidates[remaining[candidates] == 0]
    return Walk(use=use, open_above=open_above, depth=depth, reached_all=bool((depth >= 0).all()))


def _roots(bom: Bom, graph: Graph) -> tuple[np.ndarray, list[Problem]]:
    roots = np.flatnonzero(graph.parent_part < 0)
    problems: list[Problem] = []
    if roots.size != 1:
        ids = bom.frame["id"]
        names = ", ".join(repr(ids[int(i)]) for i in roots[:MAX_PROBLEMS_PER_KIND])
        problems.append(Problem(
            "a BOM describes one end product, the only item whose parent is empty; "
            + (f"found {roots.size:,}: {names}" if roots.size else "found none"),
            field=f"{bom.source}.parent" if bom.source == "bom" else "parent",
        ))
    elif not graph.tree and (graph.part_of_row == graph.part_of_row[roots[0]]).sum() > 1:
        first = int(np.flatnonzero((graph.part_of_row == graph.part_of_row[roots[0]]) & (graph.parent_part >= 0))[0])
        problems.append(Problem("the end product is also listed as a part of another item",
                                item=str(bom.frame["id"][first]), **where(bom.frame["line"][first], first, "parent")))
    return roots, problems


def structure_problems(bom: Bom) -> list[Problem]:
    """Duplicate lines, unknown parents, end products and cycles: what can be checked from
    the ids and parents alone (used when some values could not be read)."""
    frame = bom.frame
    if frame.height == 0 or frame["id"].null_count():
        return []
    try:
        graph = build_graph(bom)
    except InputError as exc:
        return exc.problems
    roots, problems = _roots(bom, graph)
    if problems:
        return problems
    n = frame.height
    walk = _walk(graph, int(roots[0]), np.ones(n), np.zeros(n, dtype=bool))
    if not walk.reached_all:
        problems.extend(_cycle_problems(bom, graph, np.flatnonzero(walk.depth < 0)))
    return problems


def roll_up(bom: Bom, *, default_currency: str = "EUR", unknown_origin: str = "count") -> Rollup:
    """The exact component cost per (origin, currency); ``unknown_origin``: "count" (as
    non-eligible, the worst case, stated in the verdict) or "refuse"."""
    frame = bom.frame
    n = frame.height
    if n == 0:
        raise InputError("the BOM has no items", field=bom.source)
    graph = build_graph(bom)
    roots, problems = _roots(bom, graph)
    if problems:
        raise InputError(problems)
    root = int(roots[0])
    quantity = frame["quantity"].to_numpy()
    purchased = frame["purchased"].to_numpy()
    walk = _walk(graph, root, quantity, purchased)
    if not walk.reached_all:
        raise InputError(_cycle_problems(bom, graph, np.flatnonzero(walk.depth < 0)))

    has_child = np.zeros(graph.parts, dtype=bool)
    has_child[graph.parent_part[graph.parent_part >= 0]] = True
    leaf = ~has_child[graph.part_of_row]
    costed = frame["cost_units"].is_not_null().to_numpy()
    is_open = walk.open_above
    counted = is_open & costed & (purchased | leaf)
    no_origin = frame["origin"].is_null().to_numpy()
    checks = [
        (is_open & costed & ~purchased & ~leaf, "unit_cost",
         "this assembly is made in-house, so its cost is the cost of its listed parts and this unit cost would "
         "not be counted: remove it, or mark the assembly purchased if it is bought whole"),
        (is_open & purchased & ~costed, "unit_cost", "a purchased item needs its unit cost"),
    ]
    if unknown_origin == "refuse":
        checks.append((counted & no_origin, "origin",
                       "a counted item needs its origin (ISO 3166-1 alpha-2 code of the place of manufacture)"))
    if any(mask.any() for mask, _, _ in checks):
        flagged = frame.with_columns(*[pl.Series(f"_m{i}", mask) for i, (mask, _, _) in enumerate(checks)])
        raise InputError(collect_problems(
            flagged, [(pl.col(f"_m{i}"), fld, msg) for i, (_, fld, msg) in enumerate(checks)],
            aliases={"unit_cost": bom.cost_label},
        ))

    amounts = _exact_amounts(bom, graph, root, walk, counted, default_currency)
    ids = frame["id"]
    uncosted = np.flatnonzero(is_open & ~purchased & leaf & ~costed)
    uncosted = uncosted[uncosted != root]
    not_counted = np.flatnonzero(~is_open & costed)
    unknown = np.flatnonzero(counted & no_origin)
    currencies = frame.select(pl.col("currency").fill_null(default_currency), pl.col("line")).unique(
        "currency", keep="first", maintain_order=True)
    uses = np.bincount(graph.part_of_row, minlength=graph.parts)
    return Rollup(
        amounts=amounts,
        items=n,
        depth=int(walk.depth.max(initial=0)),
        purchased_counted=int(counted.sum()),
        in_house_counted=int((counted & ~purchased).sum()),
        ignored_under_purchased=int((~is_open).sum()),
        end_product=str(ids[root]),
        uncosted_leaves=tuple(ids.gather(uncosted[:MAX_WARNINGS_LISTED]).to_list()),
        uncosted_leaf_count=int(uncosted.size),
        not_counted=tuple(ids.gather(not_counted[:MAX_WARNINGS_LISTED]).to_list()),
        not_counted_count=int(not_counted.size),
        unknown_origin_count=int(unknown.size),
        unknown_origin_items=tuple(ids.gather(unknown[:MAX_WARNINGS_LISTED]).to_list()),
        currency_lines=dict(currencies.iter_rows()),
        shared_parts=int((uses > 1).sum()),
    )


def _exact_amounts(bom: Bom, graph: Graph, root: int, walk: Walk, counted: np.ndarray,
                   default_currency: str) -> dict[tuple[str | None, str], Fraction]:
    frame = bom.frame
    rows = np.flatnonzero(counted)
    scale = 10**bom.cost_scale
    if rows.size == 0:
        return {}
    use = walk.use[rows]
    cost = frame["cost_units"].to_numpy()[rows]  # no nulls: counted lines have a cost
    whole = bool(np.all(np.isfinite(use)) and np.all(use == np.floor(use)) and use.max(initial=0) < EXACT_FLOAT)
    quantity = frame["quantity"].to_numpy()
    if whole:
        whole = bool(np.all(quantity == np.floor(quantity)))  # every multiplier a whole number as well
    if whole and float(use.max(initial=0)) * float(cost.max(initial=0)) < INT64_SAFE \
            and float(np.dot(use, cost.astype(np.float64))) < INT64_SAFE:
        line_cost = use.astype(np.int64) * cost
        sums = (
            pl.DataFrame({"origin": frame["origin"].gather(rows),
                          "currency": frame["currency"].gather(rows).fill_null(default_currency),
                          "cost": line_cost})
            .group_by("origin", "currency").agg(pl.col("cost").sum())
        )
        return {(o, c): Fraction(int(v), scale) for o, c, v in sums.iter_rows()}
    # Fractional quantities or very large products: the same walk on exact fractions.
    exact_quantity = np.array([Fraction(Decimal(repr(float(q)))) for q in quantity], dtype=object)
    exact_walk = _walk(graph, root, exact_quantity, frame["purchased"].to_numpy())
    origins = frame["origin"].gather(rows).to_list()
    currencies = frame["currency"].gather(rows).fill_null(default_currency).to_list()
    out: dict[tuple[str | None, str], Fraction] = {}
    for r, o, c, units in zip(rows.tolist(), origins, currencies, cost.tolist()):
        out[(o, c)] = out.get((o, c), Fraction(0)) + exact_walk.use[r] * Fraction(int(units), scale)
    return out


def _cycle_problems(bom: Bom, graph: Graph, unresolved: np.ndarray) -> list[Problem]:
    """Name the parts on each cycle (error path only: walks the few unresolved lines)."""
    ids = bom.frame["id"]
    lines = bom.frame["line"]
    first_row: dict[int, int] = {}
    up: dict[int, int] = {}
    for row in unresolved.tolist():
        part = int(graph.part_of_row[row])
        parent = int(graph.parent_part[row])
        first_row.setdefault(part, row)
        if parent >= 0 and (part not in up):
            up[part] = parent
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    problems: list[Problem] = []
    for start in unresolved.tolist():
        node = int(graph.part_of_row[start])
        if node in state or len(problems) >= MAX_CYCLES_REPORTED:
            continue
        walk: list[int] = []
        while node >= 0 and node not in state and node in up:
            state[node] = 1
            walk.append(node)
            node = up[node]
        if node >= 0 and state.get(node) == 1:
            cycle = walk[walk.index(node):]
            path = " → ".join(str(ids[first_row.get(p, 0)]) for p in cycle + [cycle[0]])
            first = first_row[cycle[0]]
            problems.append(Problem(
                f"the items form a cycle ({path}): an item cannot be part of itself",
                item=str(ids[first]), **where(lines[first], first, "parent"),
            ))
        for visited in walk:
            state[visited] = 2
    return problems
