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

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .bom import (
    MAX_PROBLEMS_PER_KIND,
    NO_ORIGIN,
    ORIGIN_CODE_SPACE,
    Bom,
    collect_problems,
    origin_from_code,
    where,
)
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
    if mapped is not None:  # int32 rows: half the memory of int64, and what the tree walk uses
        return Graph(np.arange(n, dtype=np.int32), mapped, n, True)
    if not frame["id"].is_duplicated().any():
        return Graph(np.arange(n), _parent_indices_exact(bom), n, True)
    pair_duplicated = frame.select(pl.struct("id", "parent").is_duplicated()).to_series()
    if pair_duplicated.any():
        raise InputError(
            collect_problems(
                frame.with_columns(pair_duplicated.alias("_dup")),
                [
                    (
                        pl.col("_dup"),
                        "id",
                        (
                            "this part is listed twice under the same parent; give it once, with the "
                            "total quantity (a part used under several parents is fine)"
                        ),
                    )
                ],
            )
        )
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


# -- trees: pointer jumping (log-depth rounds, a chain thousands deep is cheap) ---------------------
# In a tree each part has one line: an item's path is its parent's path plus one edge.


def _walk_tree(graph: Graph, quantity: np.ndarray, purchased: np.ndarray) -> Walk:
    parent = graph.parent_part.astype(np.int32 if graph.parts < 2**31 else np.int64, copy=False)
    multiplier, ancestor_purchased, depth, unresolved = _resolve_paths(parent, quantity, purchased, _has_child(parent))
    depth[unresolved] = -1  # int32: a depth never comes near 2**31
    return Walk(use=multiplier, open_above=~ancestor_purchased, depth=depth, reached_all=unresolved.size == 0)


SMALL_ENOUGH_TO_JUMP = 50_000  # below this many items, pointer jumping directly is cheapest
MAX_PEELS = 2


def _has_child(parent: np.ndarray) -> np.ndarray:
    """Whether each item has parts listed: some item names it as its parent."""
    has_child = np.zeros(parent.size, dtype=bool)
    if parent.size == 0:
        return has_child
    # Marking every parent at once, the end product's parent (-1) marks the last item;
    # set that one right afterwards (cheaper than first dropping the -1 from a million).
    has_child[parent] = True
    last = parent.size - 1
    has_child[last] = bool((parent == last).any())
    return has_child


def _resolve_paths(
    parent: np.ndarray, quantity: np.ndarray, purchased: np.ndarray, has_child: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each item's quantity product, purchased-ancestor flag and depth, and the items on
    or under a cycle.

    Leaves (items with no parts listed) are usually most of a BOM, and an item's path is
    its parent's path plus one edge, its parent always being an assembly. So the
    assemblies are set aside as a smaller BOM of their own; that is peeled the same way
    (at most ``MAX_PEELS`` times), pointer jumping solves what remains, and then every
    item of each layer takes its parent's figures in one step, innermost layer first.
    """
    layers = []  # (up, roots, quantity, assemblies, purchased assemblies) of each peel
    for _ in range(MAX_PEELS):
        if parent.size < SMALL_ENOUGH_TO_JUMP:
            break
        assemblies, up, roots = _peel(parent, has_child)
        quantity_all, quantity, purchased = quantity, quantity[assemblies], purchased[assemblies]
        layers.append((up, roots, quantity_all, assemblies, purchased))
        parent = up[assemblies]
        has_child = _has_child(parent)

    figures = _jump_to_end_product(parent, quantity, purchased)
    for layer in reversed(layers):
        figures = _fill_from_parents(*layer, *figures)
    return figures


def _peel(parent: np.ndarray, has_child: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The assemblies' rows, each item's parent as a position among the assemblies (``up``,
    -1 for none), and the items with no parent (end products)."""
    assemblies = np.flatnonzero(has_child)
    # Only assemblies' entries are ever read (every parent is an assembly), except that an
    # end product's -1 reads the last one: that is overwritten just below. numpy's own
    # index type (intp): ``up`` indexes three arrays, and narrower indices are converted each time.
    compact = np.empty(parent.size, dtype=np.intp)
    compact[assemblies] = np.arange(assemblies.size)
    up = compact[parent]
    roots = np.flatnonzero(parent < 0)
    up[roots] = -1
    return assemblies, up, roots


def _fill_from_parents(
    up, roots, quantity, assemblies, a_purchased, a_multiplier, a_purchased_above, a_depth, a_unresolved
):
    """Spread the assemblies' figures back to every item: each from its parent, one gather
    per figure over all items (no split into leaves and assemblies: fewer passes)."""
    cut_below = a_purchased_above | a_purchased  # an item under this assembly is cut off
    with np.errstate(over="ignore", invalid="ignore"):  # cycles may overflow; they are reported instead
        multiplier = quantity * a_multiplier[up]
    # The assemblies keep the products pointer jumping computed for them: the rounding
    # then does not depend on which layer an item was solved in.
    multiplier[assemblies] = a_multiplier
    ancestor_purchased = cut_below[up]
    depth = a_depth[up] + 1
    # An end product's up is -1, which read the last assembly's figures: set its own.
    multiplier[roots] = quantity[roots]
    ancestor_purchased[roots] = False
    depth[roots] = 0
    return multiplier, ancestor_purchased, depth, assemblies[a_unresolved]


def _jump_to_end_product(
    parent: np.ndarray, quantity: np.ndarray, purchased: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pointer jumping: for every item, the product of quantities from it up to the end
    product, whether a strict ancestor is purchased, and its depth.

    Invariants for each item i with pointer p: ``multiplier[i]`` is the product of
    quantities on [i, p), ``ancestor_purchased[i]`` tells whether an item on (i, p] is
    purchased, ``depth[i]`` counts the edges from i to p. Every round doubles the pointer
    distance, so ceil(log2(n)) + 1 rounds reach the end product from anywhere in a tree;
    items still unresolved then are on, or under, a cycle (returned last).
    """
    n = parent.size
    pointer = parent.copy()
    multiplier = quantity.astype(np.float64, copy=True)
    has_parent = pointer >= 0
    ancestor_purchased = np.zeros(n, dtype=bool)
    ancestor_purchased[has_parent] = purchased[pointer[has_parent]]
    depth = has_parent.astype(np.int32)
    active = np.flatnonzero(has_parent).astype(parent.dtype)
    rounds = math.ceil(math.log2(max(n, 2))) + 1
    with np.errstate(over="ignore", invalid="ignore"):  # cycles may overflow before they are caught
        for _ in range(rounds):
            if active.size == 0:
                break
            up = pointer[active]
            multiplier[active] *= multiplier[up]
            ancestor_purchased[active] |= ancestor_purchased[up]
            depth[active] += depth[up]
            up_pointer = pointer[up]
            pointer[active] = up_pointer
            active = active[up_pointer >= 0]
    return multiplier, ancestor_purchased, depth, active


def _roots(bom: Bom, graph: Graph) -> tuple[np.ndarray, list[Problem]]:
    roots = np.flatnonzero(graph.parent_part < 0)
    problems: list[Problem] = []
    if roots.size != 1:
        ids = bom.frame["id"]
        names = ", ".join(repr(ids[int(i)]) for i in roots[:MAX_PROBLEMS_PER_KIND])
        problems.append(
            Problem(
                "a BOM describes one end product, the only item whose parent is empty; "
                + (f"found {roots.size:,}: {names}" if roots.size else "found none"),
                field=f"{bom.source}.parent" if bom.source == "bom" else "parent",
            )
        )
    elif not graph.tree and (graph.part_of_row == graph.part_of_row[roots[0]]).sum() > 1:
        first = int(np.flatnonzero((graph.part_of_row == graph.part_of_row[roots[0]]) & (graph.parent_part >= 0))[0])
        problems.append(
            Problem(
                "the end product is also listed as a part of another item",
                item=str(bom.frame["id"][first]),
                **where(bom.frame["line"][first], first, "parent"),
            )
        )
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
    ones, none = np.ones(n), np.zeros(n, dtype=bool)
    walk = _walk_tree(graph, ones, none) if graph.tree else _walk(graph, int(roots[0]), ones, none)
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
    walk = _walk_tree(graph, quantity, purchased) if graph.tree else _walk(graph, root, quantity, purchased)
    if not walk.reached_all:
        raise InputError(_cycle_problems(bom, graph, np.flatnonzero(walk.depth < 0)))

    if graph.tree:  # one line per part: no gathers through part_of_row (the identity)
        leaf = ~_has_child(graph.parent_part)
    else:
        has_child = np.zeros(graph.parts, dtype=bool)
        has_child[graph.parent_part[graph.parent_part >= 0]] = True
        leaf = ~has_child[graph.part_of_row]
    costed = frame["cost_units"].is_not_null().to_numpy()
    is_open = walk.open_above
    counted = is_open & costed & (purchased | leaf)
    no_origin = frame["origin"].is_null().to_numpy()
    checks = [
        (
            is_open & costed & ~purchased & ~leaf,
            "unit_cost",
            (
                "this assembly is made in-house, so its cost is the cost of its listed parts and this unit cost would "
                "not be counted: remove it, or mark the assembly purchased if it is bought whole"
            ),
        ),
        (is_open & purchased & ~costed, "unit_cost", "a purchased item needs its unit cost"),
    ]
    if unknown_origin == "refuse":
        checks.append(
            (
                counted & no_origin,
                "origin",
                "a counted item needs its origin (ISO 3166-1 alpha-2 code of the place of manufacture)",
            )
        )
    if any(mask.any() for mask, _, _ in checks):
        flagged = frame.with_columns(*[pl.Series(f"_m{i}", mask) for i, (mask, _, _) in enumerate(checks)])
        raise InputError(
            collect_problems(
                flagged,
                [(pl.col(f"_m{i}"), fld, msg) for i, (_, fld, msg) in enumerate(checks)],
                aliases={"unit_cost": bom.cost_label},
            )
        )

    amounts = _exact_amounts(bom, graph, root, walk, counted, default_currency)
    ids = frame["id"]
    uncosted = np.flatnonzero(is_open & ~purchased & leaf & ~costed)
    uncosted = uncosted[uncosted != root]
    not_counted = np.flatnonzero(~is_open & costed)
    unknown = np.flatnonzero(counted & no_origin)
    if frame["currency"].null_count() == n:
        currency_lines = {default_currency: frame["line"][0]}
    else:
        currency_lines = dict(
            frame.select(pl.col("currency").fill_null(default_currency), pl.col("line"))
            .unique("currency", keep="first", maintain_order=True)
            .iter_rows()
        )
    shared = 0 if graph.tree else int((np.bincount(graph.part_of_row, minlength=graph.parts) > 1).sum())
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
        currency_lines=currency_lines,
        shared_parts=shared,
    )


def _exact_amounts(
    bom: Bom, graph: Graph, root: int, walk: Walk, counted: np.ndarray, default_currency: str
) -> dict[tuple[str | None, str], Fraction]:
    frame = bom.frame
    rows = np.flatnonzero(counted)
    if rows.size == 0:
        return {}
    sums = _whole_sums(frame, walk.use, rows, default_currency, bom.origin_codes)
    if sums is not None:
        names, totals, used = sums
        out = {}
        for key in np.flatnonzero(used).tolist():  # every bucket with a counted line, even at zero
            code = key % ORIGIN_CODE_SPACE
            origin = None if code == NO_ORIGIN else origin_from_code(code)
            out[(origin, names[key // ORIGIN_CODE_SPACE])] = Fraction(int(totals[key]), 10**bom.cost_scale)
        return out
    # Fractional quantities or very large products: the same walk on exact fractions.
    quantity = frame["quantity"].to_numpy()
    cost = frame["cost_units"].gather(rows).to_numpy()  # int64: counted lines all have a cost
    exact_quantity = np.array([Fraction(Decimal(repr(float(q)))) for q in quantity], dtype=object)
    exact_walk = _walk(graph, root, exact_quantity, frame["purchased"].to_numpy())
    origins = frame["origin"].gather(rows).to_list()
    currencies = frame["currency"].gather(rows).fill_null(default_currency).to_list()
    scale = 10**bom.cost_scale
    out: dict[tuple[str | None, str], Fraction] = {}
    for r, o, c, units in zip(rows.tolist(), origins, currencies, cost.tolist(), strict=False):
        out[(o, c)] = out.get((o, c), Fraction(0)) + exact_walk.use[r] * Fraction(int(units), scale)
    return out


CHUNK_ROWS = 1 << 16  # lines summed per step: the temporary arrays stay a few MB whatever the BOM's size


def _whole_sums(
    frame: pl.DataFrame, use: np.ndarray, rows: np.ndarray, default_currency: str, origin_codes: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """Exact integer sums of (units per end product) x (cost units) per (currency, origin)
    bucket, when every quantity is whole and every figure fits int64; else None.

    With whole quantities the multipliers are exact integers in float64 below 2**53. The
    lines are taken a chunk at a time, so the temporaries stay small (peak memory)."""
    quantity = frame["quantity"].to_numpy()
    for start in range(0, quantity.size, CHUNK_ROWS):
        part = quantity[start : start + CHUNK_ROWS]
        if not np.array_equal(part, np.floor(part)):
            return None  # a fractional quantity: the exact path
    currency = frame["currency"]
    if currency.null_count() == currency.len():
        names, currency_index = [default_currency], None
    else:
        filled = currency.fill_null(default_currency)
        names = filled.unique(maintain_order=True).to_list()
        # a small index per line (UInt16: ISO 4217 has fewer codes), not a string per line
        currency_index = filled.replace_strict(
            names, pl.int_range(len(names), eager=True), return_dtype=pl.UInt16
        ).to_numpy()
    cost_units = frame["cost_units"]
    totals = np.zeros(len(names) * ORIGIN_CODE_SPACE, dtype=np.int64)
    used = np.zeros(totals.size, dtype=bool)
    largest = product_sum = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, rows.size, CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            line_use = use[chunk]
            if not (np.isfinite(line_use).all() and np.array_equal(line_use, np.floor(line_use))):
                return None
            top = float(line_use.max(initial=0))
            if top >= EXACT_FLOAT:
                return None
            cost = cost_units.gather(chunk).to_numpy()  # int64: counted lines all have a cost
            largest = max(largest, top * float(cost.max(initial=0)))
            product_sum += float(np.dot(line_use, cost.astype(np.float64)))
            if largest >= INT64_SAFE or product_sum >= INT64_SAFE:
                return None
            # Sum per (currency, origin) in int64: the origin's two letters are a 16-bit code, the
            # currency a small index, together one bucket number (no string group-by).
            bucket = origin_codes[chunk].astype(np.int64)
            if currency_index is not None:
                bucket += currency_index[chunk].astype(np.int64) * ORIGIN_CODE_SPACE
            used[bucket] = True
            totals += _exact_bincount(bucket, line_use.astype(np.int64) * cost, totals.size)
    return names, totals, used


SLICE_BITS = 21  # 21-bit slices of a cost: a million of them sum below 2**41, exact in float64


def _exact_bincount(bucket: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sums per bucket, exactly: ``np.bincount`` sums in floating point, so the
    (non-negative, below 2**63) values are summed in three 21-bit slices, each exact."""
    if values.size >= 1 << (52 - SLICE_BITS):  # more lines than the slices allow: the slow exact way
        sums = np.zeros(size, dtype=np.int64)
        np.add.at(sums, bucket, values)
        return sums
    mask = (1 << SLICE_BITS) - 1
    sums = np.zeros(size, dtype=np.int64)
    for shift in (0, SLICE_BITS, 2 * SLICE_BITS):
        part = np.bincount(bucket, weights=((values >> shift) & mask).astype(np.float64), minlength=size)
        sums += part.astype(np.int64) << shift
    return sums


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
            cycle = walk[walk.index(node) :]
            path = " → ".join(str(ids[first_row.get(p, 0)]) for p in cycle + [cycle[0]])
            first = first_row[cycle[0]]
            problems.append(
                Problem(
                    f"the items form a cycle ({path}): an item cannot be part of itself",
                    item=str(ids[first]),
                    **where(lines[first], first, "parent"),
                )
            )
        for visited in walk:
            state[visited] = 2
    return problems
