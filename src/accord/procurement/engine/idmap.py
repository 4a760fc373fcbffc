"""Map each item's parent id to the parent's row: vectorised hash tables in numpy.

Item ids are strings. polars hashes them to 64 bits in one call; numpy then puts
every item's row into a hash table at once: each item writes its slot and one
writer wins each slot. The losers (about a fifth) go into a second, smaller table
with a different slot function, and so on until every item has a slot: a few
levels, each a handful of whole-array steps, with no Python loop over items.
Looking a parent up asks the levels in turn, each level only the parents not
found yet.

Random reads from memory, not arithmetic, are what this costs, so the tables are
small enough to stay in the processor's cache: int32 rows, at most half full
(8 MB for a million items), and a probe checks a 32-bit fingerprint of the hash
(4 MB) rather than the string.

The answer is always exact: two items with the same 64-bit hash (a duplicate id
or, very rarely, a true collision) or a parent in no table make ``map_parents``
return None, and the caller uses the plain string join instead, which also names
the items at fault. The parents found are finally confirmed by comparing the
strings themselves, so a fingerprint matching by chance can only send the case
to that slower join, never give a wrong parent.
"""

from __future__ import annotations

import numpy as np
import polars as pl

HASH_SEED = 20250529  # any fixed seed: results never depend on it
EMPTY = -1
MAX_LOAD = 0.5  # items per slot: fewer collisions, and still small enough to stay cached
# Odd 64-bit multipliers (from SplitMix64 and the golden ratio): level k's slot is the top
# bits of hash * MULTIPLIERS[k], so the items colliding at one level spread out at the next.
MULTIPLIERS = tuple(
    np.uint64(m)
    for m in (
        0x9E3779B97F4A7C15,
        0xBF58476D1CE4E5B9,
        0x94D049BB133111EB,
        0xD6E8FEB86659FD93,
        0xA0761D6478BD642F,
        0xE7037ED1A0B428DB,
        0x8EBC6AF09C88C6E3,
        0x589965CC75374CC3,
    )
)
MAX_LEVELS = 64  # each level keeps about a fifth of the items: a million need about 8
FINGERPRINT_SHIFT = np.uint64(32)
CONFIRM_ROWS = 1 << 16  # parents confirmed per step


def map_parents(ids: pl.Series, parents: pl.Series) -> np.ndarray | None:
    """Row (int32) of each item's parent, -1 for none; None when only the exact join can decide."""
    n = ids.len()
    if n >= 2**31 - 1:  # rows are stored as int32
        return None
    id_hash = ids.hash(seed=HASH_SEED).to_numpy()
    levels = _build_levels(id_hash)
    if levels is None:
        return None
    # An item with no parent (the end product) looks up its own id instead: then every
    # row asks for an id that must be there, and no array needs the parentless rows removed.
    no_parent = np.flatnonzero(parents.is_null().to_numpy())
    wanted = parents.hash(seed=HASH_SEED).to_numpy(writable=True)
    wanted[no_parent] = id_hash[no_parent]
    fingerprint = _fingerprint(id_hash)
    del id_hash  # 8 MB a million items: free before the look-up's own arrays
    found = _look_up(levels, fingerprint, wanted)
    if found is None:
        return None
    # Confirm with the strings themselves, a slice at a time (the gathered ids of a million
    # items would be 16 MB more at the peak). The end product's parent is null, so that
    # comparison is null and skipped: its pointing at itself is only for this.
    for start in range(0, n, CONFIRM_ROWS):
        gathered = ids.gather(found[start : start + CONFIRM_ROWS])
        if not (gathered == parents.slice(start, CONFIRM_ROWS)).all(ignore_nulls=True):
            return None  # a parent matched another id's fingerprint by chance
    found[no_parent] = -1
    return found


def _fingerprint(hashes: np.ndarray) -> np.ndarray:
    """The hash's high 32 bits: the slot comes from all 64 bits mixed, so they still tell
    apart almost all items meeting in one slot, from an array half the size."""
    return (hashes >> FINGERPRINT_SHIFT).astype(np.uint32)


def _slots(hashes: np.ndarray, level: int, bits: int) -> np.ndarray:
    """Multiplicative hashing: the top ``bits`` bits of the product (int64, numpy's index type)."""
    mixed = hashes * MULTIPLIERS[level % len(MULTIPLIERS)]  # wraps around modulo 2**64, as intended
    return (mixed >> np.uint64(64 - bits)).view(np.int64)  # below 2**63: the same numbers, no copy


def _build_levels(id_hash: np.ndarray) -> list[np.ndarray] | None:
    """Tables of rows (EMPTY where free), level by level; None when two items have the same
    64-bit hash (they always meet: the same hash gives the same slot at every level)."""
    levels = []
    rows = np.arange(id_hash.size, dtype=np.int32)
    hashes = id_hash
    while rows.size:
        if len(levels) == MAX_LEVELS:
            return None  # cannot happen with distinct hashes; a safe way out all the same
        bits = max(4, int(np.ceil(np.log2(rows.size / MAX_LOAD))))
        slot = _slots(hashes, len(levels), bits)
        table = np.full(1 << bits, EMPTY, dtype=np.int32)
        table[slot] = rows  # one writer wins each slot
        winner = table[slot]
        lost = np.flatnonzero(winner != rows)
        hashes = hashes[lost]
        if (id_hash[winner[lost]] == hashes).any():
            return None  # a duplicate id (or a 64-bit hash collision)
        levels.append(table)
        rows = rows[lost]
    return levels


def _look_up(levels: list[np.ndarray], fingerprint: np.ndarray, wanted: np.ndarray) -> np.ndarray | None:
    """Row (int32) whose id hashes to each wanted hash, by fingerprint; None when one is in
    no table (an unknown id)."""
    found = np.empty(0, dtype=np.int32)
    asking = np.arange(0)  # rows of ``wanted`` still asking, after the first level
    for level, table in enumerate(levels):
        bits = table.size.bit_length() - 1
        candidate = table[_slots(wanted, level, bits)]
        if (candidate == EMPTY).any():
            return None  # an empty slot: no item has that hash
        miss = np.flatnonzero(fingerprint[candidate] != _fingerprint(wanted))
        if level == 0:
            found, asking = candidate, miss
        else:
            found[asking] = candidate  # the misses are overwritten at a later level
            asking = asking[miss]
        if asking.size == 0:
            return found
        wanted = wanted[miss]
    return None  # asked every level without a match: no item has that hash
