"""Benchmark of the mobility planner (public tools only: time, tracemalloc, resource).

1. Median time of a whole plan on the shipped network, in-process (process
   start and the first, graph-building call excluded; the cold call is shown),
   side by side: the baseline plans one route (the quickest by routing
   weights); the planner schedules up to four candidate routes and keeps the
   earliest arrival (issue 13). The arrival gained is shown.
2. A constrained shortest path (vehicle MLC 70: edges below MLC 70 filtered
   out) on a generated graph of 1,000,000 directed edges: scipy.sparse.csgraph
   on a filtered CSR matrix vs networkx's Dijkstra with the same filter as a
   weight function, side by side in one run, same source and target, and the
   same path length checked.

Run: .venv/bin/python benchmarks/mobility.py [--quick]
Targets (2-core machine): <= 5 ms per plan, <= 200 ms per constrained path,
>= 10x faster than networkx.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
import tracemalloc

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from accord.mobility.engine import planner
from accord.mobility.engine.planner import PlanRequest, plan

PLANS = [
    PlanRequest("tidworth", "tapa", dt.date(2027, 3, 1), "Challenger 3:14,MAN HX60:40", filed_on=dt.date(2027, 1, 10)),
    PlanRequest("tidworth", "tapa", dt.date(2027, 3, 1), "Challenger 3:14", mode="road"),
    PlanRequest("zagan", "vilnius", dt.date(2027, 3, 1), "Leopard 2A7:14", mode="rail", requesting_state="PL"),
    PlanRequest("catterick", "constanta", dt.date(2027, 6, 1), "Boxer:30,Foxhound:12", regime="proposed-2025"),
]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_plans(repeat: int) -> None:
    print("== Plans on the shipped network (in-process): one route (baseline) vs best of the candidates")
    print(f"{'request':52} {'variant':10} {'cold ms':>8} {'median ms':>10} {'peak MiB':>9} {'arrival':>24}")
    for req in PLANS:
        label = f"{req.origin}->{req.destination} {req.vehicles} mode={req.mode}"
        arrivals = {}
        for variant, alternatives in (("baseline", -1), ("planner", planner.ALTERNATIVES)):
            saved = planner.ALTERNATIVES
            planner.ALTERNATIVES = alternatives  # -1: one candidate, the quickest by routing weights
            try:
                t = time.perf_counter()
                result = plan(req)
                cold = (time.perf_counter() - t) * 1000
                med = median_ms(lambda req=req: plan(req), repeat)
                mem = peak_mib(lambda req=req: plan(req))
            finally:
                planner.ALTERNATIVES = saved
            arrivals[variant] = dt.datetime.fromisoformat(result["arrival"])
            print(f"{label[:52]:52} {variant:10} {cold:8.1f} {med:10.2f} {mem:9.2f} {result['arrival']:>24}")
        gained = (arrivals["baseline"] - arrivals["planner"]).total_seconds() / 3600
        print(f"{'':52} arrival gained by choosing on scheduled arrival: {gained:.1f} h")


def grid_graph(side: int, extra: int, seed: int = 7):
    """A side x side grid (4-neighbour, both directions) plus ``extra`` random diagonal arcs; MLC and length per arc.

    Extra arcs are local (to the diagonal neighbour), so a corner-to-corner path
    crosses the whole grid: no teleporting shortcuts.
    """
    rng = np.random.default_rng(seed)
    idx = np.arange(side * side).reshape(side, side)
    right = (idx[:, :-1].ravel(), idx[:, 1:].ravel())
    down = (idx[:-1, :].ravel(), idx[1:, :].ravel())
    diag = idx[:-1, :-1].ravel()
    chosen = rng.choice(diag, size=min(extra, len(diag)), replace=False)
    src = np.concatenate([right[0], right[1], down[0], down[1], chosen])
    dst = np.concatenate([right[1], right[0], down[1], down[0], chosen + side + 1])
    keep = src != dst
    src, dst = src[keep], dst[keep]
    length = rng.uniform(1.0, 10.0, len(src))
    mlc = rng.choice(np.array([40, 50, 80, 80, 100, 100, 120, 120]), len(src))
    return side * side, src, dst, length, mlc


def scipy_filtered_matrix(n, src, dst, length, mlc, vehicle_mlc):
    keep = mlc >= vehicle_mlc  # STANAG 2021: a vehicle crosses only bridges of its class or more
    return csr_matrix((length[keep], (src[keep], dst[keep])), shape=(n, n))


def scipy_path(matrix, s, t):
    dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True)
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    return dist[t], path[::-1]


def bench_large(side: int, extra: int, nx_repeat: int, sp_repeat: int) -> None:
    n, src, dst, length, mlc = grid_graph(side, extra)
    edges = len(src)
    print(f"\n== Constrained shortest path, generated graph: {n:,} nodes, {edges:,} directed edges, vehicle MLC 70")
    s, t = 0, n - 1
    t0 = time.perf_counter()
    matrix = scipy_filtered_matrix(n, src, dst, length, mlc, 70)
    build_ms = (time.perf_counter() - t0) * 1000
    sp_query = median_ms(lambda: scipy_path(matrix, s, t), sp_repeat)
    sp_total = median_ms(lambda: scipy_path(scipy_filtered_matrix(n, src, dst, length, mlc, 70), s, t), sp_repeat)
    sp_dist, sp_nodes = scipy_path(matrix, s, t)
    sp_mem = peak_mib(lambda: scipy_path(scipy_filtered_matrix(n, src, dst, length, mlc, 70), s, t))

    t0 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_edges_from(
        (int(a), int(b), {"length": float(w), "mlc": int(m)}) for a, b, w, m in zip(src, dst, length, mlc, strict=False)
    )
    nx_build_ms = (time.perf_counter() - t0) * 1000

    def weight(u, v, data):
        return data["length"] if data["mlc"] >= 70 else None  # None hides the arc from networkx's Dijkstra

    nx_query = median_ms(lambda graph=graph: nx.single_source_dijkstra(graph, s, t, weight=weight), nx_repeat)
    nx_dist, nx_nodes = nx.single_source_dijkstra(graph, s, t, weight=weight)
    assert abs(nx_dist - sp_dist) < 1e-6 * max(1.0, sp_dist), (nx_dist, sp_dist)
    del graph
    print(f"{'method':52} {'median ms':>10}")
    print(f"{'scipy: filter + CSR build (once per vehicle class)':52} {build_ms:10.1f}")
    print(f"{'scipy: path on the cached filtered CSR':52} {sp_query:10.1f}")
    print(f"{'scipy: filter + build + path':52} {sp_total:10.1f}")
    print(f"{'networkx: DiGraph build (not counted)':52} {nx_build_ms:10.1f}")
    print(f"{'networkx: single_source_dijkstra with MLC filter':52} {nx_query:10.1f}")
    print(f"same path length: {sp_dist:.3f} ({len(sp_nodes)} nodes) = networkx {nx_dist:.3f} ({len(nx_nodes)} nodes)")
    print(
        f"speed-up, path on cached CSR vs networkx: {nx_query / sp_query:.1f}x; "
        f"including filter and build: {nx_query / sp_total:.1f}x"
    )
    print(f"scipy peak traced memory (filter + build + path): {sp_mem:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller graph and fewer repeats (smoke run)")
    args = parser.parse_args()
    if args.quick:
        bench_plans(repeat=20)
        bench_large(side=100, extra=400, nx_repeat=1, sp_repeat=3)
    else:
        bench_plans(repeat=200)
        bench_large(side=500, extra=2_000, nx_repeat=3, sp_repeat=7)
    print(f"\nprocess peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
