"""The network held as columns (issue 14, item 7: a network at the scale of Europe).

Every node and edge attribute is one numpy array; text columns are UTF-8 in
one byte buffer with offsets (Arrow's string layout), dictionary-encoded when
values repeat (country, kind, sources, notes). On disk a network is a folder
``arrays/`` of ``.npy`` files and a ``manifest.json``; ``load_arrays`` maps
the files into memory (``numpy.load(mmap_mode="r")``), so loading costs
milliseconds and only the pages a plan touches are read. Decision and
measurements: ``docs/decisions/0004-network-arrays.md``.

Categorical columns are small integer codes into fixed tuples (``MODES``,
``ROAD_CLASS_CODES``, ``NODE_KINDS``); an unknown number is NaN (an unknown
gauge is 0), as in the CSV files where it is empty.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

FORMAT = "accord-network-arrays"
FORMAT_VERSION = 1
ARRAYS_DIR = "arrays"


class StringColumn(Sequence):
    """Strings as one UTF-8 buffer and offsets; with ``codes``, a dictionary column (value i = dict[codes[i]])."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray, codes: np.ndarray | None = None) -> None:
        self.data, self.offsets, self.codes = data, offsets, codes
        self._bytes = memoryview(np.ascontiguousarray(data)).cast("B")  # no copy, also over a memory map
        self._decoded: list[str] | None = None

    @classmethod
    def from_strings(cls, values: Iterable[str], *, dictionary: bool | None = None) -> StringColumn:
        """Encode ``values``; ``dictionary=None`` chooses the dictionary layout when values repeat (at most n/4 distinct)."""
        values = list(values)
        lookup: dict[str, int] = {}
        codes = np.fromiter((lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int64, count=len(values))
        if dictionary is None:
            dictionary = len(lookup) <= max(1, len(values) // 4)
        if dictionary:
            data, offsets = _pack(list(lookup))
            return cls(data, offsets, codes.astype(_code_dtype(len(lookup))))
        data, offsets = _pack(values)
        return cls(data, offsets)

    def __len__(self) -> int:
        return len(self.codes) if self.codes is not None else len(self.offsets) - 1

    def _raw(self, i: int) -> bytes:
        return bytes(self._bytes[int(self.offsets[i]) : int(self.offsets[i + 1])])

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if self.codes is not None:
            return self.values()[int(self.codes[i])]
        return self._raw(i).decode("utf-8")

    def raw(self, i: int) -> bytes:
        """The UTF-8 bytes of value ``i`` (for the sorted-id index)."""
        return self._raw(int(self.codes[i])) if self.codes is not None else self._raw(i)

    def values(self) -> list[str]:
        """The distinct values of a dictionary column (in code order)."""
        if self._decoded is None:
            self._decoded = [self._raw(i).decode("utf-8") for i in range(len(self.offsets) - 1)]
        return self._decoded

    def __iter__(self) -> Iterator[str]:
        if self.codes is not None:
            vals = self.values()
            return (vals[int(c)] for c in self.codes)
        return (self._raw(i).decode("utf-8") for i in range(len(self)))

    def as_bytes_array(self) -> np.ndarray:
        """Fixed-width bytes (``S``) of every value: for sorting ids once when a network is written."""
        if self.codes is not None:
            return np.array([v.encode("utf-8") for v in self.values()], dtype=bytes)[self.codes]
        return np.array([self._raw(i) for i in range(len(self))], dtype=bytes)

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"data": self.data, "offsets": self.offsets}
        if self.codes is not None:
            out["codes"] = self.codes
        return out


def _pack(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _code_dtype(distinct: int):
    return np.uint8 if distinct <= 255 else np.uint16 if distinct <= 65535 else np.int32


class IdIndex(Mapping):
    """Id -> position, by binary search over the ids sorted once when the network was built or written.

    A Python dict of 1.25 million ids costs about 150 MB and a second to build; the sorted order is one
    int32 array read from disk.
    """

    FOUND_KEPT = 1 << 16  # ids found recently, kept in a dict (a plan looks up the same few thousand ids)

    def __init__(self, ids: StringColumn, order: np.ndarray) -> None:
        self.ids, self.order = ids, order
        self._found: dict[str, int] = {}

    def _find(self, key) -> int:
        if not isinstance(key, str):
            return -1
        found = self._found.get(key)
        if found is None:
            found = self._search(key)
            if len(self._found) >= self.FOUND_KEPT:
                self._found.clear()
            self._found[key] = found
        return found

    def _search(self, key: str) -> int:
        target = key.encode("utf-8")
        lo, hi = 0, len(self.order)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.ids.raw(int(self.order[mid])) < target:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.order) and self.ids.raw(int(self.order[lo])) == target:
            return int(self.order[lo])
        return -1

    def __getitem__(self, key) -> int:
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return i

    def __contains__(self, key) -> bool:
        return self._find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def sort_order(ids: StringColumn) -> np.ndarray:
    return np.argsort(ids.as_bytes_array(), kind="stable").astype(np.int32)


@dataclass
class NetworkArrays:
    """Columns of the nodes and edges (``edge_length_km`` NaN where computed from ``edge_great_circle_km``)."""

    node_id: StringColumn
    node_name: StringColumn
    node_country: StringColumn
    node_lat: np.ndarray
    node_lon: np.ndarray
    node_kind: np.ndarray  # int8 code into NODE_KINDS
    node_rail_terminal: np.ndarray
    node_port: np.ndarray
    node_gauge_transfer: np.ndarray
    node_tunnel_terminal: np.ndarray
    node_source_title: StringColumn
    node_source_url: StringColumn
    node_note: StringColumn
    node_order: np.ndarray  # node positions sorted by id
    edge_id: StringColumn
    edge_mode: np.ndarray  # int8 code into MODES
    edge_a: np.ndarray  # int32 node position
    edge_b: np.ndarray
    edge_length_km: np.ndarray  # as published (NaN: computed)
    edge_great_circle_km: np.ndarray  # between the end nodes, where the length is computed (else NaN)
    edge_road_class: np.ndarray  # int8 code into ROAD_CLASS_CODES (0: none)
    edge_gauge: np.ndarray  # int32 mm (0: none)
    edge_mlc_tracked: np.ndarray
    edge_mlc_wheeled: np.ndarray
    edge_max_height: np.ndarray
    edge_max_weight: np.ndarray
    edge_max_width: np.ndarray
    edge_max_axle: np.ndarray
    edge_name: StringColumn
    edge_source_title: StringColumn
    edge_source_url: StringColumn
    edge_note: StringColumn
    edge_order: np.ndarray  # edge positions sorted by id

    @property
    def n_nodes(self) -> int:
        return len(self.node_lat)

    @property
    def n_edges(self) -> int:
        return len(self.edge_a)


def save_arrays(
    arrays: NetworkArrays, directory: Path | str, *, version: str, stamp: dict | None = None, extra=None
) -> Path:
    """Write ``arrays`` to ``directory/arrays`` (one ``.npy`` a column, manifest last: a half-written folder is ignored).

    ``extra(folder)`` writes derived arrays (the routing structure) before the manifest.
    """
    # Written aside, then swapped in: a network mapped from the old folder keeps reading its (unlinked) files.
    final = Path(directory) / ARRAYS_DIR
    folder = Path(directory) / f".{ARRAYS_DIR}-{os.getpid()}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    manifest_path = folder / "manifest.json"
    columns: dict[str, dict] = {}
    for f in fields(arrays):
        value = getattr(arrays, f.name)
        if isinstance(value, StringColumn):
            parts = value.arrays()
            for part, arr in parts.items():
                np.save(folder / f"{f.name}.{part}.npy", np.ascontiguousarray(arr), allow_pickle=False)
            columns[f.name] = {"kind": "text", "parts": sorted(parts)}
        else:
            np.save(folder / f"{f.name}.npy", np.ascontiguousarray(value), allow_pickle=False)
            columns[f.name] = {"kind": "array", "dtype": str(np.asarray(value).dtype)}
    if extra is not None:
        extra(folder)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "network_version": version,
        "nodes": arrays.n_nodes,
        "edges": arrays.n_edges,
        "columns": columns,
        "stamp": stamp or {},
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if final.exists():
        old = Path(directory) / f".{ARRAYS_DIR}-old-{os.getpid()}"
        final.rename(old)
        folder.rename(final)
        shutil.rmtree(old)
    else:
        folder.rename(final)
    return final


def read_manifest(directory: Path | str) -> dict | None:
    path = Path(directory) / ARRAYS_DIR / "manifest.json"
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        return None
    return manifest


def load_arrays(directory: Path | str, manifest: dict) -> NetworkArrays:
    """Map the columns of ``directory/arrays`` into memory (read-only, pages read on use)."""
    folder = Path(directory) / ARRAYS_DIR
    values = {}
    for f in fields(NetworkArrays):
        spec = manifest["columns"][f.name]
        if spec["kind"] == "text":
            parts = {p: _mapped(folder / f"{f.name}.{p}.npy") for p in spec["parts"]}
            values[f.name] = StringColumn(parts["data"], parts["offsets"], parts.get("codes"))
        else:
            values[f.name] = _mapped(folder / f"{f.name}.npy")
    return NetworkArrays(**values)


def _mapped(path: Path) -> np.ndarray:
    """A read-only array over the file's pages (a plain ndarray view: numpy.memmap's per-access overhead is avoided)."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def file_stamp(paths: Iterable[Path]) -> dict:
    """Size and modification time of the CSV files the arrays were built from (a later edit makes them stale)."""
    out = {}
    for p in paths:
        if p.is_file():
            st = os.stat(p)
            out[p.name] = [st.st_size, st.st_mtime_ns]
    return out
