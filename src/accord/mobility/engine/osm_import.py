"""Build a finer network from an OpenStreetMap extract (pyosmium).

Roads (``highway=*``), railways (``railway=rail``) and ferries
(``route=ferry``) become edges between graph nodes: way end points and
junctions (OSM nodes shared by several ways). Tags honoured:

- ``mlc:tracked``, ``mlc:wheeled`` (and ``mlc`` for both) -> edge MLC;
- ``maxheight`` (metres, or feet and inches ``14'6"``) -> ``max_height_m``;
- ``maxweight`` (tonnes; ``st`` short tons and ``lbs`` converted) -> ``max_weight_t``;
- ``gauge`` (mm; the first value of a multi-gauge ``1435;1520``) -> ``gauge_mm``.

The result is written as ``nodes.csv`` and ``edges.csv`` in the shipped
format, each record citing its OSM object, so ``load_network`` reads it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import osmium

from accord.errors import InputError, Problem

from .geo import great_circle_km
from .network import EDGE_COLUMNS, NODE_COLUMNS

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


@dataclass
class _Way:
    id: int
    mode: str
    road_class: str | None
    refs: list[int]
    tags: dict[str, str]


class _Collector(osmium.SimpleHandler):
    """Collects node coordinates and the ways that are roads, railways or ferries."""

    def __init__(self, road_class_by_highway: Mapping[str, str]) -> None:
        super().__init__()
        self.road_class_by_highway = road_class_by_highway
        self.ways: list[_Way] = []
        self.coords: dict[int, tuple[float, float]] = {}
        self.names: dict[int, str] = {}

    def node(self, n) -> None:
        if n.location.valid():
            self.coords[n.id] = (n.location.lat, n.location.lon)
        name = n.tags.get("name")
        if name:
            self.names[n.id] = name

    def way(self, w) -> None:
        tags = {t.k: t.v for t in w.tags}
        if "highway" in tags and tags["highway"] in self.road_class_by_highway:
            mode, road_class = "road", self.road_class_by_highway[tags["highway"]]
        elif tags.get("railway") == "rail":
            mode, road_class = "rail", None
        elif tags.get("route") == "ferry":
            mode, road_class = "sea", None
        else:
            return
        self.ways.append(_Way(w.id, mode, road_class, [n.ref for n in w.nodes], tags))


def import_osm(
    path: Path | str, *, country: str, road_class_by_highway: Mapping[str, str], default_gauge_mm: int | None = None
) -> tuple[list[dict], list[dict]]:
    """Read an OSM file (.osm, .osm.pbf) and return (nodes, edges) rows in the shipped CSV format."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(f"OSM file {str(path)!r} not found", field="file"))
    collector = _Collector(road_class_by_highway=road_class_by_highway)
    try:
        collector.apply_file(str(path), locations=False)
    except RuntimeError as exc:
        raise InputError(Problem(f"cannot read OSM file: {exc}", field="file")) from None
    problems: list[Problem] = []
    use: dict[int, int] = {}
    for way in collector.ways:
        for i, ref in enumerate(way.refs):
            use[ref] = use.get(ref, 0) + (2 if i in (0, len(way.refs) - 1) else 1)
    graph_nodes = {ref for ref, count in use.items() if count >= 2}
    nodes: dict[int, dict] = {}
    edges: list[dict] = []
    for way in collector.ways:
        missing = [r for r in way.refs if r not in collector.coords]
        if missing:
            problems.append(Problem(f"way refers to node(s) without coordinates: {missing[:3]}", item=f"way/{way.id}"))
            continue
        gauge = parse_gauge(way.tags.get("gauge")) or (default_gauge_mm if way.mode == "rail" else None)
        if way.mode == "rail" and gauge is None:
            problems.append(
                Problem("railway without gauge (give --default-gauge)", field="gauge", item=f"way/{way.id}")
            )
            continue
        both = parse_mlc(way.tags.get("mlc"))
        mlc_t = parse_mlc(way.tags.get("mlc:tracked")) or both
        mlc_w = parse_mlc(way.tags.get("mlc:wheeled")) or both
        height = parse_maxheight(way.tags.get("maxheight"))
        weight = parse_maxweight(way.tags.get("maxweight"))
        start = 0
        for i in range(1, len(way.refs)):
            if way.refs[i] not in graph_nodes and i != len(way.refs) - 1:
                continue
            segment = way.refs[start : i + 1]
            length = sum(
                great_circle_km(*collector.coords[a], *collector.coords[b])
                for a, b in zip(segment, segment[1:], strict=False)
            )
            a, b = segment[0], segment[-1]
            for ref in (a, b):
                if ref not in nodes:
                    lat, lon = collector.coords[ref]
                    nodes[ref] = _node_row(ref, lat, lon, country, collector.names.get(ref))
            edges.append(
                {
                    "id": f"osm-w{way.id}-{len(edges) + 1}",
                    "mode": way.mode,
                    "from": nodes[a]["id"],
                    "to": nodes[b]["id"],
                    "length_km": f"{length:.3f}",
                    "road_class": way.road_class or "",
                    "gauge_mm": gauge or "",
                    "mlc_tracked": _num(mlc_t),
                    "mlc_wheeled": _num(mlc_w),
                    "max_height_m": _num(height),
                    "max_weight_t": _num(weight),
                    "name": way.tags.get("name") or way.tags.get("ref") or f"way {way.id}",
                    "source_title": f"OpenStreetMap way {way.id}",
                    "source_url": f"{OSM}/way/{way.id}",
                    "note": "length: sum of great-circle distances between the way's OSM nodes",
                }
            )
            start = i
    if problems:
        raise InputError(problems)
    return list(nodes.values()), edges


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _node_row(ref: int, lat: float, lon: float, country: str, name: str | None) -> dict:
    return {
        "id": f"osm-n{ref}",
        "name": name or f"OSM node {ref}",
        "country": country.upper(),
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "kind": "junction",
        "rail_terminal": "no",
        "port": "no",
        "gauge_transfer": "no",
        "tunnel_terminal": "no",
        "source_title": f"OpenStreetMap node {ref}",
        "source_url": f"{OSM}/node/{ref}",
        "note": "",
    }


def write_network(directory: Path | str, nodes: list[dict], edges: list[dict], version: str) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (("nodes.csv", NODE_COLUMNS, nodes), ("edges.csv", EDGE_COLUMNS, edges)):
        with (directory / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (directory / "VERSION").write_text(version + "\n", encoding="utf-8")
