"""Vectorised BOM rollup: component cost of the end product, by origin.

No recursion and no Python loop over items. Parents become integer indices
(a hash join in polars); then *pointer jumping* in numpy: every item keeps a
pointer to an ancestor and the product of quantities up to it, and each round
replaces the pointer by the ancestor's pointer, so the pointer distance doubles
(a tree of depth d takes ceil(log2 d) rounds, whatever its shape). In the same
rounds each item learns whether a strict ancestor is purchased (then the item
is inside a part bought as a whole, and is not counted). Items still pointing
at an ancestor after log2(n)+1 rounds cannot reach the end product: they are
on, or under, a cycle.

    component cost = sum over counted purchased items of
                     (product of quantities from the item up to the end product) x unit cost
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .bom import MAX_PROBLEMS_PER_KIND, Bom, collect_problems, where

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


def roll_up(bom: Bom) -> Rollup:
    frame = bom.frame
    n = frame.height
    if n == 0:
        raise InputError("the BOM has no items", field=bom.source)
    parent = parent_indices(bom)
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

    pointer = parent.copy()
    multiplier = quantity.astype(np.float64, copy=True)  # product of quantities on [item, pointer)
    has_parent = pointer >= 0
    ancestor_purchased = np.zeros(n, dtype=bool)  # any purchased item on (item, pointer]
    ancestor_purchased[has_parent] = purchased[pointer[has_parent]]
    depth = has_parent.astype(np.int64)
    active = np.flatnonzero(has_parent)
    rounds = math.ceil(math.log2(max(n, 2))) + 1
    with np.errstate(over="ignore", invalid="ignore"):  # cycles may overflow before they are caught
        for _ in range(rounds):
            if active.size == 0:
                break
            up = pointer[active]
            multiplier[active] *= multiplier[up]
            ancestor_purchased[active] |= ancestor_purchased[up]
            depth[active] += depth[up]
            pointer[active] = pointer[up]
            active = active[pointer[active] >= 0]
    if active.size:
        problems.extend(_cycle_problems(bom, parent, active))
    if problems:
        raise InputError(problems)

    counted = purchased & ~ancestor_purchased
    missing = collect_problems(
        frame.with_columns(pl.Series("_counted", counted)),
        [
            (pl.col("_counted") & pl.col("unit_cost_eur").is_null(), "unit_cost_eur",
             "a purchased item needs unit_cost_eur"),
            (pl.col("_counted") & pl.col("origin").is_null(), "origin",
             "a purchased item needs its origin (ISO 3166-1 alpha-2 country code)"),
        ],
    )
    if missing:
        raise InputError(missing)

    counted_index = np.flatnonzero(counted)
    unit_cost = frame["unit_cost_eur"].to_numpy()
    line_cost = multiplier[counted_index] * unit_cost[counted_index]
    by_origin = (
        pl.DataFrame({"origin": frame["origin"].gather(counted_index), "cost": line_cost})
        .group_by("origin")
        .agg(pl.col("cost").sum())
        .sort("origin")
    )
    cost_by_origin = dict(zip(by_origin["origin"].to_list(), by_origin["cost"].to_list()))
    total = float(line_cost.sum())
    if not math.isfinite(total):
        raise InputError("the component cost is too large to compute; check quantities and unit costs",
                         field=bom.source)

    has_child = np.zeros(n, dtype=bool)
    has_child[parent[parent >= 0]] = True
    uncosted = np.flatnonzero(~purchased & ~ancestor_purchased & ~has_child)
    return Rollup(
        component_cost_eur=total,
        cost_by_origin=cost_by_origin,
        items=n,
        depth=int(depth.max()),
        purchased_counted=int(counted_index.size),
        ignored_under_purchased=int(ancestor_purchased.sum()),
        end_product=str(frame["id"][int(roots[0])]),
        uncosted_leaves=tuple(frame["id"].gather(uncosted[:MAX_WARNINGS_LISTED]).to_list()),
        uncosted_leaf_count=int(uncosted.size),
    )


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
