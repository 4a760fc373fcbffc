"""Build a finer network from an OpenStreetMap extract (pyosmium).

Roads (``highway=*``), railways (``railway=rail``) and ferries
(``route=ferry``) become edges between graph nodes: way end points and
junctions (OSM nodes shared by several ways). Tags honoured:

- ``mlc:tracked``, ``mlc:wheeled`` (and ``mlc`` for both) -> edge MLC;
- ``maxheight`` (metres, or feet and inches ``14'6"``) -> ``max_height_m``;
- ``maxweight`` (tonnes; ``st`` short tons and ``lbs`` converted) -> ``max_weight_t``;
- ``maxwidth`` (as ``maxheight``) -> ``max_width_m``; ``maxaxleload`` (as ``maxweight``) -> ``max_axle_load_t``;
- ``gauge`` (mm; the first value of a multi-gauge ``1435;1520``) -> ``gauge_mm``.

The extract is read in two streaming passes into network columns
(``import_osm_arrays``): no dict per OSM object, so a country extract fits in
memory. The result is written as ``nodes.csv`` and ``edges.csv`` in the shipped
format, each record citing its OSM object, and as the columns (``arrays/``)
that ``load_network`` maps into memory instead of reading the CSV files.
"""

from __future__ import annotations

import csv
import math
import re
from array import array
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import osmium

from accord.errors import InputError, Problem

from .geo import great_circle_km_array
from .netarrays import NetworkArrays, StringColumn, file_stamp, save_arrays, sort_order
from .network import (
    CSV_FILES,
    EDGE_COLUMNS,
    MODES,
    NODE_COLUMNS,
    NODE_KINDS,
    OPTIONAL_EDGE_COLUMNS,
    ROAD_CLASS_CODES,
    load_network,
)

OSM = "https://www.openstreetmap.org"
SHORT_TON_T = 0.90718474  # exact definitions of units, not rules
POUND_T = 0.00045359237
FOOT_M = 0.3048
INCH_M = 0.0254


def parse_mlc(value: str | None) -> float | None:
    if value is None:
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*$", value)
    return float(match.group(1)) if match else None


def parse_maxheight(value: str | None) -> float | None:
    """OSM maxheight: ``4.2``, ``4.2 m``, ``14'6"``; ``none``/``default``/``below_default`` are unknown."""
    if not value:
        return None
    v = value.strip().lower()
    feet = re.match(r"^(\d+)\s*'\s*(?:(\d+(?:\.\d+)?)\s*\")?$", v)
    if feet:
        return round(int(feet.group(1)) * FOOT_M + float(feet.group(2) or 0) * INCH_M, 3)
    metric = re.match(r"^(\d+(?:\.\d+)?)\s*(m)?$", v)
    return float(metric.group(1)) if metric else None


def parse_maxweight(value: str | None) -> float | None:
    """OSM maxweight: tonnes by default (``7.5``, ``7.5 t``), ``st`` short tons, ``lbs`` pounds, ``kg``."""
    if not value:
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(t|st|lbs|kg)?\s*$", value.strip().lower())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "t"
    return round({"t": number, "st": number * SHORT_TON_T, "lbs": number * POUND_T, "kg": number / 1000}[unit], 3)


def parse_gauge(value: str | None) -> int | None:
    if not value:
        return None
    first = value.split(";")[0].strip()
    return int(first) if first.isdigit() else None


class _Ways:
    """Pass 1: the roads, railways and ferries, kept as columns (their tags parsed on the way, never stored)."""

    def __init__(self, road_class_by_highway: Mapping[str, str]) -> None:
        self.road_class_by_highway = road_class_by_highway
        self.refs = array("q")  # node ids of every kept way, one way after the other
        self.starts = array("q", [0])
        self.ids = array("q")
        self.mode = array("b")
        self.road_class = array("b")
        self.gauge = array("l")  # 0: no gauge tag
        self.limits = {k: array("d") for k in _LIMIT_TAGS}
        self.names: list[str] = []

    def way(self, w) -> None:
        tags = w.tags
        highway, railway, route = tags.get("highway"), tags.get("railway"), tags.get("route")
        if highway is not None and highway in self.road_class_by_highway:
            mode, road_class = "road", self.road_class_by_highway[highway]
        elif railway == "rail":
            mode, road_class = "rail", ""
        elif route == "ferry":
            mode, road_class = "sea", ""
        else:
            return
        self.refs.extend(n.ref for n in w.nodes)
        self.starts.append(len(self.refs))
        self.ids.append(w.id)
        self.mode.append(MODES.index(mode))
        self.road_class.append(ROAD_CLASS_CODES.index(road_class))
        self.gauge.append(parse_gauge(tags.get("gauge")) or 0)
        both = parse_mlc(tags.get("mlc"))
        values = {
            "mlc_tracked": parse_mlc(tags.get("mlc:tracked")) or both,
            "mlc_wheeled": parse_mlc(tags.get("mlc:wheeled")) or both,
            "max_height_m": parse_maxheight(tags.get("maxheight")),
            "max_weight_t": parse_maxweight(tags.get("maxweight")),
            "max_width_m": parse_maxheight(tags.get("maxwidth")),  # same forms: metres, or feet and inches
            "max_axle_load_t": parse_maxweight(tags.get("maxaxleload")),
        }
        for key, value in values.items():
            # As written to the CSV file (``%g``), so the arrays and the CSV files hold the same numbers.
            self.limits[key].append(math.nan if value is None else float(_num(value)))
        self.names.append(tags.get("name") or tags.get("ref") or f"way {w.id}")


_LIMIT_TAGS = ("mlc_tracked", "mlc_wheeled", "max_height_m", "max_weight_t", "max_width_m", "max_axle_load_t")


def import_osm_arrays(
    path: Path | str, *, country: str, road_class_by_highway: Mapping[str, str], default_gauge_mm: int | None = None
) -> NetworkArrays:
    """Read an OSM file (.osm, .osm.pbf) in two streaming passes into network columns; refuse bad data.

    Pass 1 keeps the node ids and parsed limits of the roads, railways and ferries; pass 2 reads only the
    nodes those ways use (an id filter applied by libosmium). Nothing per OSM object is held in a dict, so
    a country extract fits in memory. Ways are split at junctions (nodes shared by several ways, or
    used twice) and their ends; each edge's length is the sum of great-circle distances along the way.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(f"OSM file {str(path)!r} not found", field="file"))
    ways = _Ways(road_class_by_highway)
    try:
        for obj in osmium.FileProcessor(str(path), osmium.osm.WAY).with_filter(
            osmium.filter.KeyFilter("highway", "railway", "route")
        ):
            ways.way(obj)
        refs = np.frombuffer(ways.refs, dtype=np.int64) if len(ways.refs) else np.zeros(0, dtype=np.int64)
        needed = np.unique(refs)
        node_ids, lat, lon, names = _read_nodes(path, needed)
    except RuntimeError as exc:
        raise InputError(Problem(f"cannot read OSM file: {exc}", field="file")) from None
    starts = np.frombuffer(ways.starts, dtype=np.int64)
    way_of_ref = np.repeat(np.arange(len(ways.ids)), np.diff(starts))
    # Coordinates of every ref (-1: the file has no such node).
    found_at = np.searchsorted(node_ids, refs)
    found_at = np.minimum(found_at, max(len(node_ids) - 1, 0))
    has_coords = (node_ids[found_at] == refs) if len(node_ids) else np.zeros(len(refs), dtype=bool)
    problems: list[Problem] = []
    mode = np.frombuffer(ways.mode, dtype=np.int8)
    gauge = np.frombuffer(ways.gauge, dtype=np.int64).astype(np.int32) if len(ways.gauge) else np.zeros(0, np.int32)
    rail = mode == MODES.index("rail")
    if default_gauge_mm:
        gauge = np.where(rail & (gauge == 0), default_gauge_mm, gauge)
    missing_way = np.zeros(len(ways.ids), dtype=bool)
    np.logical_or.at(missing_way, way_of_ref[~has_coords], True)
    for w in np.nonzero(missing_way | (rail & (gauge == 0)))[0]:
        way_id = ways.ids[w]
        if missing_way[w]:
            mine = refs[starts[w] : starts[w + 1]]
            missing = [int(r) for r in mine[~has_coords[starts[w] : starts[w + 1]]]]
            problems.append(Problem(f"way refers to node(s) without coordinates: {missing[:3]}", item=f"way/{way_id}"))
        else:
            problems.append(
                Problem("railway without gauge (give --default-gauge)", field="gauge", item=f"way/{way_id}")
            )
    if problems:
        raise InputError(problems)
    return _split_ways(ways, refs, starts, way_of_ref, node_ids, lat, lon, names, found_at, gauge, country)


def _read_nodes(path: Path, needed: np.ndarray):
    """Pass 2: id, coordinates and name of the nodes the ways use, sorted by id."""
    ids, lat, lon = array("q"), array("d"), array("d")
    names: dict[int, str] = {}
    if len(needed):
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
            osmium.filter.IdFilter(needed.tolist())
        )
        for n in processor:
            if not n.location.valid():
                continue
            ids.append(n.id)
            lat.append(n.location.lat)
            lon.append(n.location.lon)
            name = n.tags.get("name")
            if name:
                names[n.id] = name
    ids_a = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, dtype=np.int64)
    order = np.argsort(ids_a, kind="stable")
    lat_a = np.frombuffer(lat, dtype=float)[order] if len(lat) else np.zeros(0)
    lon_a = np.frombuffer(lon, dtype=float)[order] if len(lon) else np.zeros(0)
    return ids_a[order], lat_a, lon_a, names


def _split_ways(ways, refs, starts, way_of_ref, node_ids, lat, lon, names, found_at, gauge, country) -> NetworkArrays:
    """Edges between graph nodes: way ends and nodes used at least twice (junctions)."""
    is_start = np.zeros(len(refs), dtype=bool)
    is_start[starts[:-1]] = True
    is_end = np.zeros(len(refs), dtype=bool)
    is_end[starts[1:] - 1] = True
    # Use count per OSM node: an end counts 2, an inner point 1; graph nodes are used twice or more.
    use = np.bincount(found_at, weights=np.where(is_start | is_end, 2, 1), minlength=len(node_ids))
    split = (use[found_at] >= 2) | is_start | is_end
    split[is_start] = True
    # Distance from each ref to the next one on its way (0 across ways).
    same_way = np.zeros(len(refs), dtype=bool)
    same_way[:-1] = way_of_ref[:-1] == way_of_ref[1:]
    step = np.zeros(len(refs))
    if len(refs) > 1:
        nxt = np.minimum(np.arange(len(refs)) + 1, len(refs) - 1)
        d = great_circle_km_array(lat[found_at], lon[found_at], lat[found_at[nxt]], lon[found_at[nxt]])
        step = np.where(same_way, d, 0.0)
    cut = np.nonzero(split)[0]
    first, last = cut[:-1], cut[1:]
    keep = way_of_ref[first] == way_of_ref[last]
    keep &= ~is_end[first]  # a segment never starts at its way's last node
    first, last = first[keep], last[keep]
    seg_way = way_of_ref[first]
    bounds = np.empty(2 * len(first), dtype=np.int64)
    bounds[0::2], bounds[1::2] = first, last
    length = np.add.reduceat(step, bounds)[0::2] if len(first) else np.zeros(0)  # sum of steps first..last-1
    # Graph nodes in the order they first end a segment (as the CSV importer wrote them).
    ends = np.empty(2 * len(first), dtype=np.int64)
    ends[0::2], ends[1::2] = found_at[first], found_at[last]
    unique, first_seen = np.unique(ends, return_index=True)
    node_osm = unique[np.argsort(first_seen, kind="stable")]
    position = np.empty(len(node_ids), dtype=np.int64)
    position[node_osm] = np.arange(len(node_osm))
    osm_id = node_ids[node_osm].tolist()
    node_id = StringColumn.from_strings((f"osm-n{i}" for i in osm_id), dictionary=False)
    m = len(first)
    way_id = np.frombuffer(ways.ids, dtype=np.int64)[seg_way].tolist()
    edge_id = StringColumn.from_strings((f"osm-w{w}-{k}" for k, w in enumerate(way_id, start=1)), dictionary=False)
    limits = {k: np.frombuffer(v, dtype=float)[seg_way] if m else np.zeros(0) for k, v in ways.limits.items()}
    rounded = np.array([float(f"{x:.3f}") for x in length.tolist()], dtype=float)  # as written to the CSV file
    seg_names = [ways.names[w] for w in seg_way.tolist()]
    return NetworkArrays(
        node_id=node_id,
        node_name=StringColumn.from_strings((names.get(i) or f"OSM node {i}" for i in osm_id), dictionary=False),
        node_country=StringColumn.from_strings([country.upper()] * len(osm_id), dictionary=True),
        node_lat=np.array([float(f"{x:.7f}") for x in lat[node_osm].tolist()], dtype=float),
        node_lon=np.array([float(f"{x:.7f}") for x in lon[node_osm].tolist()], dtype=float),
        node_kind=np.full(len(osm_id), NODE_KINDS.index("junction"), dtype=np.int8),
        node_rail_terminal=np.zeros(len(osm_id), dtype=bool),
        node_port=np.zeros(len(osm_id), dtype=bool),
        node_gauge_transfer=np.zeros(len(osm_id), dtype=bool),
        node_tunnel_terminal=np.zeros(len(osm_id), dtype=bool),
        node_source_title=StringColumn.from_strings((f"OpenStreetMap node {i}" for i in osm_id), dictionary=False),
        node_source_url=StringColumn.from_strings((f"{OSM}/node/{i}" for i in osm_id), dictionary=False),
        node_note=StringColumn.from_strings([""] * len(osm_id), dictionary=True),
        node_order=sort_order(node_id),
        edge_id=edge_id,
        edge_mode=np.frombuffer(ways.mode, dtype=np.int8)[seg_way] if m else np.zeros(0, np.int8),
        edge_a=position[found_at[first]].astype(np.int32),
        edge_b=position[found_at[last]].astype(np.int32),
        edge_length_km=rounded,
        edge_great_circle_km=np.full(m, math.nan),
        edge_road_class=np.frombuffer(ways.road_class, dtype=np.int8)[seg_way] if m else np.zeros(0, np.int8),
        edge_gauge=gauge[seg_way].astype(np.int32) if m else np.zeros(0, np.int32),
        edge_mlc_tracked=limits["mlc_tracked"],
        edge_mlc_wheeled=limits["mlc_wheeled"],
        edge_max_height=limits["max_height_m"],
        edge_max_weight=limits["max_weight_t"],
        edge_max_width=limits["max_width_m"],
        edge_max_axle=limits["max_axle_load_t"],
        edge_name=StringColumn.from_strings(seg_names),
        edge_source_title=StringColumn.from_strings(f"OpenStreetMap way {w}" for w in way_id),
        edge_source_url=StringColumn.from_strings(f"{OSM}/way/{w}" for w in way_id),
        edge_note=StringColumn.from_strings([LENGTH_NOTE] * m, dictionary=True),
        edge_order=sort_order(edge_id),
    )


LENGTH_NOTE = "length: sum of great-circle distances between the way's OSM nodes"


def import_osm(
    path: Path | str, *, country: str, road_class_by_highway: Mapping[str, str], default_gauge_mm: int | None = None
) -> tuple[list[dict], list[dict]]:
    """Read an OSM file (.osm, .osm.pbf) and return (nodes, edges) rows in the shipped CSV format."""
    arrays = import_osm_arrays(
        path, country=country, road_class_by_highway=road_class_by_highway, default_gauge_mm=default_gauge_mm
    )
    return rows_of(arrays)


def rows_of(arrays: NetworkArrays) -> tuple[list[dict], list[dict]]:
    """The rows of ``nodes.csv`` and ``edges.csv`` for imported columns."""
    nodes, edges = _rows(arrays)
    return list(nodes), list(edges)


def _rows(arrays: NetworkArrays):
    a = arrays
    nodes = (
        {
            "id": a.node_id[i],
            "name": a.node_name[i],
            "country": a.node_country[i],
            "lat": f"{a.node_lat[i]:.7f}",
            "lon": f"{a.node_lon[i]:.7f}",
            "kind": NODE_KINDS[int(a.node_kind[i])],
            "rail_terminal": "no",
            "port": "no",
            "gauge_transfer": "no",
            "tunnel_terminal": "no",
            "source_title": a.node_source_title[i],
            "source_url": a.node_source_url[i],
            "note": a.node_note[i],
        }
        for i in range(a.n_nodes)
    )
    edges = (
        {
            "id": a.edge_id[i],
            "mode": MODES[int(a.edge_mode[i])],
            "from": a.node_id[int(a.edge_a[i])],
            "to": a.node_id[int(a.edge_b[i])],
            "length_km": f"{a.edge_length_km[i]:.3f}",
            "road_class": ROAD_CLASS_CODES[int(a.edge_road_class[i])],
            "gauge_mm": int(a.edge_gauge[i]) or "",
            "mlc_tracked": _num(_number(a.edge_mlc_tracked[i])),
            "mlc_wheeled": _num(_number(a.edge_mlc_wheeled[i])),
            "max_height_m": _num(_number(a.edge_max_height[i])),
            "max_weight_t": _num(_number(a.edge_max_weight[i])),
            "max_width_m": _num(_number(a.edge_max_width[i])),
            "max_axle_load_t": _num(_number(a.edge_max_axle[i])),
            "name": a.edge_name[i],
            "source_title": a.edge_source_title[i],
            "source_url": a.edge_source_url[i],
            "note": a.edge_note[i],
        }
        for i in range(a.n_edges)
    )
    return nodes, edges


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_network(directory: Path | str, nodes: list[dict], edges: list[dict], version: str) -> None:
    """Write ``nodes.csv``, ``edges.csv`` and ``VERSION``, then the columns (``arrays/``) that load instead."""
    _write_csv(Path(directory), nodes, edges, version)
    # Imported lengths are always given, so the detour factors do not matter here.
    load_network(directory, detour={}).save(directory)


def write_network_arrays(directory: Path | str, arrays: NetworkArrays, version: str) -> None:
    """Write imported columns: the CSV files row by row (never all rows in memory), then ``arrays/``."""
    directory = Path(directory)
    nodes, edges = _rows(arrays)
    _write_csv(directory, nodes, edges, version)
    save_arrays(arrays, directory, version=version, stamp=file_stamp(directory / n for n in CSV_FILES))


def _write_csv(directory: Path, nodes, edges, version: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (
        ("nodes.csv", NODE_COLUMNS, nodes),
        ("edges.csv", EDGE_COLUMNS + OPTIONAL_EDGE_COLUMNS, edges),
    ):
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (directory / "VERSION").write_text(version + "\n", encoding="utf-8")
