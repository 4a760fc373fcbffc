"""The planner: load classes as edge filters, transporters, rail gauges, convoy timing."""

import datetime as dt

import pytest

from accord.errors import InputError
from accord.mobility.engine.planner import PlanRequest, plan, shipped_catalogue
from accord.mobility.engine.rules import mobility_parameters
from accord.mobility.engine.vehicles import Catalogue, Vehicle

from .network_builder import edge, node, write

PARAMS = mobility_parameters()
TRACKS_ON_ROADS = PARAMS.with_overrides({"mobility.network.tracked_self_propelled_on_roads": True}, scenario="tracks")
TANK_70 = Vehicle(name="Tank 70", kind="tracked", mass_t=60, mlc=70)
TRUCK_40 = Vehicle(name="Truck 40", kind="wheeled", mass_t=30, mlc=40)
TEST_CATALOGUE = Catalogue((TANK_70, TRUCK_40))
DAY = dt.date(2026, 3, 2)


def legs(result, packet=0):
    return [one_leg for one_leg in result["packets"][packet]["legs"] if one_leg["kind"] == "leg"]


@pytest.fixture
def bridge_network(tmp_path):
    """A short road over an MLC 50 bridge, and a longer detour rated MLC 80."""
    nodes = [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5), node("c", "DE", 52.3, 13.25)]
    edges = [
        edge("bridge50", "road", "a", "b", 35, mlc_tracked=50, mlc_wheeled=50, name="MLC 50 bridge"),
        edge("detour1", "road", "a", "c", 40, mlc_tracked=80, mlc_wheeled=80),
        edge("detour2", "road", "c", "b", 40, mlc_tracked=80, mlc_wheeled=80),
    ]
    return write(tmp_path / "bridge", nodes, edges)


def test_an_mlc_70_tank_is_never_routed_over_an_mlc_50_bridge(bridge_network):
    result = plan(
        PlanRequest("a", "b", DAY, [(TANK_70, 4)]),
        network=bridge_network,
        catalogue=TEST_CATALOGUE,
        params=TRACKS_ON_ROADS,
    )
    assert [one_leg["edge"] for one_leg in legs(result)] == ["detour1", "detour2"]


def test_an_mlc_40_truck_takes_the_shorter_road_over_the_mlc_50_bridge(bridge_network):
    result = plan(
        PlanRequest("a", "b", DAY, [(TRUCK_40, 4)]),
        network=bridge_network,
        catalogue=TEST_CATALOGUE,
        params=TRACKS_ON_ROADS,
    )
    assert [one_leg["edge"] for one_leg in legs(result)] == ["bridge50"]


def test_vehicles_of_different_classes_travel_as_separate_packets_each_on_its_own_route(bridge_network):
    result = plan(
        PlanRequest("a", "b", DAY, [(TANK_70, 4), (TRUCK_40, 10)]),
        network=bridge_network,
        catalogue=TEST_CATALOGUE,
        params=TRACKS_ON_ROADS,
    )
    routes = {
        p["vehicles"][0]["name"]: [one_leg["edge"] for one_leg in p["legs"] if one_leg["kind"] == "leg"]
        for p in result["packets"]
    }
    assert routes == {"Tank 70": ["detour1", "detour2"], "Truck 40": ["bridge50"]}


def test_when_the_mlc_50_bridge_is_the_only_way_the_tank_is_refused_naming_the_bridge(tmp_path):
    net = write(
        tmp_path,
        [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5)],
        [edge("bridge50", "road", "a", "b", 35, mlc_tracked=50, mlc_wheeled=50, name="MLC 50 bridge")],
    )
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("a", "b", DAY, [(TANK_70, 1)]), network=net, catalogue=TEST_CATALOGUE, params=TRACKS_ON_ROADS)
    message = str(exc.value)
    assert (
        "blocked by load class (MLC)" in message
        and "bridge50" in message
        and "MLC 70 over a tracked class of 50" in message
    )


def test_a_height_limit_blocks_a_vehicle_taller_than_the_clearance(tmp_path):
    tall = Vehicle(name="Tall", kind="wheeled", mass_t=20, height_m=4.5)
    net = write(
        tmp_path,
        [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5)],
        [edge("low", "road", "a", "b", 35, max_height_m=4.0)],
    )
    with pytest.raises(InputError, match="blocked by height limit"):
        plan(PlanRequest("a", "b", DAY, [(tall, 1)]), network=net, catalogue=Catalogue((tall,)), params=PARAMS)
    ok = Vehicle(name="Low", kind="wheeled", mass_t=20, height_m=3.9)
    assert plan(PlanRequest("a", "b", DAY, [(ok, 1)]), network=net, catalogue=Catalogue((ok,)), params=PARAMS)


def test_by_default_a_tank_moves_on_public_roads_only_on_a_transporter():
    result = plan(PlanRequest("tidworth", "tapa", DAY, "Challenger 3:14", mode="road"))
    road = [one_leg for one_leg in legs(result) if one_leg["mode"] in ("road", "tunnel")]
    assert road and all(
        one_leg["carriage"] == "transporter" and one_leg["transporter"] == "Oshkosh HET" for one_leg in road
    )


def test_a_road_only_plan_to_tapa_for_challenger_3_is_refused_when_roads_cannot_carry_the_loaded_transporter():
    # Unknown roads assumed MLC 80: a HET with a 66 t tank (MLC 120 wheeled) no longer fits.
    strict = PARAMS.with_overrides(
        {"mobility.network.unknown_road_mlc": {"tracked": 80, "wheeled": 80}}, scenario="strict"
    )
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("tidworth", "tapa", DAY, "Challenger 3:14", mode="road"), params=strict)
    message = str(exc.value)
    assert (
        "Challenger 3" in message
        and "blocked by load class (MLC)" in message
        and "80 (assumed: not published)" in message
    )


def test_the_road_only_plan_for_challenger_3_never_uses_rail():
    result = plan(PlanRequest("tidworth", "tapa", DAY, "Challenger 3:14", mode="road"))
    assert {one_leg["mode"] for one_leg in legs(result)} <= {"road", "sea", "tunnel"}


def test_a_rail_plan_into_lithuania_has_a_gauge_transfer():
    result = plan(PlanRequest("zagan", "vilnius", DAY, "Leopard 2A7:14", mode="rail"))
    steps = result["packets"][0]["legs"]
    transfers = [s for s in steps if s["kind"] == "transfer" and s["what"] == "gauge transfer"]
    assert [t["at"] for t in transfers] in (["sestokai"], ["palemonas"])
    gauges = [s["gauge_mm"] for s in steps if s["kind"] == "leg" and s["mode"] == "rail"]
    assert gauges[0] == 1435 and gauges[-1] == 1520


def test_rail_gauges_cannot_meet_without_a_transfer_point(tmp_path):
    nodes = [
        node("a", "PL", 54.0, 23.0, rail=True),
        node("m", "LT", 54.3, 23.4, rail=False),
        node("b", "LT", 54.6, 23.8, rail=True),
    ]
    edges = [edge("std", "rail", "a", "m", 50, gauge_mm=1435), edge("broad", "rail", "m", "b", 50, gauge_mm=1520)]
    with pytest.raises(InputError, match="no route from a to b"):
        plan(PlanRequest("a", "b", DAY, "Leopard 2A7:2", mode="rail"), network=write(tmp_path / "x", nodes, edges))
    nodes[1] = node("m", "LT", 54.3, 23.4, gauge_transfer=True)
    result = plan(PlanRequest("a", "b", DAY, "Leopard 2A7:2", mode="rail"), network=write(tmp_path / "y", nodes, edges))
    assert [s["what"] for s in result["packets"][0]["legs"] if s["kind"] == "transfer"] == [
        "load/unload train",
        "gauge transfer",
        "load/unload train",
    ]


def test_a_vehicle_heavier_than_a_heavy_flatcar_does_not_go_by_rail(tmp_path):
    heavy = Vehicle(name="Heavy", kind="wheeled", mass_t=95, mlc=120)
    nodes = [node("a", "DE", 52.0, 13.0, rail=True), node("b", "DE", 52.0, 14.0, rail=True)]
    net = write(tmp_path, nodes, [edge("r", "rail", "a", "b", 70, gauge_mm=1435)])
    with pytest.raises(InputError):
        plan(PlanRequest("a", "b", DAY, [(heavy, 1)], mode="rail"), network=net, catalogue=Catalogue((heavy,)))
    light = Vehicle(name="Light", kind="wheeled", mass_t=92, mlc=120)
    assert plan(PlanRequest("a", "b", DAY, [(light, 1)], mode="rail"), network=net, catalogue=Catalogue((light,)))


def test_fifty_four_vehicles_form_three_march_units_of_about_twenty():
    result = plan(PlanRequest("tidworth", "catterick", DAY, "MAN HX60:54"))
    assert result["packets"][0]["march_units"] == 3


def test_the_last_vehicle_of_a_long_column_arrives_after_the_first(tmp_path):
    net = write(tmp_path, [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5)], [edge("e", "road", "a", "b", 66)])
    result = plan(PlanRequest("a", "b", dt.datetime(2026, 3, 2, 6), "MAN HX60:40"), network=net)
    leg = legs(result)[0]
    assert leg["end"] == "2026-03-02T07:00+01:00"  # 66 km at 66 km/h on a motorway, Berlin time
    # 38 gaps of 200 m at 66 km/h inside the march units, then one 10-minute gap between the two units: 16.9 min.
    assert leg["last_vehicle_arrival"] == "2026-03-02T07:17+01:00"


def test_a_day_of_driving_stops_at_the_daily_limit_with_halts_and_a_night_rest(tmp_path):
    net = write(
        tmp_path, [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 20.0)], [edge("e", "road", "a", "b", 660)]
    )
    result = plan(PlanRequest("a", "b", dt.datetime(2026, 3, 2, 6), "MAN HX60:1"), network=net)
    # 10 h of driving: 4.5 h, 45 min halt, 4.5 h (15:45), then at least 11 h rest; the convoy day starts
    # again at 06:00 local time (not 02:45: the day does not drift round the clock); then the last hour.
    assert legs(result)[0]["end"] == "2026-03-03T07:00+01:00"
    assert result["packets"][0]["night_rests"] == 1


def test_emers_waives_driving_limits_in_an_emergency_under_the_proposed_regime(tmp_path):
    net = write(
        tmp_path, [node("a", "DE", 52.0, 13.0), node("b", "PL", 52.0, 20.0)], [edge("e", "road", "a", "b", 660)]
    )
    result = plan(
        PlanRequest("a", "b", dt.datetime(2026, 3, 2, 6), "MAN HX60:1", regime="proposed-2025", emergency=True),
        network=net,
    )
    assert not result["driving_limits_applied"]
    assert legs(result)[0]["end"] == "2026-03-02T16:00+01:00"  # 10 h straight: two drivers, no statutory halt


def test_unknown_nodes_and_vehicles_are_all_reported_by_field():
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("tidwort", "tapa", DAY, "Challenger 4:2,MAN HX60:0"))
    fields = [(p.field, p.item) for p in exc.value.problems]
    assert ("from", "tidwort") in fields
    assert ("vehicles", "Challenger 4:2") in fields and ("vehicles", "MAN HX60:0") in fields
    assert "did you mean" in exc.value.problems[0].message and "tidworth" in exc.value.problems[0].message


def test_mode_and_regime_must_be_known():
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("tidworth", "tapa", DAY, "Boxer:1", mode="air", regime="future"))
    assert {p.field for p in exc.value.problems} == {"mode", "regime"}


def test_the_plan_counts_the_legs_that_rest_on_assumed_load_classes():
    result = plan(PlanRequest("tidworth", "tapa", DAY, "Boxer:4"))
    a = result["assumptions"]
    assert a["legs_with_assumed_mlc"] > 0
    assert "mobility.network.unknown_road_mlc" in a["inferred_parameters"]


def test_the_catalogue_holds_the_vehicles_the_issue_names_each_with_a_source():
    catalogue = shipped_catalogue()
    for name in ("Challenger 3", "Leopard 2A7", "Boxer", "Oshkosh HET", "MAN HX60", "MAN HX77", "Foxhound"):
        v = catalogue.find(name)
        assert v is not None and v.source_title and v.source_href.startswith("https://")
    assert catalogue.find("het").transporter
