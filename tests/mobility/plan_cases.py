"""Plans whose results must not change when the network's storage changes (issue 14, item 7).

``recorded_plans()`` plans every case and returns its JSON text (or the
problems it was refused with). The reference file
``data/plans_before_network_arrays.json`` was written by this module with the
object-model network (commit b36a11e, before the network was held in arrays):
``PYTHONPATH=src python -m tests.mobility.plan_cases --write``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from accord.errors import InputError
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.rules import mobility_parameters

from .network_builder import edge, node, write

RECORDED = Path(__file__).parent / "data" / "plans_before_network_arrays.json"
PARAMS = mobility_parameters()
TRACKS_ON_ROADS = PARAMS.with_overrides({"mobility.network.tracked_self_propelled_on_roads": True}, scenario="tracks")
DAY = dt.date(2027, 3, 1)

SHIPPED_REQUESTS = {
    "shipped tidworth-tapa filed": PlanRequest(
        "tidworth", "tapa", DAY, "Challenger 3:14,MAN HX60:40", filed_on=dt.date(2027, 1, 10)
    ),
    "shipped tidworth-tapa road": PlanRequest("tidworth", "tapa", DAY, "Challenger 3:14", mode="road"),
    "shipped zagan-vilnius rail": PlanRequest(
        "zagan", "vilnius", DAY, "Leopard 2A7:14", mode="rail", requesting_state="PL"
    ),
    "shipped catterick-constanta proposed": PlanRequest(
        "catterick", "constanta", dt.date(2027, 6, 1), "Boxer:30,Foxhound:12", regime="proposed-2025"
    ),
    "shipped tidworth-tapa rail with sea": PlanRequest("tidworth", "tapa", DAY, "Boxer:8", mode="rail", allow_sea=True),
    "shipped tidworth-tapa avoiding PL": PlanRequest(
        "tidworth", "tapa", DAY, "MAN HX60:10", avoid_states=frozenset({"PL"})
    ),
    "shipped emergency": PlanRequest(
        "tidworth", "tapa", DAY, "Leclerc:4,Foxhound:2", regime="proposed-2025", emergency=True
    ),
}


def synthetic_network(directory: Path):
    """A 12 x 12 road grid over DE, PL and LT with restricted bridges, clearances, widths and axle limits,
    a standard-gauge and a broad-gauge railway meeting at a gauge-transfer point, a ferry, and closures."""
    rng = np.random.default_rng(14)
    side = 12
    countries = ["DE"] * 4 + ["PL"] * 4 + ["LT"] * 4
    nodes, edges, closures = [], [], []

    def nid(r, c):
        return f"n{r:02d}{c:02d}"

    for r in range(side):
        for c in range(side):
            flags = {}
            if r == 5 and c in (0, 3, 7, 11):
                flags["rail"] = True
            if r == 5 and c == 8:
                flags["gauge_transfer"] = True
                flags["rail"] = True
            if (r, c) in ((0, 2), (0, 9)):
                flags["port"] = True
                flags["kind"] = "port"
            if (r, c) in ((11, 0), (11, 11), (3, 6)):
                flags["kind"] = "garrison"
            nodes.append(node(nid(r, c), countries[c], 50.0 + r * 0.25, 10.0 + c * 1.2, **flags))
    classes = ["motorway", "rural", "urban"]
    for r in range(side):
        for c in range(side):
            for dr, dc in ((0, 1), (1, 0)):
                r2, c2 = r + dr, c + dc
                if r2 >= side or c2 >= side:
                    continue
                attrs = {"road_class": classes[int(rng.integers(3))]}
                roll = rng.random()
                if roll < 0.15:
                    mlc = int(rng.choice([30, 50, 70]))
                    attrs.update(mlc_tracked=mlc, mlc_wheeled=mlc, name=f"bridge MLC {mlc}")
                elif roll < 0.22:
                    attrs["max_height_m"] = float(rng.choice([3.5, 4.0, 4.5]))
                elif roll < 0.27:
                    attrs["max_width_m"] = float(rng.choice([3.0, 3.5]))
                elif roll < 0.32:
                    attrs["max_axle_load_t"] = float(rng.choice([10.0, 11.5]))
                elif roll < 0.36:
                    attrs["max_weight_t"] = float(rng.choice([40.0, 60.0]))
                length = round(60 + 40 * rng.random(), 1) if c2 != c else round(20 + 15 * rng.random(), 1)
                edges.append(edge(f"e{len(edges):04d}", "road", nid(r, c), nid(r2, c2), length, **attrs))
    for c in range(side - 1):
        gauge = 1520 if c >= 8 else 1435
        edges.append(edge(f"rail{c:02d}", "rail", nid(5, c), nid(5, c + 1), 70.0, road_class="", gauge_mm=gauge))
    edges.append(edge("ferry", "sea", nid(0, 2), nid(0, 9), 600.0, road_class=""))
    edges.append(edge("parallel", "road", nid(11, 0), nid(11, 1), 75.0, road_class="motorway", mlc_tracked=40))
    nodes.append(node("isle", "DE", 49.5, 10.0, kind="training_area"))
    edges.append(
        edge("isle-bridge", "road", nid(0, 0), "isle", 12.0, road_class="rural", mlc_tracked=30, mlc_wheeled=30)
    )
    edges.append(edge("isle-arch", "road", nid(0, 1), "isle", 15.0, road_class="rural", max_height_m=2.5))
    closures.append(
        {"id": "c1", "element": "edge", "target": "e0101", "closed_from": "2027-03-01", "closed_until": "2027-03-04"}
    )
    closures.append(
        {"id": "c2", "element": "node", "target": nid(6, 6), "closed_from": "2027-02-20", "closed_until": "2027-03-10"}
    )
    return write(directory, nodes, edges, closures)


SYNTHETIC_REQUESTS = {
    "synthetic tank road": (PlanRequest("n1100", "n1111", DAY, "Leopard 2A7:14", mode="road"), TRACKS_ON_ROADS),
    "synthetic tank on transporter": (
        PlanRequest("n1100", "n0011", DAY, "Challenger 3:6", requesting_state="DE"),
        PARAMS,
    ),
    "synthetic mixed any": (PlanRequest("n0000", "n1111", DAY, "Boxer:20,MAN HX60:10,Foxhound:5"), PARAMS),
    "synthetic rail gauge break": (PlanRequest("n0500", "n0511", DAY, "Boxer:10", mode="rail"), PARAMS),
    "synthetic avoid PL": (PlanRequest("n0000", "n0011", DAY, "Foxhound:4", avoid_states=frozenset({"PL"})), PARAMS),
    "synthetic sea": (PlanRequest("n0002", "n0009", DAY, "MAN HX77:3", mode="rail", allow_sea=True), PARAMS),
    "synthetic closures": (PlanRequest("n0600", "n0611", dt.date(2027, 3, 2), "Boxer:4"), PARAMS),
    "synthetic blocked by a bridge": (PlanRequest("n1100", "isle", DAY, "Leopard 2A7:2"), TRACKS_ON_ROADS),
    "synthetic truck to the isle": (PlanRequest("n1100", "isle", DAY, "Foxhound:2"), PARAMS),
    "synthetic filed": (
        PlanRequest("n1100", "n1111", DAY, "Leclerc:4", filed_on=dt.date(2027, 1, 5), requesting_state="DE"),
        TRACKS_ON_ROADS,
    ),
}


def _result(request: PlanRequest, **kwargs) -> object:
    try:
        return json.loads(json.dumps(plan(request, **kwargs), sort_keys=True, default=str))
    except InputError as exc:
        return {"refused": [p.message for p in exc.problems]}


def recorded_plans() -> dict[str, object]:
    out: dict[str, object] = {}
    for name, request in SHIPPED_REQUESTS.items():
        out[name] = _result(request)
    with tempfile.TemporaryDirectory() as tmp:
        net = synthetic_network(Path(tmp) / "synthetic")
        for name, (request, params) in SYNTHETIC_REQUESTS.items():
            out[name] = _result(request, network=net, params=params)
    return out


if __name__ == "__main__":
    if "--write" in sys.argv:
        RECORDED.parent.mkdir(exist_ok=True)
        RECORDED.write_text(json.dumps(recorded_plans(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {RECORDED}")
