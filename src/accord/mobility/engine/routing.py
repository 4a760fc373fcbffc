"""Fast shortest paths on a layered, per-vehicle-class filtered graph.

Each network node has one vertex per layer: ``road`` and one ``rail:<gauge>``
layer per rail gauge. Road, sea and tunnel edges connect road vertices (a sea
or tunnel edge includes its port calls or terminal times at both ends, so two
sailings never chain without a port call); rail edges connect vertices of
their gauge's layer. Transfers connect layers of one node where the node
allows it (railhead: road <-> rail; gauge-transfer point: rail <-> rail of
another gauge). A gauge break can therefore only be crossed at a transfer
point, and every transfer costs its handling time. Weights are hours.

The arcs of the network are laid out once in a CSR structure (``BaseGraph``) shared by every vehicle
class: a class is a weight array over it (``inf`` where the class may not go), built once and cached on
the network; the index arrays are never copied (issue 14, item 7; docs/decisions/0004-network-arrays.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .arcs import BaseGraph
from .carriage import Movement, Relaxation, edge_carriage
from .geo import great_circle_km_array
from .network import MODE_CODE, MODES, ROAD_CLASS_CODES, Network
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


TRANSFER_LABELS = (TRANSFER_LOAD_RAIL, TRANSFER_GAUGE)


class ArcTable(Mapping):
    """``(tail, head) -> (edge index or -1, carriage or transfer label, hours)``: the arc a route uses between two
    vertices (the quickest one the class may use), read from the arrays instead of a dict per arc."""

    def __init__(self, graph: LayeredGraph) -> None:
        self.graph = graph

    def __getitem__(self, key):
        a, b = key
        g = self.graph
        pos = g.arc_position(int(a), int(b))
        if pos < 0:
            raise KeyError(key)
        edge = int(g.base.arc_edge[pos])
        hours = float(g.matrix.data[pos]) if g.weights is None else float(g.weights[pos])
        if edge >= 0:
            return edge, str(g.carriage[edge]), hours
        kind = int(g.base.transfer_kind[np.searchsorted(g.base.transfer_pos, pos)])
        return -1, TRANSFER_LABELS[kind], hours

    def __iter__(self):
        g = self.graph
        rows = np.repeat(np.arange(g.base.n_vertices), np.diff(g.base.indptr))
        for pos in np.nonzero(np.isfinite(g.weights))[0]:
            yield int(rows[pos]), int(g.base.indices[pos])

    def __len__(self) -> int:
        return int(np.isfinite(self.graph.weights).sum())


@dataclass
class LayeredGraph:
    """One vehicle class's graph: the shared structure and this class's weights (hours; ``inf`` = not allowed)."""

    matrix: csr_matrix
    layers: list[str]
    n_nodes: int
    end_hours: dict  # mode -> handling hours at each end (sea: port call, tunnel: terminal)
    base: BaseGraph = None  # type: ignore[assignment]
    weights: np.ndarray = None  # type: ignore[assignment]
    carriage: np.ndarray = None  # type: ignore[assignment]  # per edge, how the class crosses it

    @property
    def arc(self) -> ArcTable:
        return ArcTable(self)

    def arc_position(self, a: int, b: int, weights: np.ndarray | None = None) -> int:
        """CSR position of the quickest usable arc from ``a`` to ``b`` (-1: none)."""
        w = self.weights if weights is None else weights
        start, end = int(self.base.indptr[a]), int(self.base.indptr[a + 1])
        row = self.base.indices[start:end]
        lo, hi = np.searchsorted(row, b, side="left"), np.searchsorted(row, b, side="right")
        best, pos = np.inf, -1
        for p in range(start + lo, start + hi):
            if w[p] < best:
                best, pos = w[p], p
        return pos


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
    mode = network.edge_mode_code
    hours = np.zeros(len(mode), dtype=float)
    length = network.edge_length
    road = mode == MODE_CODE["road"]
    speed_of_class = np.array([rules.speed_kmh.get(c, rules.speed_kmh["rural"]) for c in ROAD_CLASS_CODES], dtype=float)
    speeds = speed_of_class[network.edge_road_class_code[road]]
    hours[road] = length[road] / speeds * road_time_factor(rules, driving_limits)
    rail = mode == MODE_CODE["rail"]
    hours[rail] = length[rail] / (rules.rail_km_per_day / 24.0)
    sea = mode == MODE_CODE["sea"]
    hours[sea] = length[sea] / rules.sea_speed_kmh
    tunnel = mode == MODE_CODE["tunnel"]
    hours[tunnel] = length[tunnel] / rules.tunnel_speed_kmh
    return hours


def routing_hours(network: Network, rules: PlanningRules, driving_limits: bool) -> np.ndarray:
    """Edge hours plus the port calls or terminal times at both ends."""
    mode = network.edge_mode_code
    hours = edge_hours(network, rules, driving_limits)
    hours[mode == MODE_CODE["sea"]] += 2 * rules.port_handling_h
    hours[mode == MODE_CODE["tunnel"]] += 2 * rules.tunnel_terminal_h
    return hours


GRAPH_CACHE_SIZE = 256  # graphs kept per network (a graph of the shipped network is ~100 kB)
# A graph costs about 12 bytes an arc (its weights) and 8 an edge (its carriage): on a network of
# millions of arcs, keep fewer graphs so that the cache stays within a few hundred MB.
GRAPH_CACHE_ARCS = 30_000_000


def base_graph(network: Network) -> BaseGraph:
    """The shared arc structure of ``network`` (``Network.arc_structure``)."""
    return network.arc_structure()


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
    """The filtered graph of one vehicle class (cached): a weight array over the network's shared arcs.

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
    base = base_graph(network)
    graphs = [k for k in list(network.cache) if k != "base"]  # list(): other threads may plan on this network
    keep = min(GRAPH_CACHE_SIZE, max(4, GRAPH_CACHE_ARCS // max(1, len(base.indices))))
    for old in graphs[: max(0, len(graphs) - keep + 1)]:  # the oldest graphs go first
        network.cache.pop(old, None)
    carriage = edge_carriage(network, movement, rules, relax)
    hours = routing_hours(network, rules, driving_limits)
    allowed = carriage != ""
    mode = network.edge_mode_code
    if route_mode == "road":
        allowed &= mode != MODE_CODE["rail"]
    elif route_mode == "rail":
        allowed &= (mode != MODE_CODE["tunnel"]) & (
            (mode != MODE_CODE["road"]) | _rail_access_roads(network, rules, rail_ends, allow_sea)
        )
    if not allow_sea:
        allowed &= mode != MODE_CODE["sea"]
    if closed:
        allowed[list(closed)] = False
    if avoid:
        banned = np.isin(np.array(network.country_values, dtype=object), list(avoid))[network.node_country_code]
        allowed &= ~(banned[network.edge_a] | banned[network.edge_b])
    weights = np.empty(len(base.indices), dtype=float)
    edge_w = np.where(allowed, np.maximum(hours, 1e-9), np.inf)
    weights[base.edge_arc_pos] = edge_w
    weights[base.edge_back_pos] = edge_w
    t_hours = np.where(base.transfer_kind == 0, rules.rail_loading_h, rules.gauge_transfer_h)
    t_ok = np.full(len(t_hours), route_mode != "road")
    if rail_ends:
        loading_at = _nearest_railheads(network, rail_ends)
        t_ok &= (base.transfer_kind != 0) | np.isin(base.transfer_node, list(loading_at))
    weights[base.transfer_pos] = np.where(t_ok, np.maximum(t_hours, 1e-9), np.inf)
    _keep_quickest_parallel_arc(base, weights)
    matrix = csr_matrix((weights, base.indices, base.indptr), shape=(base.n_vertices, base.n_vertices), copy=False)
    graph = LayeredGraph(
        matrix=matrix,
        layers=base.layers,
        n_nodes=base.n_nodes,
        end_hours={m: end_handling_hours(m, rules) for m in ("sea", "tunnel")},
        base=base,
        weights=weights,
        carriage=carriage,
    )
    network.cache[key] = graph
    return graph


def _keep_quickest_parallel_arc(base: BaseGraph, weights: np.ndarray) -> None:
    """Between two vertices keep only the quickest usable arc (the first of equals), as one arc per pair did."""
    if not len(base.multi_pos):
        return
    w = weights[base.multi_pos]
    sizes = np.diff(np.append(base.multi_starts, len(base.multi_pos)))
    group = np.repeat(np.arange(len(sizes)), sizes)
    best = np.minimum.reduceat(w, base.multi_starts)
    candidates = np.nonzero(w == best[group])[0]
    _, first = np.unique(group[candidates], return_index=True)
    keep = np.zeros(len(w), dtype=bool)
    keep[candidates[first]] = True
    weights[base.multi_pos[~keep]] = np.inf


def _rail_access_roads(
    network: Network, rules: PlanningRules, ends: tuple[str, str] | None, allow_sea: bool = True
) -> np.ndarray:
    limit = rules.rail_mode_road_access_km
    short = network.edge_length <= limit
    port = network.node_port
    touches_port = (port[network.edge_a] | port[network.edge_b]) if allow_sea else np.zeros(len(short), dtype=bool)
    if not ends:
        return short & touches_port
    lat, lon = network.node_lat, network.node_lon
    near = np.zeros(len(network.nodes), dtype=bool)
    for node_id in ends:
        i = network.index[node_id]
        near |= great_circle_km_array(lat[i], lon[i], lat, lon) <= limit
    return short & (touches_port | (near[network.edge_a] & near[network.edge_b]))


def _nearest_railheads(network: Network, ends: tuple[str, str]) -> set[int]:
    """In a rail-only plan the force entrains at the railhead nearest its origin (Tidworth: Ludgershall)
    and detrains at the one nearest its destination, as movement staffs plan it; not at a yard further
    down the line that a faster road leg happens to reach."""
    rail = network.edge_mode_code == MODE_CODE["rail"]
    on_rail = np.zeros(len(network.nodes), dtype=bool)
    on_rail[network.edge_a[rail]] = True
    on_rail[network.edge_b[rail]] = True
    heads = np.nonzero(on_rail & network.node_rail_terminal)[0]
    if not len(heads):
        return set()
    lat, lon = network.node_lat[heads], network.node_lon[heads]
    out = set()
    for node_id in ends:
        i = network.index[node_id]
        end_lat, end_lon = float(network.node_lat[i]), float(network.node_lon[i])
        out.add(int(heads[int(np.argmin(great_circle_km_array(end_lat, end_lon, lat, lon)))]))
    return out


def shortest_route(network: Network, graph: LayeredGraph, origin: str, destination: str) -> list[Step] | None:
    """Quickest route from origin to destination, both on the road layer; None when unreachable.

    Sea and tunnel legs come with a transfer step (port call, terminal) at each end.
    """
    vertices = _path(graph.matrix, network.index[origin], network.index[destination])
    return None if vertices is None else _steps(network, graph, vertices)


def _path(matrix, s: int, t: int, limit: float = np.inf) -> list[int] | None:
    """Vertices of the quickest path from ``s`` to ``t``; ``limit``: a known upper bound of its length, so the
    search stops settling vertices beyond it (on a network of Europe, a short plan then reads a small part)."""
    dist, pred = dijkstra(matrix, directed=True, indices=s, return_predecessors=True, limit=limit)
    if not np.isfinite(dist[t]):
        return None
    vertices = [t]
    while vertices[-1] != s:
        vertices.append(int(pred[vertices[-1]]))
    vertices.reverse()
    return vertices


def _steps(network: Network, graph: LayeredGraph, vertices: list[int]) -> list[Step]:
    base = graph.base
    nodes = base.vertex_node[vertices]
    ids = dict(zip(set(nodes.tolist()), network.node_ids(set(nodes.tolist())), strict=True))
    modes = network.edge_mode_code
    steps: list[Step] = []
    for k, (a, b) in enumerate(zip(vertices, vertices[1:], strict=False)):
        pos = graph.arc_position(a, b)
        hours = float(graph.weights[pos])
        ref = int(base.arc_edge[pos])
        na, nb = ids[int(nodes[k])], ids[int(nodes[k + 1])]
        if ref >= 0:
            mode = MODES[int(modes[ref])]
            handling = TRANSFER_PORT if mode == "sea" else TRANSFER_TUNNEL if mode == "tunnel" else None
            end_h = graph.end_hours.get(mode, 0.0)
            if handling:
                steps.append(Step("transfer", na, na, end_h, transfer=handling))
            steps.append(Step("leg", na, nb, hours - 2 * end_h, edge=ref, mode=mode, carriage=str(graph.carriage[ref])))
            if handling:
                steps.append(Step("transfer", nb, nb, end_h, transfer=handling))
        else:
            kind = int(base.transfer_kind[np.searchsorted(base.transfer_pos, pos)])
            steps.append(Step("transfer", na, nb, hours, transfer=TRANSFER_LABELS[kind]))
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
    weights = graph.weights.copy()  # the penalties apply to this search only; the index arrays stay shared
    matrix = csr_matrix((weights, graph.base.indices, graph.base.indptr), shape=graph.matrix.shape, copy=False)
    for _ in range(count * 2):
        if len(routes) >= count:
            break
        used = [graph.arc_position(a, b, weights) for a, b in zip(path, path[1:], strict=False)]
        for pos in used:  # penalise in place: the arc's slot in the weights
            weights[pos] *= 3.0
        # The last route, penalised, is still a way from s to t: the next quickest is no longer (plus rounding).
        bound = float(sum(weights[pos] for pos in used)) * (1 + 1e-9)
        path = _path(matrix, s, t, limit=bound)
        if path is None:
            break
        if tuple(path) not in seen:
            seen.add(tuple(path))
            routes.append(_steps(network, graph, path))
    return routes
