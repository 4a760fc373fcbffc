"""The object-model network loader as it was before issue 14 item 7 (commit b36a11e), kept only as the
benchmark baseline of benchmarks/mobility_network.py. Do not import it from the product."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import InputError, Problem
from accord.mobility.engine.geo import great_circle_km

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


@dataclass
class Network:
    """Nodes and undirected edges, with numpy columns for fast filtering."""

    nodes: list[Node]
    edges: list[Edge]
    version: str = "unversioned"
    closures: list[Closure] = field(default_factory=list)
    index: dict[str, int] = field(init=False)
    cache: dict = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        e = self.edges
        self.edge_a = np.array([self.index[x.a] for x in e], dtype=np.int64)
        self.edge_b = np.array([self.index[x.b] for x in e], dtype=np.int64)
        self.edge_mode = np.array([x.mode for x in e], dtype=object)
        self.edge_length = np.array([x.length_km for x in e], dtype=float)
        self.edge_road_class = np.array([x.road_class or "" for x in e], dtype=object)
        self.edge_gauge = np.array([x.gauge_mm or 0 for x in e], dtype=np.int64)
        self.edge_mlc_tracked = _floats(x.mlc_tracked for x in e)
        self.edge_mlc_wheeled = _floats(x.mlc_wheeled for x in e)
        self.edge_max_height = _floats(x.max_height_m for x in e)
        self.edge_max_weight = _floats(x.max_weight_t for x in e)
        self.edge_max_width = _floats(x.max_width_m for x in e)
        self.edge_max_axle = _floats(x.max_axle_load_t for x in e)

    def node(self, node_id: str) -> Node:
        return self.nodes[self.index[node_id]]

    def gauges(self) -> list[int]:
        return sorted({int(g) for g in self.edge_gauge[self.edge_mode == "rail"] if g})

    def countries(self) -> list[str]:
        return sorted({n.country for n in self.nodes})

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
            return [i for i, e in enumerate(self.edges) if e.id == closure.target]
        return [i for i, e in enumerate(self.edges) if closure.target in (e.a, e.b)]

    def closed_during(self, first: dt.date, last: dt.date) -> frozenset[int]:
        """Edges closed on any day from ``first`` to ``last``."""
        out: set[int] = set()
        for c in self.closures:
            if c.start <= last and c.end >= first:
                out.update(self.closure_edges(c))
        return frozenset(out)


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
    """Load ``nodes.csv`` and ``edges.csv`` from ``directory``; raise InputError naming each bad line."""
    directory = Path(directory)
    nodes, problems = read_nodes(directory / "nodes.csv")
    by_id = {n.id: n for n in nodes}
    edges, edge_problems = read_edges(directory / "edges.csv", by_id, detour)
    problems += edge_problems
    if problems:
        raise InputError(problems)
    closures: list[Closure] = []
    if (directory / "closures.csv").is_file():
        closures, closure_problems = read_closures(directory / "closures.csv", by_id, {e.id for e in edges})
        problems += closure_problems
    if problems:
        raise InputError(problems)
    version_file = directory / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "unversioned"
    return Network(nodes=nodes, edges=edges, version=version, closures=closures)


def read_closures(path: Path, nodes: Mapping[str, Node], edge_ids: set[str]) -> tuple[list[Closure], list[Problem]]:
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
