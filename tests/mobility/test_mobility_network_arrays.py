"""The network held in arrays (issue 14, item 7): same plans as the object model, shared graphs, streaming import."""

import datetime as dt
import json
import shutil

import numpy as np
import pytest

from accord.errors import InputError
from accord.mobility.engine.carriage import movement_for
from accord.mobility.engine.network import DATA_DIR, load_network
from accord.mobility.engine.osm_import import import_osm_arrays, write_network_arrays
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.routing import build_graph
from accord.mobility.engine.rules import mobility_parameters, planning_rules
from accord.mobility.engine.vehicles import Catalogue, Vehicle

from .network_builder import edge, node, write
from .plan_cases import RECORDED, SHIPPED_REQUESTS, SYNTHETIC_REQUESTS, _result, recorded_plans, synthetic_network
from .test_mobility_osm import EXTRACT, HIGHWAYS

PARAMS = mobility_parameters()
DAY = dt.date(2027, 3, 1)
DETOUR = dict(PARAMS.value("mobility.network.detour_factor", DAY))
TRACKS_ON_ROADS = PARAMS.with_overrides({"mobility.network.tracked_self_propelled_on_roads": True}, scenario="t")
TANK_70 = Vehicle(name="Tank 70", kind="tracked", mass_t=60, mlc=70)
TRUCK_40 = Vehicle(name="Truck 40", kind="wheeled", mass_t=30, mlc=40)
CATALOGUE = Catalogue((TANK_70, TRUCK_40))


def mapped(network) -> bool:
    """Were the network's columns mapped from ``arrays/`` (not parsed from CSV)?"""
    return isinstance(network.edge_a.base, np.memmap)


def test_plans_on_the_network_held_in_arrays_equal_the_plans_recorded_with_the_object_model():
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert recorded_plans() == recorded


def test_the_shipped_network_saved_as_arrays_and_mapped_back_plans_exactly_as_before(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "net", ignore=shutil.ignore_patterns("arrays"))
    load_network(tmp_path / "net", detour=DETOUR).save(tmp_path / "net")
    net = load_network(tmp_path / "net", detour=DETOUR)
    assert mapped(net)
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    for name, request in SHIPPED_REQUESTS.items():
        assert _result(request, network=net) == recorded[name], name


def test_the_shared_arc_structure_is_written_with_the_columns_and_mapped_back_with_them(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "net", ignore=shutil.ignore_patterns("arrays"))
    load_network(tmp_path / "net", detour=DETOUR).save(tmp_path / "net")
    net = load_network(tmp_path / "net", detour=DETOUR)
    request = SHIPPED_REQUESTS["shipped tidworth-tapa road"]
    planned = _result(request, network=net)
    assert isinstance(net.cache["base"].indices.base, np.memmap)
    net.save(tmp_path / "net")  # over the folder it is mapped from: the mapped files stay readable
    assert (
        _result(request, network=net)
        == planned
        == _result(request, network=load_network(tmp_path / "net", detour=DETOUR))
    )


def test_the_export_of_the_mapped_network_equals_the_export_of_its_csv_files(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "net", ignore=shutil.ignore_patterns("arrays"))
    from_csv = load_network(tmp_path / "net", detour=DETOUR)
    from_csv.save(tmp_path / "net")
    from_arrays = load_network(tmp_path / "net", detour=DETOUR)
    assert mapped(from_arrays) and not mapped(from_csv)
    assert from_arrays.as_dict() == from_csv.as_dict()


def test_a_synthetic_network_with_restrictions_and_closures_plans_the_same_from_its_arrays(tmp_path):
    net = synthetic_network(tmp_path / "synthetic")
    net.save(tmp_path / "synthetic")
    again = load_network(tmp_path / "synthetic", detour={"road": 1.0, "rail": 1.0, "sea": 1.0})
    assert mapped(again) and len(again.closures) == 2
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    for name, (request, params) in SYNTHETIC_REQUESTS.items():
        assert _result(request, network=again, params=params) == recorded[name], name


def test_arrays_older_than_an_edit_of_the_csv_files_are_not_used(tmp_path):
    nodes = [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5)]
    write(tmp_path, nodes, [edge("ab", "road", "a", "b", 35)]).save(tmp_path)
    assert mapped(load_network(tmp_path, detour=DETOUR))
    net = write(tmp_path, nodes, [edge("ab", "road", "a", "b", 350)])
    assert not mapped(net) and net.edges[0].length_km == 350


def bridge_graphs(tmp_path):
    nodes = [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5), node("c", "DE", 52.3, 13.25)]
    edges = [
        edge("bridge50", "road", "a", "b", 35, mlc_tracked=50, mlc_wheeled=50),
        edge("detour1", "road", "a", "c", 40, mlc_tracked=80, mlc_wheeled=80),
        edge("detour2", "road", "c", "b", 40, mlc_tracked=80, mlc_wheeled=80),
    ]
    net = write(tmp_path, nodes, edges)
    rules = planning_rules(TRACKS_ON_ROADS, DAY)
    tank = build_graph(net, movement_for(TANK_70, CATALOGUE, rules, "DE"), rules, "road")
    truck = build_graph(net, movement_for(TRUCK_40, CATALOGUE, rules, "DE"), rules, "road")
    return net, tank, truck


def test_the_graph_of_an_mlc_70_tank_closes_an_mlc_50_bridge_that_an_mlc_40_truck_may_cross(tmp_path):
    net, tank, truck = bridge_graphs(tmp_path)
    bridge = net.edge_index["bridge50"]
    both_ways = [tank.base.edge_arc_pos[bridge], tank.base.edge_back_pos[bridge]]
    assert np.isinf(tank.weights[both_ways]).all()
    assert np.isfinite(truck.weights[both_ways]).all()
    detour = net.edge_index["detour1"]
    assert np.isfinite(tank.weights[tank.base.edge_arc_pos[detour]])


def test_the_graphs_of_every_vehicle_class_share_one_arc_structure_and_differ_only_in_weights(tmp_path):
    _, tank, truck = bridge_graphs(tmp_path)
    assert np.shares_memory(tank.matrix.indices, truck.matrix.indices)
    assert np.shares_memory(tank.matrix.indptr, truck.matrix.indptr)
    assert tank.base is truck.base
    assert not np.shares_memory(tank.matrix.data, truck.matrix.data)


def test_the_streaming_osm_import_writes_arrays_that_load_and_plan_like_its_csv_files(tmp_path):
    osm = tmp_path / "x.osm"
    osm.write_text(EXTRACT, encoding="utf-8")
    arrays = import_osm_arrays(osm, country="LT", road_class_by_highway=HIGHWAYS)
    write_network_arrays(tmp_path / "net", arrays, "test")
    from_arrays = load_network(tmp_path / "net", detour=DETOUR)
    assert mapped(from_arrays)
    request = PlanRequest("osm-n1", "osm-n4", dt.date(2026, 3, 2), [(TRUCK_40, 1)])
    via_arrays = plan(request, network=from_arrays, catalogue=CATALOGUE, params=TRACKS_ON_ROADS)
    shutil.rmtree(tmp_path / "net" / "arrays")
    from_csv = load_network(tmp_path / "net", detour=DETOUR)
    assert not mapped(from_csv)
    assert plan(request, network=from_csv, catalogue=CATALOGUE, params=TRACKS_ON_ROADS) == via_arrays
    assert from_csv.as_dict() == from_arrays.as_dict()
    with pytest.raises(InputError, match="blocked by load class"):
        plan(
            PlanRequest("osm-n1", "osm-n4", dt.date(2026, 3, 2), [(TANK_70, 1)]),
            network=from_arrays,
            catalogue=CATALOGUE,
            params=TRACKS_ON_ROADS,
        )


def test_the_streaming_osm_import_refuses_a_railway_without_gauge_and_a_way_to_missing_nodes_at_once(tmp_path):
    osm = tmp_path / "bad.osm"
    bad = EXTRACT.replace('<tag k="gauge" v="1520"/>', "").replace(
        '<way id="11"><nd ref="3"/>', '<way id="11"><nd ref="3"/><nd ref="99"/>'
    )
    osm.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_osm_arrays(osm, country="LT", road_class_by_highway=HIGHWAYS)
    assert [(p.item, p.message) for p in refused.value.problems] == [
        ("way/11", "way refers to node(s) without coordinates: [99]"),
        ("way/13", "railway without gauge (give --default-gauge)"),
    ]


def test_osm_maxwidth_and_maxaxleload_become_width_and_axle_limits_that_close_the_road_to_a_wide_heavy_truck(
    tmp_path,
):
    osm = tmp_path / "limits.osm"
    osm.write_text(
        EXTRACT.replace('<tag k="mlc" v="80"/>', '<tag k="mlc" v="80"/><tag k="maxwidth" v="3.0"/>').replace(
            '<tag k="maxheight" v="3.8 m"/>', '<tag k="maxheight" v="3.8 m"/><tag k="maxaxleload" v="8 t"/>'
        ),
        encoding="utf-8",
    )
    arrays = import_osm_arrays(osm, country="LT", road_class_by_highway=HIGHWAYS)
    by_way = {title.split()[-1]: i for i, title in enumerate(arrays.edge_source_title)}
    assert arrays.edge_max_width[by_way["11"]] == 3.0 and arrays.edge_max_axle[by_way["12"]] == 8.0
    write_network_arrays(tmp_path / "net", arrays, "test")
    net = load_network(tmp_path / "net", detour=DETOUR)
    wide = Vehicle(name="Wide truck", kind="wheeled", mass_t=20, mlc=30, width_m=3.4)
    heavy_axle = Vehicle(name="Heavy axle", kind="wheeled", mass_t=20, mlc=30, axle_load_t=9.5)
    with pytest.raises(InputError, match="blocked by width limit"):
        plan(
            PlanRequest("osm-n1", "osm-n4", dt.date(2026, 3, 2), [(wide, 1)]),
            network=net,
            catalogue=Catalogue((wide,)),
            params=TRACKS_ON_ROADS,
        )
    with pytest.raises(InputError, match="blocked by axle-load limit"):
        plan(
            PlanRequest("osm-n1", "osm-n5", dt.date(2026, 3, 2), [(heavy_axle, 1)]),
            network=net,
            catalogue=Catalogue((heavy_axle,)),
            params=TRACKS_ON_ROADS,
        )


def test_on_a_large_network_a_mistyped_node_is_answered_with_suggestions_sharing_its_first_characters(
    tmp_path, monkeypatch
):
    from accord.mobility.engine import network as network_module

    net = synthetic_network(tmp_path / "synthetic")
    everything = net.suggestion_table("n11x0")
    monkeypatch.setattr(network_module, "SUGGEST_ALL", 10)  # as if the grid had millions of nodes
    picked = net.suggestion_table("N11x0")
    assert set(picked.values()) == {f"n11{c:02d}" for c in range(12)} < set(everything.values())
    with pytest.raises(InputError, match=r"unknown node 'n11x0'; did you mean n11"):
        plan(PlanRequest("n11x0", "n0000", DAY, "Boxer:2"), network=net)
