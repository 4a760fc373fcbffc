"""Map each item's parent id to the parent's row: a vectorised open-addressing hash table.

Item ids are strings. polars hashes them to 64 bits in one call; numpy then builds
a hash table with linear probing, all items at once: in the first round every item
writes its home slot and one writer wins each; the others move on slot by slot
until they find a free one. Looking up the parents works the same way. Each slot
holds one 64-bit entry, the hash's high 32 bits and the row, so one memory access
reads both (memory access, not arithmetic, is what this costs).

The answer is always exact: an item meeting another with the same slot and
fingerprint (a duplicate id or, very rarely, a near-collision) or an unknown
parent makes ``map_parents`` return None, and the caller uses the plain string
join instead, which also names the items at fault. The parents found are finally
confirmed by comparing the strings themselves.
"""

from __future__ import annotations

import numpy as np
import polars as pl

HASH_SEED = 20250529  # any fixed seed: results never depend on it
LOW = np.uint64(0xFFFFFFFF)
SHIFT = np.uint64(32)


def map_parents(ids: pl.Series, parents: pl.Series) -> np.ndarray | None:
    """Row of each item's parent, -1 for none; None when only the exact join can decide."""
    n = ids.len()
    if n >= 2**32 - 1:
        return None
    id_hash = ids.hash(seed=HASH_SEED).to_numpy()
    # At most a quarter full: fewer collisions, so fewer probing rounds (each round is a
    # pass of random memory accesses); 8 bytes a slot, 32 MB for a million items.
    size = 1 << (max(4, (2 * n - 1).bit_length()) + 1)
    wrap = size - 1
    slot = (id_hash & np.uint64(wrap)).view(np.int64)  # below 2**63: the same numbers, no copy
    # Each slot holds one 64-bit entry: the hash's high 32 bits, then row + 1 (0 = empty).
    # Slot number + fingerprint keep 32 + log2(size) bits of the hash; the strings decide at the end.
    fingerprint = id_hash >> SHIFT
    entries = (fingerprint << SHIFT) | np.arange(1, n + 1, dtype=np.uint64)
    table = np.zeros(size, dtype=np.uint64)
    table[slot] = entries
    won = table[slot] == entries
    lost = np.flatnonzero(~won)
    waiting, slot = entries[lost], slot[lost]
    if ((table[slot] >> SHIFT) == (waiting >> SHIFT)).any():
        return None  # same slot and fingerprint: a duplicate id (or a near-collision)
    slot = (slot + 1) & wrap
    while waiting.size:
        occupant = table[slot]
        free = occupant == 0
        if ((occupant[~free] >> SHIFT) == (waiting[~free] >> SHIFT)).any():
            return None
        candidates, candidate_slots = waiting[free], slot[free]
        table[candidate_slots] = candidates
        lost = table[candidate_slots] != candidates
        if ((table[candidate_slots[lost]] >> SHIFT) == (candidates[lost] >> SHIFT)).any():
            return None
        waiting = np.concatenate([waiting[~free], candidates[lost]])
        slot = (np.concatenate([slot[~free], candidate_slots[lost]]) + 1) & wrap

    children = np.flatnonzero(parents.is_not_null().to_numpy())
    wanted_hash = parents.hash(seed=HASH_SEED).to_numpy()[children]
    wanted = wanted_hash >> SHIFT
    slot = (wanted_hash & np.uint64(wrap)).view(np.int64)
    entry = table[slot]
    asking = np.flatnonzero((entry >> SHIFT) != wanted)
    if (entry[asking] == 0).any():
        return None
    slot = (slot[asking] + 1) & wrap
    while asking.size:
        probe = table[slot]
        if (probe == 0).any():
            return None
        hit = (probe >> SHIFT) == wanted[asking]
        entry[asking[hit]] = probe[hit]
        asking = asking[~hit]
        slot = (slot[~hit] + 1) & wrap
    index_type = np.int32 if n < 2**31 else np.int64
    parent = np.full(n, -1, dtype=index_type)
    parent[children] = ((entry & LOW) - np.uint64(1)).astype(index_type)
    # Confirm with the strings themselves; the end product points at itself just for this
    # comparison, and its null parent compares as null (ignored).
    pointing = parent.copy()
    roots = pointing < 0
    pointing[roots] = np.flatnonzero(roots)
    if not (ids.gather(pointing) == parents).fill_null(True).all():
        return None  # a parent matched another id's slot and fingerprint
    return parent
