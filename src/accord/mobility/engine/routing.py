"""Fast shortest paths on a layered, per-vehicle-class filtered graph.

Each network node has one vertex per layer: ``road`` and one ``rail:<gauge>``
layer per rail gauge. Road, sea and tunnel edges connect road vertices (a sea
or tunnel edge includes its port calls or terminal times at both ends, so two
sailings never chain without a port call); rail edges connect vertices of
their gauge's layer. Transfers connect layers of one node where the node
allows it (railhead: road <-> rail; gauge-transfer point: rail <-> rail of
another gauge). A gauge break can therefore only be crossed at a transfer
point, and every transfer costs its handling time. Weights are hours; the CSR matrix of a vehicle class is
built once and cached on the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .carriage import Movement, Relaxation, edge_carriage
from .geo import great_circle_km_array
from .network import Network
from .rules import PlanningRules

ROUTE_MODES = ("road", "rail", "any")
TRANSFER_LOAD_RAIL = "load/unload train"
TRANSFER_GAUGE = "gauge transfer"
TRANSFER_PORT = "port call (load/unload ship)"
TRANSFER_TUNNEL = "tunnel terminal"


@dataclass(frozen=True)
class Step:
    """One element of a route: a leg along an edge, or a transfer at a node."""

    kind: str  # "leg" | "transfer"
    node_from: str
    node_to: str
    hours: float
    edge: int | None = None  # index into network.edges for legs
    mode: str | None = None
    carriage: str | None = None
    transfer: str | None = None


@dataclass
class LayeredGraph:
    matrix: csr_matrix
    layers: list[str]
    n_nodes: int
    arc: dict  # (u, v) -> (edge index or -1, carriage or transfer label, hours)
    end_hours: dict  # mode -> handling hours at each end (sea: port call, tunnel: terminal)


def layers_of(network: Network) -> list[str]:
    return ["road"] + [f"rail:{g}" for g in network.gauges()]


def end_handling_hours(mode: str, rules: PlanningRules) -> float:
    """Handling at each end of a sea leg (port call) or tunnel leg (terminal)."""
    return {"sea": rules.port_handling_h, "tunnel": rules.tunnel_terminal_h}.get(mode, 0.0)


def road_time_factor(rules: PlanningRules, driving_limits: bool) -> float:
    """Hours of elapsed time per hour of driving: a day of driving and its rest (Reg. 561/2006 figures),
    or under a waiver the emergency driving period and its minimum crew rest."""
    if driving_limits:
        return 24.0 / rules.daily_driving_limit_h
    return (rules.emergency_max_driving_h + rules.emergency_min_rest_h) / rules.emergency_max_driving_h


def edge_hours(network: Network, rules: PlanningRules, driving_limits: bool) -> np.ndarray:
    """Elapsed hours for the lead vehicle on each edge (used as routing weight)."""
    mode = network.edge_mode
    hours = np.zeros(len(mode), dtype=float)
    length = network.edge_length
    road = mode == "road"
    speeds = np.array(
        [rules.speed_kmh.get(c, rules.speed_kmh["rural"]) for c in network.edge_road_class[road]], dtype=float
    )
    hours[road] = length[road] / speeds * road_time_factor(rules, driving_limits)
    rail = mode == "rail"
    hours[rail] = length[rail] / (rules.rail_km_per_day / 24.0)
    hours[mode == "sea"] = length[mode == "sea"] / rules.sea_speed_kmh
    hours[mode == "tunnel"] = length[mode == "tunnel"] / rules.tunnel_speed_kmh
    return hours


def routing_hours(network: Network, rules: PlanningRules, driving_limits: bool) -> np.ndarray:
    """Edge hours plus the port calls or terminal times at both ends."""
    mode = network.edge_mode
    hours = edge_hours(network, rules, driving_limits)
    hours[mode == "sea"] += 2 * rules.port_handling_h
    hours[mode == "tunnel"] += 2 * rules.tunnel_terminal_h
    return hours


GRAPH_CACHE_SIZE = 256  # graphs kept per network (a graph of the shipped network is ~100 kB)


def build_graph(
    network: Network,
    movement: Movement,
    rules: PlanningRules,
    route_mode: str,
    driving_limits: bool = True,
    relax: Relaxation = Relaxation(),
    ends: tuple[str, str] | None = None,
    avoid: frozenset[str] = frozenset(),
    allow_sea: bool = True,
    closed: frozenset[int] = frozenset(),
) -> LayeredGraph:
    """The filtered graph of one vehicle class (cached).

    In a rail-only plan, road legs serve only to reach the first railhead or
    port from the origin and to leave the last one for the destination:
    a road edge is kept when it is short (``rail_mode_road_access_km``) and
    either touches a port or lies within that distance of ``ends``. A rail-only
    plan never sails unless ``allow_sea``; with it, it may reach a port by road
    and sail. Edges touching a state in ``avoid`` are left out (a re-plan
    after that state refused).
    """
    rail_ends = ends if route_mode == "rail" else None
    key = (
        "graph",
        movement,
        rules.key(),
        route_mode,
        driving_limits,
        relax,
        rail_ends,
        frozenset(avoid),
        allow_sea,
        frozenset(closed),
    )
    cached = network.cache.get(key)
    if cached is not None:
        return cached
    if len(network.cache) >= GRAPH_CACHE_SIZE:
        network.cache.clear()
    layers = layers_of(network)
    layer_index = {name: i for i, name in enumerate(layers)}
    n = len(network.nodes)
    carriage = edge_carriage(network, movement, rules, relax)
    hours = routing_hours(network, rules, driving_limits)
    allowed = carriage != ""
    mode = network.edge_mode
    if route_mode == "road":
        allowed &= mode != "rail"
    elif route_mode == "rail":
        allowed &= (mode != "tunnel") & ((mode != "road") | _rail_access_roads(network, rules, rail_ends, allow_sea))
    if not allow_sea:
        allowed &= mode != "sea"
    if closed:
        allowed[list(closed)] = False
    if avoid:
        country = np.array([n.country for n in network.nodes], dtype=object)
        banned = np.isin(country, list(avoid))
        allowed &= ~(banned[network.edge_a] | banned[network.edge_b])
    edge_layer = np.array(
        [layer_index[f"rail:{g}"] if m == "rail" else 0 for m, g in zip(mode, network.edge_gauge, strict=False)],
        dtype=np.int64,
    )
    idx = np.nonzero(allowed)[0]
    u = edge_layer[idx] * n + network.edge_a[idx]
    v = edge_layer[idx] * n + network.edge_b[idx]
    # Undirected edges: both directions.
    src = [u, v]
    dst = [v, u]
    w = [hours[idx], hours[idx]]
    ref = [idx, idx]
    labels: list[np.ndarray] = [carriage[idx], carriage[idx]]
    loading_at = _nearest_railheads(network, rail_ends) if rail_ends else None
    t_src, t_dst, t_w, t_label = _transfers(network, layers, layer_index, rules, route_mode, loading_at)
    src.append(t_src)
    dst.append(t_dst)
    w.append(t_w)
    ref.append(np.full(len(t_src), -1, dtype=np.int64))
    labels.append(t_label)
    src_a = np.concatenate(src)
    dst_a = np.concatenate(dst)
    w_a = np.maximum(np.concatenate(w), 1e-9)
    ref_a = np.concatenate(ref)
    lab_a = np.concatenate(labels)
    # Keep the quickest arc between two vertices (csr_matrix would sum duplicates).
    order = np.lexsort((w_a, dst_a, src_a))
    src_a, dst_a, w_a, ref_a, lab_a = src_a[order], dst_a[order], w_a[order], ref_a[order], lab_a[order]
    first = np.ones(len(src_a), dtype=bool)
    first[1:] = (src_a[1:] != src_a[:-1]) | (dst_a[1:] != dst_a[:-1])
    src_a, dst_a, w_a, ref_a, lab_a = src_a[first], dst_a[first], w_a[first], ref_a[first], lab_a[first]
    size = n * len(layers)
    matrix = csr_matrix((w_a, (src_a, dst_a)), shape=(size, size))
    arc = {
        (int(a), int(b)): (int(r), str(lbl), float(h))
        for a, b, r, lbl, h in zip(src_a, dst_a, ref_a, lab_a, w_a, strict=False)
    }
    graph = LayeredGraph(
        matrix=matrix,
        layers=layers,
        n_nodes=n,
        arc=arc,
        end_hours={m: end_handling_hours(m, rules) for m in ("sea", "tunnel")},
    )
    network.cache[key] = graph
    return graph


def _rail_access_roads(
    network: Network, rules: PlanningRules, ends: tuple[str, str] | None, allow_sea: bool = True
) -> np.ndarray:
    limit = rules.rail_mode_road_access_km
    short = network.edge_length <= limit
    port = np.array([n.port for n in network.nodes], dtype=bool)
    touches_port = (port[network.edge_a] | port[network.edge_b]) if allow_sea else np.zeros(len(short), dtype=bool)
    if not ends:
        return short & touches_port
    lat = np.array([n.lat for n in network.nodes])
    lon = np.array([n.lon for n in network.nodes])
    near = np.zeros(len(network.nodes), dtype=bool)
    for node_id in ends:
        i = network.index[node_id]
        near |= great_circle_km_array(lat[i], lon[i], lat, lon) <= limit
    return short & (touches_port | (near[network.edge_a] & near[network.edge_b]))


def _nearest_railheads(network: Network, ends: tuple[str, str]) -> set[int]:
    """In a rail-only plan the force entrains at the railhead nearest its origin (Tidworth: Ludgershall)
    and detrains at the one nearest its destination, as movement staffs plan it; not at a yard further
    down the line that a faster road leg happens to reach."""
    rail_nodes = set(network.edge_a[network.edge_mode == "rail"]) | set(network.edge_b[network.edge_mode == "rail"])
    heads = [i for i in sorted(rail_nodes) if network.nodes[i].rail_terminal]
    if not heads:
        return set()
    lat = np.array([network.nodes[i].lat for i in heads])
    lon = np.array([network.nodes[i].lon for i in heads])
    out = set()
    for node_id in ends:
        end = network.node(node_id)
        out.add(heads[int(np.argmin(great_circle_km_array(end.lat, end.lon, lat, lon)))])
    return out


def _transfers(
    network: Network, layers, layer_index, rules: PlanningRules, route_mode: str, loading_at: set[int] | None = None
):
    """Arcs between layers of one node, with their handling time (both directions).

    ``loading_at``: the only nodes where road and rail meet (rail-only plans); None: every railhead.
    """
    n = len(network.nodes)
    src, dst, hours, label = [], [], [], []

    def add(node: int, la: str, lb: str, h: float, what: str) -> None:
        for x, y in ((la, lb), (lb, la)):
            src.append(layer_index[x] * n + node)
            dst.append(layer_index[y] * n + node)
            hours.append(h)
            label.append(what)

    gauges_at: dict[int, set[str]] = {}
    for a, b, m, g in zip(network.edge_a, network.edge_b, network.edge_mode, network.edge_gauge, strict=False):
        if m == "rail":
            gauges_at.setdefault(int(a), set()).add(f"rail:{g}")
            gauges_at.setdefault(int(b), set()).add(f"rail:{g}")
    for i, node in enumerate(network.nodes):
        here = sorted(gauges_at.get(i, ()))
        if node.rail_terminal and route_mode != "road" and (loading_at is None or i in loading_at):
            for layer in here:
                add(i, "road", layer, rules.rail_loading_h, TRANSFER_LOAD_RAIL)
        if node.gauge_transfer and route_mode != "road":
            for x in range(len(here)):
                for y in range(x + 1, len(here)):
                    add(i, here[x], here[y], rules.gauge_transfer_h, TRANSFER_GAUGE)
    return (
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(hours, dtype=float),
        np.array(label, dtype=object),
    )


def shortest_route(network: Network, graph: LayeredGraph, origin: str, destination: str) -> list[Step] | None:
    """Quickest route from origin to destination, both on the road layer; None when unreachable.

    Sea and tunnel legs come with a transfer step (port call, terminal) at each end.
    """
    vertices = _path(graph.matrix, network.index[origin], network.index[destination])
    return None if vertices is None else _steps(network, graph, vertices)


def _path(matrix, s: int, t: int) -> list[int] | None:
    dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return None
    vertices = [t]
    while vertices[-1] != s:
        vertices.append(int(pred[vertices[-1]]))
    vertices.reverse()
    return vertices


def _steps(network: Network, graph: LayeredGraph, vertices: list[int]) -> list[Step]:
    n = graph.n_nodes
    steps: list[Step] = []
    for a, b in zip(vertices, vertices[1:], strict=False):
        ref, label, hours = graph.arc[(a, b)]
        na, nb = network.nodes[a % n].id, network.nodes[b % n].id
        if ref >= 0:
            mode = network.edges[ref].mode
            handling = TRANSFER_PORT if mode == "sea" else TRANSFER_TUNNEL if mode == "tunnel" else None
            end_h = graph.end_hours.get(mode, 0.0)
            if handling:
                steps.append(Step("transfer", na, na, end_h, transfer=handling))
            steps.append(Step("leg", na, nb, hours - 2 * end_h, edge=ref, mode=mode, carriage=label))
            if handling:
                steps.append(Step("transfer", nb, nb, end_h, transfer=handling))
        else:
            steps.append(Step("transfer", na, nb, hours, transfer=label))
    return steps


def candidate_routes(
    network: Network, graph: LayeredGraph, origin: str, destination: str, count: int
) -> list[list[Step]]:
    """Up to ``count`` distinct routes: the quickest, then routes found by making the arcs already used dearer.

    The routing weights approximate elapsed time (driving days, sailings, port
    calls, transfers); the planner then schedules each candidate with its rests
    and loading and keeps the earliest arrival. Penalising used arcs (x3) makes
    the next search prefer other crossings, ports or gauges.
    """
    s, t = network.index[origin], network.index[destination]
    path = _path(graph.matrix, s, t)
    if path is None:
        return []
    routes = [_steps(network, graph, path)]
    seen = {tuple(path)}
    if count <= 1:
        return routes
    matrix = graph.matrix.copy()
    matrix.sort_indices()
    for _ in range(count * 2):
        if len(routes) >= count:
            break
        for a, b in zip(path, path[1:], strict=False):  # penalise in place: the arc's slot in the CSR data
            start, end = matrix.indptr[a], matrix.indptr[a + 1]
            matrix.data[start + np.searchsorted(matrix.indices[start:end], b)] *= 3.0
        path = _path(matrix, s, t)
        if path is None:
            break
        if tuple(path) not in seen:
            seen.add(tuple(path))
            routes.append(_steps(network, graph, path))
    return routes
