"""Vectorised BOM rollup: component cost of the end product, by origin.

No recursion and no Python loop over items. Parent ids become row indices
(``idmap``: numpy hash tables on polars' string hashes, confirmed by
comparing the strings; an exact polars join when in doubt). Layers of leaves
are set aside (a leaf's path is its parent's plus one edge), and *pointer
jumping* in numpy solves the remaining assemblies: every item keeps a pointer
to an ancestor and the product of quantities up to it, and each round replaces
the pointer by the ancestor's pointer, so the pointer distance doubles (a tree
of depth d takes ceil(log2 d) rounds, whatever its shape). In the same rounds
each item learns whether a strict ancestor is purchased (then it is inside a
part bought as a whole, and is not counted). The items of each layer then
take their parents' figures, one whole-array step per layer. Items still pointing at an
ancestor after log2(n)+1 rounds cannot reach the end product: they are on, or
under, a cycle.

    component cost = sum over counted purchased items of
                     (product of quantities from the item up to the end product) x unit cost
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .bom import MAX_PROBLEMS_PER_KIND, NO_ORIGIN, ORIGIN_CODE_SPACE, Bom, collect_problems, origin_from_code, where
from .idmap import map_parents

MAX_CYCLES_REPORTED = 5
MAX_WARNINGS_LISTED = 10


@dataclass(frozen=True)
class Rollup:
    component_cost_eur: float
    cost_by_origin: dict[str, float]
    items: int
    depth: int  # edges from the end product to the deepest item
    purchased_counted: int
    ignored_under_purchased: int  # items inside a part bought as a whole
    end_product: str
    uncosted_leaves: tuple[str, ...] = field(default=())  # first few made items with no parts
    uncosted_leaf_count: int = 0

    def summary(self) -> dict[str, object]:
        return {
            "items": self.items,
            "depth": self.depth,
            "end_product": self.end_product,
            "purchased_counted": self.purchased_counted,
            "ignored_under_purchased": self.ignored_under_purchased,
            "uncosted_leaf_count": self.uncosted_leaf_count,
        }

    def warnings(self) -> list[str]:
        notes = []
        if self.uncosted_leaf_count:
            shown = ", ".join(self.uncosted_leaves)
            more = self.uncosted_leaf_count - len(self.uncosted_leaves)
            notes.append(
                f"{self.uncosted_leaf_count:,} item(s) are neither purchased nor made of listed parts, "
                f"so they add no component cost: {shown}" + (f" and {more:,} more" if more > 0 else "")
            )
        if self.ignored_under_purchased:
            notes.append(
                f"{self.ignored_under_purchased:,} item(s) belong to parts bought as a whole; "
                "their own cost and origin are ignored"
            )
        return notes


def parent_indices(bom: Bom) -> np.ndarray:
    """Index of each item's parent (-1 for the end product); raises on duplicate or unknown ids."""
    mapped = map_parents(bom.frame["id"], bom.frame["parent"])
    if mapped is None:  # duplicate ids, unknown parents, or a hash collision
        return _parent_indices_exact(bom)
    return mapped


def _parent_indices_exact(bom: Bom) -> np.ndarray:
    """The plain hash join on the strings; also names duplicate ids and unknown parents."""
    frame = bom.frame
    duplicated = frame["id"].is_duplicated()
    if duplicated.any():
        problems = collect_problems(
            frame, [(pl.col("id").is_duplicated(), "id", "this id is used by more than one item")]
        )
        raise InputError(problems)
    positions = pl.int_range(frame.height, eager=True, dtype=pl.Int64)
    mapped = frame["parent"].replace_strict(frame["id"], positions, default=None, return_dtype=pl.Int64)
    unknown = frame["parent"].is_not_null() & mapped.is_null()
    if unknown.any():
        problems = collect_problems(
            frame.with_columns(unknown.alias("_unknown")),
            [(pl.col("_unknown"), "parent", "the parent is not the id of any item in the BOM")],
            value_columns=True,
        )
        raise InputError(problems)
    return mapped.fill_null(-1).to_numpy().astype(np.int64, copy=False)


def structure_problems(bom: Bom) -> list[Problem]:
    """Duplicate ids, unknown parents, end products and cycles: what can be checked from the
    ids and parents alone (used when some values could not be read)."""
    frame = bom.frame
    if frame.height == 0 or frame["id"].null_count():
        return []
    try:
        parent = parent_indices(bom)
    except InputError as exc:
        return exc.problems
    n = parent.size
    roots = np.flatnonzero(parent < 0)
    problems = [] if roots.size == 1 else [Problem(
        f"a BOM describes one end product, the only item whose parent is empty; found {roots.size:,}",
        field=f"{bom.source}.parent" if bom.source == "bom" else "parent")]
    *_, unresolved = _resolve_paths(parent, np.ones(n), np.zeros(n, dtype=bool), _has_child(parent))
    if unresolved.size:
        problems.extend(_cycle_problems(bom, parent, unresolved))
    return problems


def roll_up(bom: Bom) -> Rollup:
    frame = bom.frame
    n = frame.height
    if n == 0:
        raise InputError("the BOM has no items", field=bom.source)
    index_type = np.int32 if n < 2**31 else np.int64  # narrower indices: less memory traffic
    parent = parent_indices(bom).astype(index_type, copy=False)
    quantity = frame["quantity"].to_numpy()
    purchased = frame["purchased"].to_numpy()

    roots = np.flatnonzero(parent < 0)
    problems: list[Problem] = []
    if roots.size != 1:
        ids = frame["id"]
        names = ", ".join(repr(ids[int(i)]) for i in roots[:MAX_PROBLEMS_PER_KIND])
        problems.append(
            Problem(
                "a BOM describes one end product, the only item whose parent is empty; "
                + (f"found {roots.size:,}: {names}" if roots.size else "found none"),
                field=f"{bom.source}.parent" if bom.source == "bom" else "parent",
            )
        )

    has_child = _has_child(parent)
    multiplier, ancestor_purchased, depth, unresolved = _resolve_paths(parent, quantity, purchased, has_child)
    if unresolved.size:
        problems.extend(_cycle_problems(bom, parent, unresolved))
    if problems:
        raise InputError(problems)

    counted = purchased & ~ancestor_purchased
    # NaN where empty; filling in polars first is several times faster than to_numpy's own
    unit_cost = frame["unit_cost_eur"].fill_null(np.nan).to_numpy()
    origin = bom.origin_codes
    if (counted & (np.isnan(unit_cost) | (origin == NO_ORIGIN))).any():
        raise InputError(collect_problems(
            frame.with_columns(pl.Series("_counted", counted)),
            [
                (pl.col("_counted") & pl.col("unit_cost_eur").is_null(), "unit_cost_eur",
                 "a purchased item needs unit_cost_eur"),
                (pl.col("_counted") & pl.col("origin").is_null(), "origin",
                 "a purchased item needs its origin (ISO 3166-1 alpha-2 country code)"),
            ],
        ))

    counted_index = np.flatnonzero(counted)
    line_cost = multiplier[counted_index] * unit_cost[counted_index]
    per_code = np.bincount(origin[counted_index], weights=line_cost, minlength=ORIGIN_CODE_SPACE)
    used = np.bincount(origin[counted_index], minlength=ORIGIN_CODE_SPACE) > 0
    cost_by_origin = {origin_from_code(code): float(per_code[code]) for code in np.flatnonzero(used)}
    total = float(line_cost.sum())
    if not math.isfinite(total):
        raise InputError("the component cost is too large to compute; check quantities and unit costs",
                         field=bom.source)

    uncosted = np.flatnonzero(~purchased & ~ancestor_purchased & ~has_child)
    return Rollup(
        component_cost_eur=total,
        cost_by_origin=dict(sorted(cost_by_origin.items())),
        items=n,
        depth=int(depth.max(initial=0)),
        purchased_counted=int(counted_index.size),
        ignored_under_purchased=int(ancestor_purchased.sum()),
        end_product=str(frame["id"][int(roots[0])]),
        uncosted_leaves=tuple(frame["id"].gather(uncosted[:MAX_WARNINGS_LISTED]).to_list()),
        uncosted_leaf_count=int(uncosted.size),
    )


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


def _fill_from_parents(up, roots, quantity, assemblies, a_purchased,
                       a_multiplier, a_purchased_above, a_depth, a_unresolved):
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


def _cycle_problems(bom: Bom, parent: np.ndarray, unresolved: np.ndarray) -> list[Problem]:
    """Name the items on each cycle (error path only: walks the few unresolved items)."""
    ids = bom.frame["id"]
    lines = bom.frame["line"]
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    problems: list[Problem] = []
    for start in unresolved.tolist():
        if start in state or len(problems) >= MAX_CYCLES_REPORTED:
            continue
        walk: list[int] = []
        node = start
        while node >= 0 and node not in state:
            state[node] = 1
            walk.append(node)
            node = int(parent[node])
        if node >= 0 and state.get(node) == 1:
            cycle = walk[walk.index(node):]
            path = " → ".join(str(ids[i]) for i in cycle + [cycle[0]])
            first = cycle[0]
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
