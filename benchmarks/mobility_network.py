"""Benchmark: a network at the scale of Europe (issue 14, item 7), old loader vs array loader, and plans on it.

Builds a synthetic European-sized network (a grid of ``side`` x ``side`` nodes laid
over twelve states from France to Estonia, roads both ways, standard- and broad-gauge
railways every 25th row with railheads and gauge-transfer points, ferries on the north
coast) with a realistic share of restrictions: 4 % of road edges are bridges with an
MLC class, 1.5 % have a clearance, 1 % a weight limit, 0.5 % a width and 0.5 % an axle
limit; 10 % have no published length (great-circle x detour factor). With the default
side of 1,110 it has 1.23 million nodes and 2.51 million undirected edges, i.e. 5.02
million arcs.

It is written once (cached in ``--workdir``) both as CSV files (the old format) and as
the array folder (``arrays/``). Then, each in a fresh subprocess, side by side in one
run (peak RSS: VmHWM of the child, which includes the ~100 MB of
Python, numpy and scipy):

1. old: the object-model loader of commit b36a11e (``benchmarks/legacy_network.py``)
   reading the CSV files;
2. new: ``load_network`` mapping the arrays, then one plan (``planner.plan``, road,
   Boxer x20, west to east across the grid: cold, i.e. building the shared arc
   structure and the class's graph), a plan for another vehicle class (Leopard 2A7 on
   transporters: a second weight array over the same structure), the first plan
   again (warm: graphs cached), and a regional plan of about 100 km (warm: its
   candidate searches stop at the length of the route they replace).

Run (big size: minutes of CPU; the machine is shared, run it sparingly):
    PYTHONPATH=src .venv/bin/python benchmarks/mobility_network.py
    PYTHONPATH=src .venv/bin/python benchmarks/mobility_network.py --side 200   # smoke run
Targets: a 5M-arc network loads in <= 5 s and <= 1.5 GB; one plan on it in <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STATES = ("FR", "BE", "NL", "DE", "DK", "CZ", "AT", "PL", "SK", "LT", "LV", "EE")
DETOUR = {"road": 1.25, "rail": 1.3, "sea": 1.2}
RAIL_EVERY = 25
BROAD_GAUGE_FROM = 0.8  # share of the width where the broad gauge begins (as at the Polish-Lithuanian border)


def synthetic_arrays(side: int, seed: int = 14):
    """The columns of the synthetic network (``NetworkArrays``), built with numpy only."""
    from accord.mobility.engine.geo import great_circle_km_array
    from accord.mobility.engine.netarrays import NetworkArrays, StringColumn, sort_order
    from accord.mobility.engine.network import MODE_CODE, NODE_KINDS

    rng = np.random.default_rng(seed)
    n = side * side
    rows, cols = np.divmod(np.arange(n), side)
    lat = 43.0 + rows * (17.0 / side)
    lon = -5.0 + cols * (33.0 / side)
    state = np.minimum(cols * len(STATES) // side, len(STATES) - 1)
    kind = np.full(n, NODE_KINDS.index("junction"), dtype=np.int8)
    kind[(rows % 50 == 0) & (cols % 50 == 0)] = NODE_KINDS.index("city")
    kind[(rows % 200 == 100) & (cols % 200 == 100)] = NODE_KINDS.index("garrison")
    rail_row = rows % RAIL_EVERY == RAIL_EVERY // 2
    break_col = int(side * BROAD_GAUGE_FROM)
    rail_terminal = rail_row & ((cols % 40 == 0) | (cols == break_col))
    gauge_transfer = rail_row & (cols == break_col)
    port = (rows == 0) & (cols % 100 == 0)
    kind[rail_terminal] = NODE_KINDS.index("rail_terminal")
    kind[gauge_transfer] = NODE_KINDS.index("gauge_transfer")
    kind[port] = NODE_KINDS.index("port")

    idx = np.arange(n).reshape(side, side)
    road_a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    road_b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    rail_rows = idx[RAIL_EVERY // 2 :: RAIL_EVERY]
    rail_a, rail_b = rail_rows[:, :-1].ravel(), rail_rows[:, 1:].ravel()
    ports = np.nonzero(port)[0]
    sea_a, sea_b = ports[:-1], ports[1:]
    a = np.concatenate([road_a, rail_a, sea_a]).astype(np.int32)
    b = np.concatenate([road_b, rail_b, sea_b]).astype(np.int32)
    m = len(a)
    mode = np.concatenate(
        [
            np.full(len(road_a), MODE_CODE["road"]),
            np.full(len(rail_a), MODE_CODE["rail"]),
            np.full(len(sea_a), MODE_CODE["sea"]),
        ]
    ).astype(np.int8)
    road = mode == MODE_CODE["road"]
    gc = great_circle_km_array(lat[a], lon[a], lat[b], lon[b])
    length = np.round(gc * rng.uniform(1.05, 1.4, m), 3)
    computed = road & (rng.random(m) < 0.10)
    length[computed] = np.nan
    gc[~computed] = np.nan
    road_class = np.where(road, rng.choice(np.array([1, 2, 2, 2, 2, 2, 2, 3, 3, 3], dtype=np.int8), m), 0)
    gauge = np.where(mode == MODE_CODE["rail"], np.where(cols[a] >= break_col, 1520, 1435), 0).astype(np.int32)

    def limited(share, values):
        out = np.full(m, np.nan)
        chosen = road & (rng.random(m) < share)
        out[chosen] = rng.choice(np.array(values, dtype=float), int(chosen.sum()))
        return out

    mlc = limited(0.04, [30, 40, 50, 60, 70, 80, 100])
    edge_id = StringColumn.from_strings((f"s{i}" for i in range(m)), dictionary=False)
    node_id = StringColumn.from_strings(
        (f"g{r}-{c}" for r, c in zip(rows.tolist(), cols.tolist(), strict=True)), dictionary=False
    )
    repeated = StringColumn.from_strings

    def constant(value, count):
        return repeated([value] * count, dictionary=True)

    return NetworkArrays(
        node_id=node_id,
        node_name=StringColumn.from_strings(
            (f"Grid {r}/{c}" for r, c in zip(rows.tolist(), cols.tolist(), strict=True))
        ),
        node_country=repeated([STATES[s] for s in state.tolist()], dictionary=True),
        node_lat=lat,
        node_lon=lon,
        node_kind=kind,
        node_rail_terminal=rail_terminal,
        node_port=port,
        node_gauge_transfer=gauge_transfer,
        node_tunnel_terminal=np.zeros(n, dtype=bool),
        node_source_title=constant("synthetic benchmark grid", n),
        node_source_url=constant("", n),
        node_note=constant("", n),
        node_order=sort_order(node_id),
        edge_id=edge_id,
        edge_mode=mode,
        edge_a=a,
        edge_b=b,
        edge_length_km=length,
        edge_great_circle_km=gc,
        edge_road_class=road_class.astype(np.int8),
        edge_gauge=gauge,
        edge_mlc_tracked=mlc,
        edge_mlc_wheeled=mlc.copy(),
        edge_max_height=limited(0.015, [3.5, 3.8, 4.0, 4.2, 4.5, 4.8]),
        edge_max_weight=limited(0.01, [30, 40, 60]),
        edge_max_width=limited(0.005, [2.8, 3.0, 3.5]),
        edge_max_axle=limited(0.005, [10.0, 11.5]),
        edge_name=repeated([f"road {i // 1000}" for i in range(m)]),
        edge_source_title=constant("synthetic benchmark grid", m),
        edge_source_url=constant("", m),
        edge_note=constant("", m),
        edge_order=sort_order(edge_id),
    )


def write_csv(arrays, directory: Path) -> None:
    """The same network as ``nodes.csv`` and ``edges.csv`` (what the old loader reads)."""
    import polars as pl

    from accord.mobility.engine.network import MODES, NODE_KINDS, ROAD_CLASS_CODES

    def text(col):
        return pl.Series(list(col), dtype=pl.String)

    def yes(values):
        return np.where(values, "yes", "no")

    def num(values):
        return pl.Series(values, dtype=pl.Float64).fill_nan(None)

    ids = text(arrays.node_id)
    pl.DataFrame(
        {
            "id": ids,
            "name": text(arrays.node_name),
            "country": text(arrays.node_country),
            "lat": arrays.node_lat,
            "lon": arrays.node_lon,
            "kind": np.array(NODE_KINDS)[arrays.node_kind],
            "rail_terminal": yes(arrays.node_rail_terminal),
            "port": yes(arrays.node_port),
            "gauge_transfer": yes(arrays.node_gauge_transfer),
            "tunnel_terminal": yes(arrays.node_tunnel_terminal),
            "source_title": text(arrays.node_source_title),
            "source_url": text(arrays.node_source_url),
            "note": text(arrays.node_note),
        }
    ).write_csv(directory / "nodes.csv")
    pl.DataFrame(
        {
            "id": text(arrays.edge_id),
            "mode": np.array(MODES)[arrays.edge_mode],
            "from": ids.gather(arrays.edge_a),
            "to": ids.gather(arrays.edge_b),
            "length_km": num(arrays.edge_length_km),
            "road_class": np.array(ROAD_CLASS_CODES)[arrays.edge_road_class],
            "gauge_mm": pl.Series(arrays.edge_gauge).replace(0, None),
            "mlc_tracked": num(arrays.edge_mlc_tracked),
            "mlc_wheeled": num(arrays.edge_mlc_wheeled),
            "max_height_m": num(arrays.edge_max_height),
            "max_weight_t": num(arrays.edge_max_weight),
            "name": text(arrays.edge_name),
            "source_title": text(arrays.edge_source_title),
            "source_url": text(arrays.edge_source_url),
            "note": text(arrays.edge_note),
            "max_width_m": num(arrays.edge_max_width),
            "max_axle_load_t": num(arrays.edge_max_axle),
        }
    ).write_csv(directory / "edges.csv")


def build(side: int, workdir: Path) -> Path:
    """Write the network once for this size: CSV files, then the arrays (with the routing structure)."""
    from accord.mobility.engine.netarrays import read_manifest
    from accord.mobility.engine.network import Network, load_network

    directory = workdir / f"grid-{side}"
    if read_manifest(directory) is not None and (directory / "edges.csv").is_file():
        if not (directory / "arrays" / "routing" / "base.json").is_file():
            load_network(directory, detour=DETOUR).save(directory)  # arrays written before the routing structure
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    arrays = synthetic_arrays(side)
    write_csv(arrays, directory)
    (directory / "VERSION").write_text(f"synthetic-grid-{side}\n", encoding="utf-8")
    Network(arrays=arrays, version=f"synthetic-grid-{side}", detour=DETOUR).save(directory)
    print(f"built {directory} in {time.perf_counter() - t:.1f} s")
    return directory


def peak_rss_mib() -> float:
    """Peak resident memory of this process (VmHWM: getrusage's ru_maxrss can carry the parent's peak over exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_old(directory: Path) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    import legacy_network

    start_rss = peak_rss_mib()
    t, cpu = time.perf_counter(), cpu_s()
    net = legacy_network.load_network(directory, detour=DETOUR)
    return {
        "load_s": time.perf_counter() - t,
        "load_cpu_s": cpu_s() - cpu,
        "peak_rss_mib": peak_rss_mib(),
        "rss_before_mib": start_rss,
        "nodes": len(net.nodes),
        "arcs": 2 * len(net.edges),
    }


def child_new(directory: Path, side: int) -> dict:
    import scipy.sparse.csgraph  # noqa: F401  (imported before measuring, as in the old child)

    from accord.mobility.engine import routing
    from accord.mobility.engine.network import load_network
    from accord.mobility.engine.planner import PlanRequest, plan

    start_rss = peak_rss_mib()
    t, cpu = time.perf_counter(), cpu_s()
    net = load_network(directory, detour=DETOUR)
    out = {
        "load_s": time.perf_counter() - t,
        "load_cpu_s": cpu_s() - cpu,
        "load_peak_rss_mib": peak_rss_mib(),
        "rss_before_mib": start_rss,
    }
    out["nodes"], out["arcs"] = len(net.nodes), 2 * len(net.edges)
    mid = side // 2 + 3
    origin, destination = f"g{mid}-5", f"g{mid}-{side - 6}"
    day = dt.date(2027, 3, 1)
    runs = (
        ("plan_cold_s", PlanRequest(origin, destination, day, "Boxer:20", mode="road")),
        (
            "plan_other_class_s",
            PlanRequest(origin, destination, day, "Leopard 2A7:14", mode="road", requesting_state="DE"),
        ),
        ("plan_warm_s", PlanRequest(origin, destination, day, "Boxer:20", mode="road")),
        ("plan_regional_s", PlanRequest(origin, f"g{mid + 2}-40", day, "Boxer:20", mode="road")),
    )
    for label, request in runs:
        t, cpu = time.perf_counter(), cpu_s()
        result = plan(request, network=net)
        out[label] = time.perf_counter() - t
        out[label.replace("_s", "_cpu_s")] = cpu_s() - cpu
        out[label.replace("_s", "_km")] = result["packets"][0]["distance_km"]
    graphs = [g for k, g in net.cache.items() if k != "base"]
    # Where a warm plan's time goes: the routing (one search; the four candidates) vs the planner's scheduling.
    t = time.perf_counter()
    routing.shortest_route(net, graphs[0], origin, destination)
    out["one_search_s"] = time.perf_counter() - t
    t = time.perf_counter()
    routes = routing.candidate_routes(net, graphs[0], origin, destination, 4)
    out["candidates_s"] = time.perf_counter() - t
    out["legs"] = sum(1 for step in routes[0] if step.kind == "leg")
    out["graphs_cached"] = len(graphs)
    out["graphs_share_indices"] = all(
        np.shares_memory(g.matrix.indices, graphs[0].matrix.indices)
        and np.shares_memory(g.matrix.indptr, graphs[0].matrix.indptr)
        for g in graphs
    )
    out["peak_rss_mib"] = peak_rss_mib()
    return out


def run_child(kind: str, directory: Path, side: int) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--side", str(side), "--workdir", str(directory.parent)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=1110, help="grid side (1110: 5.02 million arcs)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-bench-network"))
    parser.add_argument("--skip-old", action="store_true", help="do not run the old loader (it needs ~5 GB)")
    parser.add_argument("--child", choices=("old", "new"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    directory = args.workdir / f"grid-{args.side}"
    if args.child:
        result = child_old(directory) if args.child == "old" else child_new(directory, args.side)
        print(json.dumps(result))
        return
    directory = build(args.side, args.workdir)
    print(f"== Network of {args.side} x {args.side} nodes (subprocess per loader; peak RSS includes Python)")
    new = run_child("new", directory, args.side)
    old = {"load_s": math.nan, "peak_rss_mib": math.nan} if args.skip_old else run_child("old", directory, args.side)
    for name, r in (("old: CSV -> objects (b36a11e)", old), ("new: arrays/ memory-mapped", new)):
        if args.skip_old and r is old:
            print(f"{name:34} skipped (--skip-old)")
            continue
        if "error" in r:
            print(f"{name:34} failed: {r['error']}")
            continue
        rss = r.get("load_peak_rss_mib", r["peak_rss_mib"])
        print(
            f"{name:34} load {r['load_s']:8.2f} s ({r.get('load_cpu_s', math.nan):.2f} s CPU)   "
            f"peak RSS {rss:8.0f} MiB   ({r.get('arcs', '?')} arcs)"
        )
    if "error" not in new:
        print("plans (wall s, CPU s; the machine is shared, so CPU time is what the plan itself costs):")
        for label, what in (
            ("plan_cold", f"road, Boxer x20, {new['plan_cold_km']:.0f} km, cold (this class's weights built)"),
            ("plan_other_class", "same, Leopard 2A7 on transporters (a second weight array)"),
            ("plan_warm", "same as the first, warm (graph cached)"),
            ("plan_regional", f"regional, {new['plan_regional_km']:.0f} km, warm"),
        ):
            print(f"  {what:64} {new[label + '_s']:6.2f} s {new[label + '_cpu_s']:6.2f} s CPU")
        print(
            f"routing alone: one search {new['one_search_s']:.2f} s, the four candidates {new['candidates_s']:.2f} s; "
            f"the rest of a warm plan is the planner scheduling {new['legs']} legs per candidate"
        )
        print(
            f"graphs cached: {new['graphs_cached']}, sharing one index structure: {new['graphs_share_indices']}; "
            f"peak RSS after the plans: {new['peak_rss_mib']:.0f} MiB"
        )
        if "error" not in old and not args.skip_old:
            print(f"load speed-up: {old['load_s'] / new['load_s']:.0f}x")


if __name__ == "__main__":
    main()
