"""Capacity data: lift assets with availability windows and node throughput per day.

Shipped defaults live in ``data/capacity.yaml`` (each figure sourced or
marked inferred with its reasoning); a plan overrides them with a file of the
same shape (``--assets FILE``): a ship, train or fleet with the same id (or
nation) replaces the shipped one, node figures merge per node.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InputError, Problem

from ..network import DATA_DIR, Network

CAPACITY_FILE = DATA_DIR / "capacity.yaml"
NODE_KINDS = {
    "roro_calls_per_day": "ro-ro calls",
    "trains_per_day": "trains",
    "vehicles_per_day": "vehicles crossing",
    "columns_per_day": "columns",
}
KNOTS_KMH = 1.852


@dataclass(frozen=True)
class Ship:
    id: str
    name: str
    lane_metres: float
    speed_kmh: float
    ports: frozenset[str] | None  # None: any port
    available: tuple[tuple[dt.date, dt.date], ...]
    nation: str = ""


@dataclass(frozen=True)
class TrainSet:
    id: str
    name: str
    gauge_mm: int
    wagons: int
    payload_t: float
    available: tuple[tuple[dt.date, dt.date], ...]


@dataclass
class Capacity:
    ships: list[Ship]
    trains: list[TrainSet]
    transporters: dict[str, int]  # nation -> transporters one deployment may hold at once
    node_defaults: dict[str, dict[str, int]]
    nodes: dict[str, dict[str, int]]
    convoy_support_centres: dict[str, int]
    version: str = ""
    inferred: list[str] = field(default_factory=list)
    start_window_min: int = 120
    lane_gap_m: float = 1.0
    unknown_vehicle_length_m: float = 10.0
    unknown_transporter_length_m: float = 21.0

    def node_limit(self, network: Network, node: str, kind: str) -> int | None:
        """The node's throughput of ``kind`` a day, or None when it is not limited."""
        if kind == "columns_per_day":
            return self.convoy_support_centres.get(node)
        own = self.nodes.get(node, {})
        if kind in own:
            return own[kind]
        n = network.node(node)
        category = {"roro_calls_per_day": "port", "trains_per_day": "railhead", "vehicles_per_day": "border"}[kind]
        if kind == "vehicles_per_day" and n.kind != "border":
            return None
        return self.node_defaults.get(category, {}).get(kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "ships": [
                {
                    "id": s.id,
                    "name": s.name,
                    "lane_metres": s.lane_metres,
                    "speed_knots": round(s.speed_kmh / KNOTS_KMH, 1),
                }
                for s in self.ships
            ],
            "trains": [
                {"id": t.id, "name": t.name, "gauge_mm": t.gauge_mm, "wagons": t.wagons, "payload_t": t.payload_t}
                for t in self.trains
            ],
            "transporters": dict(sorted(self.transporters.items())),
            "inferred_figures": sorted(self.inferred),
        }


def _value(raw: Any, where: str, inferred: list[str]) -> Any:
    if isinstance(raw, dict) and "value" in raw:
        if raw.get("inferred"):
            inferred.append(where)
        return raw["value"]
    return raw


def _number(raw: Any, where: str, inferred: list[str], problems: list[Problem], *, whole=False, positive=True):
    value = _value(raw, where, inferred)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem(f"{where} must be a number, not {value!r}", field=where))
        return None
    if (positive and value <= 0) or value < 0 or (whole and int(value) != value):
        problems.append(
            Problem(f"{where} must be a {'whole ' if whole else ''}number above 0, not {value!r}", field=where)
        )
        return None
    return int(value) if whole else float(value)


def _windows(raw: Any, where: str, inferred: list[str], problems: list[Problem]) -> tuple:
    value = _value(raw, where, inferred)
    if value is None:
        return ((dt.date(1990, 1, 1), dt.date(2200, 12, 31)),)
    out = []
    try:
        for start, end in value:
            a, b = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
            if b < a:
                raise ValueError
            out.append((a, b))
    except (TypeError, ValueError):
        problems.append(Problem(f"{where} must be a list of [from, until] dates (2027-01-01)", field=where))
    return tuple(out)


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key in ("ships", "trains"):
        if key in override:
            by_id = {item.get("id"): item for item in base.get(key) or []}
            for item in override[key] or []:
                by_id[item.get("id")] = {
                    **by_id.get(item.get("id"), {}),
                    **item,
                }  # figures given replace the shipped ones
            out[key] = list(by_id.values())
    if "transporters" in override:
        by_nation = {item.get("nation"): item for item in base.get("transporters") or []}
        for item in override["transporters"] or []:
            by_nation[item.get("nation")] = {**by_nation.get(item.get("nation"), {}), **item}
        out["transporters"] = list(by_nation.values())
    for key in ("node_defaults", "nodes"):
        merged = {k: dict(v or {}) for k, v in (base.get(key) or {}).items()}
        for k, v in (override.get(key) or {}).items():
            merged.setdefault(k, {}).update(v or {})
        out[key] = merged
    if "convoy_support_centres" in override:
        out["convoy_support_centres"] = {
            **(base.get("convoy_support_centres") or {}),
            **(override["convoy_support_centres"] or {}),
        }
    if "scheduling" in override:
        out["scheduling"] = {**(base.get("scheduling") or {}), **(override["scheduling"] or {})}
    unknown = set(override) - {
        "ships",
        "trains",
        "transporters",
        "node_defaults",
        "nodes",
        "convoy_support_centres",
        "scheduling",
        "version",
    }
    if unknown:
        raise InputError(
            Problem(f"unknown section(s) {', '.join(sorted(map(str, unknown)))} in the assets file", field="assets")
        )
    return out


def load_capacity(
    network: Network, override: dict | str | Path | None = None, *, path: Path = CAPACITY_FILE
) -> Capacity:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if override is not None:
        if not isinstance(override, dict):
            try:
                override = yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise InputError(Problem(f"the assets file cannot be read ({exc})", field="assets")) from None
        if not isinstance(override, dict):
            raise InputError(
                Problem(
                    "the assets file must be a YAML mapping with ships, trains, transporters or nodes", field="assets"
                )
            )
        data = _merge(data, override)
    problems: list[Problem] = []
    inferred: list[str] = []
    ships = []
    for item in data.get("ships") or []:
        sid = str(item.get("id") or "")
        w = f"ships.{sid}"
        lane = _number(item.get("lane_metres"), f"{w}.lane_metres", inferred, problems)
        knots = _number(item.get("speed_knots"), f"{w}.speed_knots", inferred, problems)
        count = _number(item.get("count", 1), f"{w}.count", inferred, problems, whole=True, positive=False)
        ports = item.get("ports", "any")
        windows = _windows(item.get("available"), f"{w}.available", inferred, problems)
        if ports != "any" and not (isinstance(ports, list) and all(p in network.index for p in ports)):
            problems.append(
                Problem(f"{w}.ports must be 'any' or a list of port ids of the network", field=f"{w}.ports")
            )
        if lane is None or knots is None or count is None:
            continue
        for k in range(count):
            ships.append(
                Ship(
                    sid if count == 1 else f"{sid}_{k + 1}",
                    str(item.get("name") or sid) + ("" if count == 1 else f" {k + 1}"),
                    lane,
                    knots * KNOTS_KMH,
                    None if ports == "any" else frozenset(ports),
                    windows,
                    str(item.get("nation") or ""),
                )
            )
    trains = []
    for item in data.get("trains") or []:
        tid = str(item.get("id") or "")
        w = f"trains.{tid}"
        count = _number(item.get("count", 1), f"{w}.count", inferred, problems, whole=True)
        wagons = _number(item.get("wagons"), f"{w}.wagons", inferred, problems, whole=True)
        payload = _number(item.get("payload_t"), f"{w}.payload_t", inferred, problems)
        gauge = _number(item.get("gauge_mm"), f"{w}.gauge_mm", inferred, problems, whole=True)
        windows = _windows(item.get("available"), f"{w}.available", inferred, problems)
        if None in (count, wagons, payload, gauge):
            continue
        for k in range(count):
            trains.append(
                TrainSet(f"{tid}_{k + 1}", f"{item.get('name') or tid}, train {k + 1}", gauge, wagons, payload, windows)
            )
    transporters = {}
    for item in data.get("transporters") or []:
        nation = str(item.get("nation") or "")
        n = _number(item.get("count"), f"transporters.{nation}.count", inferred, problems, whole=True, positive=False)
        if n is not None:
            transporters[nation] = n
    defaults = {}
    for category, figures in (data.get("node_defaults") or {}).items():
        defaults[category] = {}
        for kind, raw in (figures or {}).items():
            n = _number(raw, f"node_defaults.{category}.{kind}", inferred, problems, whole=True, positive=False)
            if kind not in NODE_KINDS:
                problems.append(
                    Problem(f"node_defaults.{category}.{kind}: not one of {', '.join(NODE_KINDS)}", field="assets")
                )
            elif n is not None:
                defaults[category][kind] = n
    nodes = {}
    for node, figures in (data.get("nodes") or {}).items():
        if node not in network.index:
            problems.append(Problem(f"nodes.{node}: not a node of the network", field="assets"))
            continue
        nodes[node] = {}
        for kind, raw in (figures or {}).items():
            n = _number(raw, f"nodes.{node}.{kind}", inferred, problems, whole=True, positive=False)
            if kind not in NODE_KINDS:
                problems.append(Problem(f"nodes.{node}.{kind}: not one of {', '.join(NODE_KINDS)}", field="assets"))
            elif n is not None:
                nodes[node][kind] = n
    centres = {}
    for node, raw in (data.get("convoy_support_centres") or {}).items():
        n = _number(raw, f"convoy_support_centres.{node}", inferred, problems, whole=True)
        if node not in network.index:
            problems.append(Problem(f"convoy_support_centres.{node}: not a node of the network", field="assets"))
        elif n is not None:
            centres[node] = n
    if problems:
        raise InputError(problems)
    scheduling = data.get("scheduling") or {}
    window = _number(
        scheduling.get("start_window_minutes", 120),
        "scheduling.start_window_minutes",
        inferred,
        problems,
        whole=True,
        positive=False,
    )
    lengths = [
        _number(scheduling.get(k, d), f"scheduling.{k}", inferred, problems, positive=False)
        for k, d in (("lane_gap_m", 1.0), ("unknown_vehicle_length_m", 10.0), ("unknown_transporter_length_m", 21.0))
    ]
    if problems:
        raise InputError(problems)
    return Capacity(
        ships,
        trains,
        transporters,
        defaults,
        nodes,
        centres,
        str(data.get("version") or ""),
        inferred,
        window or 0,
        *lengths,
    )
