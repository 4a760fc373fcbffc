"""The strategic network: nodes and edges loaded from versioned CSV files, held as columns.

A folder may also hold the columns themselves (``arrays/``, written by ``Network.save`` or the OSM
importer): ``load_network`` then maps them into memory instead of reading the CSV files, unless the CSV
files changed since (``netarrays``).

Unknown attributes stay unknown (``None`` / NaN); the planner applies the
stated assumptions (parameters ``mobility.network.*``) and reports them.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import InputError, Problem

from .arcs import BASE_DIR, BaseGraph, build_base, load_base, save_base
from .geo import great_circle_km
from .netarrays import (
    ARRAYS_DIR,
    IdIndex,
    NetworkArrays,
    StringColumn,
    file_stamp,
    load_arrays,
    read_manifest,
    save_arrays,
    sort_order,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODES = ("road", "rail", "sea", "tunnel")
ROAD_CLASSES = ("motorway", "rural", "urban")
NODE_KINDS = (
    "garrison",
    "city",
    "port",
    "rail_terminal",
    "border",
    "gauge_transfer",
    "tunnel_terminal",
    "training_area",
    "junction",
)
NODE_COLUMNS = (
    "id",
    "name",
    "country",
    "lat",
    "lon",
    "kind",
    "rail_terminal",
    "port",
    "gauge_transfer",
    "tunnel_terminal",
    "source_title",
    "source_url",
    "note",
)
EDGE_COLUMNS = (
    "id",
    "mode",
    "from",
    "to",
    "length_km",
    "road_class",
    "gauge_mm",
    "mlc_tracked",
    "mlc_wheeled",
    "max_height_m",
    "max_weight_t",
    "name",
    "source_title",
    "source_url",
    "note",
)
# Columns a file may leave out (older networks, OSM imports): empty = unknown.
OPTIONAL_EDGE_COLUMNS = ("max_width_m", "max_axle_load_t")


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    country: str
    lat: float
    lon: float
    kind: str
    rail_terminal: bool
    port: bool
    gauge_transfer: bool
    tunnel_terminal: bool
    source_title: str
    source_url: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Edge:
    id: str
    mode: str
    a: str
    b: str
    length_km: float
    length_computed: bool
    road_class: str | None
    gauge_mm: int | None
    mlc_tracked: float | None
    mlc_wheeled: float | None
    max_height_m: float | None
    max_weight_t: float | None
    name: str
    source_title: str
    source_url: str
    note: str = ""
    max_width_m: float | None = None
    max_axle_load_t: float | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["from"] = d.pop("a")
        d["to"] = d.pop("b")
        d["length_km"] = round(self.length_km, 3)
        return d


CLOSURE_COLUMNS = ("id", "element", "target", "closed_from", "closed_until", "reason", "source_title", "source_url")


@dataclass(frozen=True)
class Closure:
    """An edge or node unavailable from ``start`` to ``end`` (whole days, local time of the place)."""

    id: str
    element: str  # edge | node
    target: str
    start: dt.date
    end: dt.date
    reason: str
    source_title: str
    source_url: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        return d


class _Rows(Sequence):
    """A read-only list of records built on access from the columns (nothing is held per row)."""

    def __init__(self, length: int, make) -> None:
        self._length, self._make = length, make

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._make(j) for j in range(*i.indices(self._length))]
        i = int(i)
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        return self._make(i)

    def __iter__(self):
        return (self._make(i) for i in range(self._length))


MODE_CODE = {m: i for i, m in enumerate(MODES)}
ROAD_CLASS_CODES = ("", *ROAD_CLASSES)  # code 0: no road class (rail, sea, tunnel)


# Network attribute <- NetworkArrays column (the attribute names the engine used before the arrays).
_COLUMNS = (
    ("edge_a", "edge_a"),
    ("edge_b", "edge_b"),
    ("edge_mode_code", "edge_mode"),
    ("edge_road_class_code", "edge_road_class"),
    ("edge_gauge", "edge_gauge"),
    ("edge_mlc_tracked", "edge_mlc_tracked"),
    ("edge_mlc_wheeled", "edge_mlc_wheeled"),
    ("edge_max_height", "edge_max_height"),
    ("edge_max_weight", "edge_max_weight"),
    ("edge_max_width", "edge_max_width"),
    ("edge_max_axle", "edge_max_axle"),
    ("node_lat", "node_lat"),
    ("node_lon", "node_lon"),
    ("node_port", "node_port"),
    ("node_rail_terminal", "node_rail_terminal"),
    ("node_gauge_transfer", "node_gauge_transfer"),
)


class Network:
    """Nodes and undirected edges held as columns (``netarrays.NetworkArrays``), shared by every graph built on it.

    ``nodes`` and ``edges`` read like lists of ``Node`` and ``Edge`` records, built on access; ``index`` maps a
    node id to its position without a dict per node. The numeric columns (``edge_a``, ``edge_length``,
    ``edge_mlc_tracked`` ...) are what the filters and the routing use.
    """

    def __init__(
        self,
        nodes: Iterable[Node] | None = None,
        edges: Iterable[Edge] | None = None,
        version: str = "unversioned",
        closures: Iterable[Closure] | None = None,
        *,
        arrays: NetworkArrays | None = None,
        detour: Mapping[str, float] | None = None,
        arrays_dir: Path | None = None,
    ) -> None:
        if arrays is None:
            edges = list(edges or [])
            arrays = arrays_from_records(list(nodes or []), edges)
            length = np.array([e.length_km for e in edges], dtype=float)
        else:
            length = _lengths(arrays, detour or {})
        self.arrays = arrays
        self.version = version
        self.closures: list[Closure] = list(closures or [])
        self.cache: dict = {}
        self.arrays_dir: Path | None = arrays_dir  # where the columns were mapped from (None: built in memory)
        self._node_cache: dict[str, Node] = {}  # records are frozen: the ones a plan reads are kept
        self._edge_cache: dict[int, Edge] = {}
        a = arrays
        self.index = IdIndex(a.node_id, a.node_order)
        self.edge_index = IdIndex(a.edge_id, a.edge_order)
        self.nodes = _Rows(a.n_nodes, self._node)
        self.edges = _Rows(a.n_edges, self._edge_record)
        for name, column in _COLUMNS:  # views of the columns (memory-mapped when loaded from arrays/)
            setattr(self, name, np.asarray(getattr(a, column)))
        self.edge_length = length
        self.edge_length_computed = np.isnan(a.edge_length_km)

    # --- columns as text, for code that compares names (built once, on first use) ---

    @cached_property
    def edge_mode(self) -> np.ndarray:
        return np.array(MODES)[self.edge_mode_code]

    @cached_property
    def edge_road_class(self) -> np.ndarray:
        return np.array(ROAD_CLASS_CODES)[self.edge_road_class_code]

    @cached_property
    def node_country_code(self) -> np.ndarray:
        """Per node, its position in ``country_values``."""
        return np.asarray(self.arrays.node_country.codes)

    @cached_property
    def country_values(self) -> list[str]:
        return self.arrays.node_country.values()

    @cached_property
    def edge_crosses_border(self) -> np.ndarray:
        """Per edge: do its two ends lie in different states?"""
        codes = self.node_country_code
        return codes[self.edge_a] != codes[self.edge_b]

    # --- records ---

    def _node(self, i: int) -> Node:
        a = self.arrays
        return Node(
            id=a.node_id[i],
            name=a.node_name[i],
            country=a.node_country[i],
            lat=float(a.node_lat[i]),
            lon=float(a.node_lon[i]),
            kind=NODE_KINDS[int(a.node_kind[i])],
            rail_terminal=bool(a.node_rail_terminal[i]),
            port=bool(a.node_port[i]),
            gauge_transfer=bool(a.node_gauge_transfer[i]),
            tunnel_terminal=bool(a.node_tunnel_terminal[i]),
            source_title=a.node_source_title[i],
            source_url=a.node_source_url[i],
            note=a.node_note[i],
        )

    def _edge_record(self, i: int) -> Edge:
        found = self._edge_cache.get(i)
        if found is None:
            if len(self._edge_cache) >= IdIndex.FOUND_KEPT:
                self._edge_cache.clear()
            found = self._edge_cache[i] = self._edge(i)
        return found

    def _edge(self, i: int) -> Edge:
        a = self.arrays
        gauge = int(a.edge_gauge[i])
        return Edge(
            id=a.edge_id[i],
            mode=MODES[int(a.edge_mode[i])],
            a=a.node_id[int(a.edge_a[i])],
            b=a.node_id[int(a.edge_b[i])],
            length_km=float(self.edge_length[i]),
            length_computed=bool(self.edge_length_computed[i]),
            road_class=ROAD_CLASS_CODES[int(a.edge_road_class[i])] or None,
            gauge_mm=gauge or None,
            mlc_tracked=_number(a.edge_mlc_tracked[i]),
            mlc_wheeled=_number(a.edge_mlc_wheeled[i]),
            max_height_m=_number(a.edge_max_height[i]),
            max_weight_t=_number(a.edge_max_weight[i]),
            name=a.edge_name[i],
            source_title=a.edge_source_title[i],
            source_url=a.edge_source_url[i],
            note=a.edge_note[i],
            max_width_m=_number(a.edge_max_width[i]),
            max_axle_load_t=_number(a.edge_max_axle[i]),
        )

    def node(self, node_id: str) -> Node:
        found = self._node_cache.get(node_id)
        if found is None:
            if len(self._node_cache) >= IdIndex.FOUND_KEPT:
                self._node_cache.clear()
            found = self._node_cache[node_id] = self._node(self.index[node_id])
        return found

    def suggestion_table(self, text: str) -> dict[str, str]:
        """Ids and lower-case names of nodes -> id, to suggest a node for a mistyped ``text`` (difflib).

        Every node on a network of up to ``SUGGEST_ALL`` nodes; on a larger one only those whose id or name
        starts with the same three characters (comparing a million names takes tens of seconds).
        """
        ids, names = self.arrays.node_id, self.arrays.node_name
        if len(ids) <= SUGGEST_ALL:
            picked = range(len(ids))
        else:
            prefix = text.lower()[:3].encode("utf-8")
            picked = np.nonzero(_starts_with(ids, prefix) | _starts_with(names, prefix))[0].tolist()
        table = {ids[i]: ids[i] for i in picked}
        return table | {names[i].lower(): ids[i] for i in picked}

    def node_ids(self, positions: Iterable[int]) -> list[str]:
        ids = self.arrays.node_id
        return [ids[int(i)] for i in positions]

    def gauges(self) -> list[int]:
        rail = self.edge_gauge[self.edge_mode_code == MODE_CODE["rail"]]
        return [int(g) for g in np.unique(rail) if g]

    def countries(self) -> list[str]:
        values = self.country_values
        return sorted({values[int(c)] for c in np.unique(self.node_country_code)})

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "nodes": [n.as_dict() for n in self.nodes],
            "edges": [e.as_dict() for e in self.edges],
            "closures": [c.as_dict() for c in self.closures],
        }

    def closure_edges(self, closure: Closure) -> list[int]:
        """Indices of the edges a closure takes out (the edge, or every edge at the node)."""
        if closure.element == "edge":
            i = self.edge_index.get(closure.target)
            return [] if i is None else [i]
        i = self.index.get(closure.target)
        if i is None:
            return []
        return np.nonzero((self.edge_a == i) | (self.edge_b == i))[0].tolist()

    def closed_during(self, first: dt.date, last: dt.date) -> frozenset[int]:
        """Edges closed on any day from ``first`` to ``last``."""
        out: set[int] = set()
        for c in self.closures:
            if c.start <= last and c.end >= first:
                out.update(self.closure_edges(c))
        return frozenset(out)

    def arc_structure(self) -> BaseGraph:
        """The arcs every vehicle class's graph weighs (``arcs.BaseGraph``): kept with the network, mapped from
        ``arrays/routing`` when the network was loaded from arrays written with it, else built."""
        base = self.cache.get("base")
        if base is None and self.arrays_dir is not None:
            base = load_base(self.arrays_dir / BASE_DIR)
        if base is None:
            base = build_base(
                len(self.nodes),
                self.edge_a,
                self.edge_b,
                self.edge_mode_code == MODE_CODE["rail"],
                self.edge_gauge,
                self.gauges(),
                self.node_rail_terminal,
                self.node_gauge_transfer,
            )
        self.cache["base"] = base
        return base

    def save(self, directory: Path | str) -> Path:
        """Write the columns to ``directory/arrays`` (loaded by ``load_network`` instead of the CSV files),
        with the shared arc structure (``arrays/routing``)."""
        directory = Path(directory)
        return save_arrays(
            self.arrays,
            directory,
            version=self.version,
            stamp=file_stamp(directory / n for n in CSV_FILES),
            extra=lambda folder: save_base(self.arc_structure(), folder / BASE_DIR),
        )


CSV_FILES = ("nodes.csv", "edges.csv")
SUGGEST_ALL = 100_000  # nodes compared in full for a suggestion (difflib); beyond, a prefix picks candidates


def _starts_with(column: StringColumn, prefix: bytes) -> np.ndarray:
    """Per value, does it start with ``prefix`` (ASCII letters compared without case)?"""
    if column.codes is not None:
        values = column.values()
        hit = np.array([v.lower().encode("utf-8").startswith(prefix) for v in values], dtype=bool)
        return hit[np.asarray(column.codes)] if len(values) else np.zeros(len(column), dtype=bool)
    data, offsets = np.asarray(column.data), np.asarray(column.offsets)
    start, length = offsets[:-1], np.diff(offsets)
    out = length >= len(prefix)
    for j, byte in enumerate(prefix):
        at = np.minimum(start + j, max(len(data) - 1, 0))
        b = data[at] if len(data) else np.zeros(len(start), dtype=np.uint8)
        lower = np.where((b >= 65) & (b <= 90), b + 32, b)
        out &= lower == byte
    return out


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _lengths(arrays: NetworkArrays, detour: Mapping[str, float]) -> np.ndarray:
    """Published lengths, or the great-circle distance x the mode's detour factor (at least 1 m, as read_edges)."""
    factor = np.array([float(detour.get(m, 1.0)) for m in MODES])[np.asarray(arrays.edge_mode)]
    given = np.asarray(arrays.edge_length_km)
    length = np.where(np.isnan(given), np.asarray(arrays.edge_great_circle_km) * factor, given)
    return np.maximum(length, 0.001)


def arrays_from_records(nodes: list[Node], edges: list[Edge]) -> NetworkArrays:
    """Columns of validated records (``read_nodes``/``read_edges`` or records built by code)."""
    position = {n.id: i for i, n in enumerate(nodes)}
    node_id = StringColumn.from_strings((n.id for n in nodes), dictionary=False)
    edge_id = StringColumn.from_strings((e.id for e in edges), dictionary=False)
    gc = np.full(len(edges), math.nan)
    for i, e in enumerate(edges):
        if e.length_computed:
            na, nb = nodes[position[e.a]], nodes[position[e.b]]
            gc[i] = great_circle_km(na.lat, na.lon, nb.lat, nb.lon)
    return NetworkArrays(
        node_id=node_id,
        node_name=StringColumn.from_strings((n.name for n in nodes), dictionary=False),
        node_country=StringColumn.from_strings((n.country for n in nodes), dictionary=True),
        node_lat=np.array([n.lat for n in nodes], dtype=float),
        node_lon=np.array([n.lon for n in nodes], dtype=float),
        node_kind=np.array([NODE_KINDS.index(n.kind) if n.kind in NODE_KINDS else 0 for n in nodes], dtype=np.int8),
        node_rail_terminal=np.array([n.rail_terminal for n in nodes], dtype=bool),
        node_port=np.array([n.port for n in nodes], dtype=bool),
        node_gauge_transfer=np.array([n.gauge_transfer for n in nodes], dtype=bool),
        node_tunnel_terminal=np.array([n.tunnel_terminal for n in nodes], dtype=bool),
        node_source_title=StringColumn.from_strings(n.source_title for n in nodes),
        node_source_url=StringColumn.from_strings(n.source_url for n in nodes),
        node_note=StringColumn.from_strings(n.note for n in nodes),
        node_order=sort_order(node_id),
        edge_id=edge_id,
        edge_mode=np.array([MODE_CODE[e.mode] for e in edges], dtype=np.int8),
        edge_a=np.array([position[e.a] for e in edges], dtype=np.int32),
        edge_b=np.array([position[e.b] for e in edges], dtype=np.int32),
        edge_length_km=np.array([math.nan if e.length_computed else e.length_km for e in edges], dtype=float),
        edge_great_circle_km=gc,
        edge_road_class=np.array([ROAD_CLASS_CODES.index(e.road_class or "") for e in edges], dtype=np.int8),
        edge_gauge=np.array([e.gauge_mm or 0 for e in edges], dtype=np.int32),
        edge_mlc_tracked=_floats(e.mlc_tracked for e in edges),
        edge_mlc_wheeled=_floats(e.mlc_wheeled for e in edges),
        edge_max_height=_floats(e.max_height_m for e in edges),
        edge_max_weight=_floats(e.max_weight_t for e in edges),
        edge_max_width=_floats(e.max_width_m for e in edges),
        edge_max_axle=_floats(e.max_axle_load_t for e in edges),
        edge_name=StringColumn.from_strings((e.name for e in edges), dictionary=False),
        edge_source_title=StringColumn.from_strings(e.source_title for e in edges),
        edge_source_url=StringColumn.from_strings(e.source_url for e in edges),
        edge_note=StringColumn.from_strings(e.note for e in edges),
        edge_order=sort_order(edge_id),
    )


def _floats(values: Iterable[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


def _yes(value: str) -> bool:
    return (value or "").strip().lower() in ("yes", "true", "1", "y")


def _optional_number(row: Mapping[str, str], key: str, where: dict, problems: list, *, integer=False):
    raw = (row.get(key) or "").strip()
    if raw == "":
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        problems.append(Problem(f"{key} must be a number, got {raw!r}", field=key, **where))
        return None
    if value < 0:
        problems.append(Problem(f"{key} must not be negative", field=key, **where))
    return value


def read_nodes(path: Path) -> tuple[list[Node], list[Problem]]:
    problems: list[Problem] = []
    nodes: list[Node] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in NODE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [Problem(f"{path.name}: missing columns {', '.join(missing)}", line=1)]
        for line, row in enumerate(reader, start=2):
            where = {"line": line, "item": row.get("id")}
            node_id = (row["id"] or "").strip()
            if not node_id:
                problems.append(Problem("node id is empty", field="id", line=line))
                continue
            if node_id in seen:
                problems.append(Problem("duplicate node id", field="id", **where))
                continue
            seen.add(node_id)
            lat = _signed(row, "lat", where, problems)
            lon = _signed(row, "lon", where, problems)
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append(Problem("lat/lon missing or out of range", field="lat", **where))
                continue
            kind = row["kind"].strip()
            if kind not in NODE_KINDS:
                problems.append(Problem(f"kind must be one of {', '.join(NODE_KINDS)}", field="kind", **where))
            country = row["country"].strip().upper()
            if len(country) != 2:
                problems.append(Problem("country must be an ISO 3166-1 alpha-2 code", field="country", **where))
            if not row["source_title"].strip():
                problems.append(Problem("every node needs a source", field="source_title", **where))
            nodes.append(
                Node(
                    id=node_id,
                    name=row["name"].strip(),
                    country=country,
                    lat=lat,
                    lon=lon,
                    kind=kind,
                    rail_terminal=_yes(row["rail_terminal"]),
                    port=_yes(row["port"]),
                    gauge_transfer=_yes(row["gauge_transfer"]),
                    tunnel_terminal=_yes(row["tunnel_terminal"]),
                    source_title=row["source_title"].strip(),
                    source_url=(row["source_url"] or "").strip(),
                    note=(row.get("note") or "").strip(),
                )
            )
    return nodes, problems


def _signed(row, key, where, problems):
    try:
        return float((row.get(key) or "").strip())
    except ValueError:
        problems.append(Problem(f"{key} must be a number, got {row[key]!r}", field=key, **where))
        return None


def read_edges(path: Path, nodes: Mapping[str, Node], detour: Mapping[str, float]) -> tuple[list[Edge], list[Problem]]:
    problems: list[Problem] = []
    edges: list[Edge] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in EDGE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [Problem(f"{path.name}: missing columns {', '.join(missing)}", line=1)]
        for line, row in enumerate(reader, start=2):
            edge_id = (row["id"] or "").strip()
            where = {"line": line, "item": edge_id or None}
            if not edge_id or edge_id in seen:
                problems.append(Problem("edge id is empty or duplicated", field="id", **where))
                continue
            seen.add(edge_id)
            mode = row["mode"].strip()
            if mode not in MODES:
                problems.append(Problem(f"mode must be one of {', '.join(MODES)}", field="mode", **where))
                continue
            a, b = row["from"].strip(), row["to"].strip()
            unknown = [x for x in (a, b) if x not in nodes]
            if unknown:
                problems.append(Problem(f"unknown node {', '.join(unknown)}", field="from/to", **where))
                continue
            road_class = (row["road_class"] or "").strip() or None
            if mode == "road" and road_class not in ROAD_CLASSES:
                problems.append(
                    Problem(f"a road edge needs road_class {', '.join(ROAD_CLASSES)}", field="road_class", **where)
                )
                continue
            gauge = _optional_number(row, "gauge_mm", where, problems, integer=True)
            if mode == "rail" and not gauge:
                problems.append(Problem("a rail edge needs gauge_mm", field="gauge_mm", **where))
                continue
            length = _optional_number(row, "length_km", where, problems)
            computed = length is None
            if computed:
                na, nb = nodes[a], nodes[b]
                length = great_circle_km(na.lat, na.lon, nb.lat, nb.lon) * float(detour.get(mode, 1.0))
            if not row["source_title"].strip():
                problems.append(Problem("every edge needs a source", field="source_title", **where))
            edges.append(
                Edge(
                    id=edge_id,
                    mode=mode,
                    a=a,
                    b=b,
                    length_km=max(length, 0.001),
                    length_computed=computed,
                    road_class=road_class,
                    gauge_mm=gauge,
                    mlc_tracked=_optional_number(row, "mlc_tracked", where, problems),
                    mlc_wheeled=_optional_number(row, "mlc_wheeled", where, problems),
                    max_height_m=_optional_number(row, "max_height_m", where, problems),
                    max_weight_t=_optional_number(row, "max_weight_t", where, problems),
                    name=row["name"].strip(),
                    source_title=row["source_title"].strip(),
                    source_url=(row["source_url"] or "").strip(),
                    note=(row.get("note") or "").strip(),
                    max_width_m=_optional_number(row, "max_width_m", where, problems),
                    max_axle_load_t=_optional_number(row, "max_axle_load_t", where, problems),
                )
            )
    return edges, problems


def load_network(directory: Path | str = DATA_DIR, *, detour: Mapping[str, float]) -> Network:
    """Load a network from ``directory``; raise InputError naming each bad line.

    The columns in ``arrays/`` are used when they were written from the CSV files as they are now (or
    there are no CSV files: an imported network); otherwise ``nodes.csv`` and ``edges.csv`` are read and
    checked line by line.
    """
    directory = Path(directory)
    version_file = directory / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "unversioned"
    manifest = read_manifest(directory)
    csv_stamp = file_stamp(directory / n for n in CSV_FILES)
    if manifest is not None and (not csv_stamp or manifest.get("stamp") == csv_stamp):
        network = Network(
            arrays=load_arrays(directory, manifest), version=version, detour=detour, arrays_dir=directory / ARRAYS_DIR
        )
    else:
        nodes, problems = read_nodes(directory / "nodes.csv")
        by_id = {n.id: n for n in nodes}
        edges, edge_problems = read_edges(directory / "edges.csv", by_id, detour)
        problems += edge_problems
        if problems:
            raise InputError(problems)
        network = Network(nodes=nodes, edges=edges, version=version)
    if (directory / "closures.csv").is_file():
        closures, problems = read_closures(directory / "closures.csv", network.index, network.edge_index)
        if problems:
            raise InputError(problems)
        network.closures = closures
    return network


def read_closures(
    path: Path, nodes: Mapping[str, object], edge_ids: Container[str]
) -> tuple[list[Closure], list[Problem]]:
    """``closures.csv``: one closure a line; every problem named by line and field."""
    problems: list[Problem] = []
    closures: list[Closure] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CLOSURE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [Problem(f"{path.name}: missing columns {', '.join(missing)}", line=1)]
        for line, row in enumerate(reader, start=2):
            where = {"line": line, "item": (row.get("id") or "").strip() or None}
            element, target = (row["element"] or "").strip(), (row["target"] or "").strip()
            if element not in ("edge", "node"):
                problems.append(Problem("element must be edge or node", field="element", **where))
                continue
            if target not in (edge_ids if element == "edge" else nodes):
                problems.append(Problem(f"unknown {element} {target!r}", field="target", **where))
                continue
            try:
                start = dt.date.fromisoformat((row["closed_from"] or "").strip())
                end = dt.date.fromisoformat((row["closed_until"] or "").strip())
            except ValueError:
                problems.append(
                    Problem("closed_from and closed_until must be dates (YYYY-MM-DD)", field="closed_from", **where)
                )
                continue
            if end < start:
                problems.append(Problem("closed_until is before closed_from", field="closed_until", **where))
                continue
            if not (row["source_title"] or "").strip():
                problems.append(Problem("every closure needs a source", field="source_title", **where))
            closures.append(
                Closure(
                    id=where["item"] or f"line {line}",
                    element=element,
                    target=target,
                    start=start,
                    end=end,
                    reason=(row["reason"] or "").strip(),
                    source_title=(row["source_title"] or "").strip(),
                    source_url=(row["source_url"] or "").strip(),
                )
            )
    return closures, problems


_SHIPPED: dict = {}


def shipped_network(detour: Mapping[str, float]) -> Network:
    """The network shipped with Accord (cached per detour factors)."""
    key = tuple(sorted(detour.items()))
    if key not in _SHIPPED:
        _SHIPPED[key] = load_network(DATA_DIR, detour=detour)
    return _SHIPPED[key]
