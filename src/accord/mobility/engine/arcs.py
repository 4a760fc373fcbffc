"""The arc structure shared by the graphs of every vehicle class (issue 14, item 7).

One CSR layout of every arc a vehicle could use: each edge both ways, and each
transfer between layers a node allows (railhead road <-> rail, gauge-transfer
point rail <-> rail). ``routing.build_graph`` gives a vehicle class a weight
array over it; the index arrays are never copied. Written with the network's
columns (``arrays/routing``) and mapped back. Decision:
``docs/decisions/0004-network-arrays.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np


@dataclass
class BaseGraph:
    """The arcs every vehicle class could use, in one CSR structure shared by all per-class graphs.

    Vertices: one road vertex per node (its position), then, per rail gauge, one vertex for each node on a
    railway of that gauge (numbered in the order of the old ``layer * n + node`` scheme, so the arcs of a
    row are scanned in the same order). Arcs: every edge in both directions, then every transfer a node
    allows (railhead road <-> rail, gauge-transfer point rail <-> rail). A vehicle class is a weight array
    over these arcs (``inf``: the class may not use the arc); the index arrays are never copied.
    """

    layers: list[str]
    n_nodes: int
    n_vertices: int
    indptr: np.ndarray  # int32, CSR rows
    indices: np.ndarray  # int32, arc head vertex
    arc_edge: np.ndarray  # int32, edge index of the arc; -1: a transfer
    transfer_pos: np.ndarray  # CSR positions of the transfer arcs
    transfer_node: np.ndarray  # their node
    transfer_kind: np.ndarray  # 0: load/unload train, 1: gauge transfer
    multi_pos: np.ndarray  # CSR positions of arcs sharing their tail and head with another arc (parallel edges)
    multi_starts: np.ndarray  # start of each such group within multi_pos
    vertex_node: np.ndarray  # node of each vertex
    vertex_layer: np.ndarray  # layer of each vertex
    edge_arc_pos: np.ndarray  # CSR position of each edge's forward arc
    edge_back_pos: np.ndarray  # and of its backward arc


BASE_DIR = "routing"  # inside arrays/: the shared arc structure, written with the network's columns


_BASE_ARRAYS = tuple(f.name for f in fields(BaseGraph) if f.name not in ("layers", "n_nodes", "n_vertices"))


def save_base(base: BaseGraph, folder: Path) -> None:
    """Write the shared arc structure next to the columns (``Network.save``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in _BASE_ARRAYS:
        np.save(folder / f"{name}.npy", np.ascontiguousarray(getattr(base, name)), allow_pickle=False)
    meta = {"layers": base.layers, "n_nodes": base.n_nodes, "n_vertices": base.n_vertices}
    (folder / "base.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")


def load_base(folder: Path) -> BaseGraph | None:
    """The structure written by ``save_base`` (mapped, read-only), or None."""
    meta_path = folder / "base.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _BASE_ARRAYS}
    return BaseGraph(layers=meta["layers"], n_nodes=meta["n_nodes"], n_vertices=meta["n_vertices"], **arrays)


def build_base(
    n: int,
    edge_a: np.ndarray,
    edge_b: np.ndarray,
    rail: np.ndarray,
    edge_gauge: np.ndarray,
    gauges: list[int],
    rail_terminal: np.ndarray,
    gauge_transfer: np.ndarray,
) -> BaseGraph:
    """The arcs of a network of ``n`` nodes: its edges (``rail``: which are railways, of ``edge_gauge``) both
    ways, and the transfers its railheads and gauge-transfer points allow."""
    layers = ["road"] + [f"rail:{g}" for g in gauges]
    a, b = edge_a.astype(np.int64), edge_b.astype(np.int64)
    vertex_node = [np.arange(n, dtype=np.int64)]
    vertex_layer = [np.zeros(n, dtype=np.int16)]
    rail_vertex: dict[int, np.ndarray] = {}
    next_vertex = n
    edge_layer = np.zeros(len(a), dtype=np.int64)
    for layer, gauge in enumerate(gauges, start=1):
        of_gauge = rail & (edge_gauge == gauge)
        edge_layer[of_gauge] = layer
        on = np.zeros(n, dtype=bool)
        on[a[of_gauge]] = True
        on[b[of_gauge]] = True
        nodes_on = np.nonzero(on)[0]
        rv = np.full(n, -1, dtype=np.int64)
        rv[nodes_on] = next_vertex + np.arange(len(nodes_on))
        next_vertex += len(nodes_on)
        rail_vertex[layer] = rv
        vertex_node.append(nodes_on)
        vertex_layer.append(np.full(len(nodes_on), layer, dtype=np.int16))
    u, v = a.copy(), b.copy()
    for layer, rv in rail_vertex.items():
        on_layer = edge_layer == layer
        u[on_layer], v[on_layer] = rv[a[on_layer]], rv[b[on_layer]]
    # Transfers: railhead road <-> each rail layer there; gauge-transfer point between every two rail layers.
    t_src, t_dst, t_node, t_kind = [], [], [], []
    for layer, rv in rail_vertex.items():
        at = np.nonzero((rv >= 0) & rail_terminal)[0]
        t_src += [at, rv[at]]
        t_dst += [rv[at], at]
        t_node += [at, at]
        t_kind += [np.zeros(len(at), dtype=np.int8)] * 2
        for other in range(layer + 1, len(layers)):
            ro = rail_vertex[other]
            at = np.nonzero((rv >= 0) & (ro >= 0) & gauge_transfer)[0]
            t_src += [rv[at], ro[at]]
            t_dst += [ro[at], rv[at]]
            t_node += [at, at]
            t_kind += [np.ones(len(at), dtype=np.int8)] * 2
    empty = np.zeros(0, dtype=np.int64)
    t_src_a = np.concatenate(t_src) if t_src else empty
    t_dst_a = np.concatenate(t_dst) if t_dst else empty
    t_node_a = np.concatenate(t_node) if t_node else empty
    t_kind_a = np.concatenate(t_kind) if t_kind else np.zeros(0, dtype=np.int8)
    n_edges = len(a)
    src = np.concatenate([u, v, t_src_a])
    dst = np.concatenate([v, u, t_dst_a])
    ref = np.concatenate([np.arange(n_edges), np.arange(n_edges), np.full(len(t_src_a), -1)]).astype(np.int32)
    # Rows in vertex order, heads sorted within a row; parallel arcs keep their order (edges first, by index).
    order = np.argsort(src * next_vertex + dst, kind="stable")  # one int64 key: faster than lexsort
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    src_s, dst_s = src[order], dst[order]
    indptr = np.zeros(next_vertex + 1, dtype=np.int64)
    np.cumsum(np.bincount(src_s, minlength=next_vertex), out=indptr[1:])
    same = np.zeros(len(src_s), dtype=bool)
    same[1:] = (src_s[1:] == src_s[:-1]) & (dst_s[1:] == dst_s[:-1])
    in_multi = same.copy()
    in_multi[:-1] |= same[1:]
    multi_pos = np.nonzero(in_multi)[0]
    multi_starts = np.nonzero(~same[multi_pos])[0] if len(multi_pos) else np.zeros(0, dtype=np.int64)
    t_pos = position[2 * n_edges :]
    t_order = np.argsort(t_pos)
    base = BaseGraph(
        layers=layers,
        n_nodes=n,
        n_vertices=next_vertex,
        indptr=indptr.astype(np.int32),
        indices=dst_s.astype(np.int32),
        arc_edge=ref[order],
        transfer_pos=t_pos[t_order],
        transfer_node=t_node_a[t_order],
        transfer_kind=t_kind_a[t_order],
        multi_pos=multi_pos,
        multi_starts=multi_starts,
        vertex_node=np.concatenate(vertex_node),
        vertex_layer=np.concatenate(vertex_layer),
        edge_arc_pos=position[:n_edges],
        edge_back_pos=position[n_edges : 2 * n_edges],
    )
    return base
