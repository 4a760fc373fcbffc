"""Plans a movement planner would sign: each test is one rule of doctrine or law (issue 13)."""

import csv
import datetime as dt
import shutil

import pytest

from accord.errors import InputError
from accord.mobility.engine.network import DATA_DIR, load_network
from accord.mobility.engine.permissions import LeadTime, submission_deadline
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.rules import mobility_parameters, planning_rules

from .network_builder import edge, node, write

PARAMS = mobility_parameters()
WINTER = dt.date(2027, 3, 1)
RULES = planning_rules(PARAMS, WINTER)


def legs(packet):
    return [one_leg for one_leg in packet["legs"] if one_leg["kind"] == "leg"]


def packet_of(result, name):
    return next(p for p in result["packets"] if any(v["name"] == name for v in p["vehicles"]))


@pytest.fixture(scope="module")
def low_clearance_network(tmp_path_factory):
    """The shipped network with every road's clearance set to 2.0 m."""
    directory = tmp_path_factory.mktemp("clearance")
    for name in ("nodes.csv", "VERSION"):
        shutil.copy(DATA_DIR / name, directory / name)
    with (DATA_DIR / "edges.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        fields = reader.fieldnames
    for row in rows:
        if row["mode"] in ("road", "tunnel"):
            row["max_height_m"] = "2.0"
    with (directory / "edges.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return load_network(directory, detour=dict(PARAMS.value("mobility.network.detour_factor", WINTER)))


def test_fourteen_challenger_3s_on_transporters_cannot_pass_a_2_0_m_clearance(low_clearance_network):
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("tidworth", "tapa", WINTER, "Challenger 3:14"), network=low_clearance_network)
    message = str(exc.value)
    # The refusal names the limiting edge and figure: 2.5 m of tank on a 1.0 m deck under 2.0 m.
    assert "blocked by height limit" in message
    assert "on Oshkosh HET: 3.5 m high under a 2 m clearance" in message
    assert "(tidworth–" in message


def test_a_foxhound_under_2_m_high_is_not_stopped_by_a_2_3_m_clearance_but_a_boxer_is(tmp_path):
    net = write(
        tmp_path,
        [node("a", "GB", 51.0, -1.0), node("b", "GB", 51.0, -0.5)],
        [edge("arch", "road", "a", "b", 30, max_height_m=2.36, name="Low arch")],
    )
    assert plan(PlanRequest("a", "b", WINTER, "Foxhound:4"), network=net)["packets"][0]["distance_km"] == 30
    with pytest.raises(InputError, match="Boxer.*2.37 m high under a 2.36 m clearance"):
        plan(PlanRequest("a", "b", WINTER, "Boxer:1", requesting_state="GB"), network=net)


def test_a_vehicle_wider_than_the_road_limit_is_refused_naming_the_width(tmp_path):
    net = write(
        tmp_path,
        [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5)],
        [edge("narrow", "road", "a", "b", 30, max_width_m=2.8, name="Narrow village street")],
    )
    with pytest.raises(InputError, match="blocked by width limit.*2.99 m wide on a road limited to 2.8 m"):
        plan(PlanRequest("a", "b", WINTER, "Boxer:2"), network=net)


def test_an_axle_heavier_than_the_bridge_allows_is_refused(tmp_path):
    net = write(
        tmp_path,
        [node("a", "NL", 52.0, 5.0), node("b", "NL", 52.0, 5.5)],
        [edge("weak", "road", "a", "b", 30, max_axle_load_t=8, name="Weak bridge")],
    )
    # Requested by the Netherlands, whose transporters' payload is unknown: the Boxer must drive.
    with pytest.raises(InputError, match="9.6 t per axle on a 8 t axle-load limit"):
        plan(PlanRequest("a", "b", WINTER, "Boxer:2", requesting_state="NL"), network=net)


def test_a_7_5_t_foxhound_crosses_an_mlc_30_bridge_instead_of_a_47_km_detour(tmp_path):
    net = write(
        tmp_path,
        [node("a", "GB", 51.0, -1.0), node("b", "GB", 51.0, -0.8), node("c", "GB", 51.2, -0.9)],
        [
            edge("bridge30", "road", "a", "b", 17, mlc_tracked=30, mlc_wheeled=30, name="MLC 30 bridge"),
            edge("d1", "road", "a", "c", 23.5, mlc_tracked=80, mlc_wheeled=80),
            edge("d2", "road", "c", "b", 23.5, mlc_tracked=80, mlc_wheeled=80),
        ],
    )
    result = plan(PlanRequest("a", "b", WINTER, "Foxhound:8"), network=net)
    assert [one_leg["edge"] for one_leg in legs(result["packets"][0])] == ["bridge30"]
    assert result["packets"][0]["vehicles"][0]["mlc"] == 8


def test_heavy_equipment_transporters_are_national_a_german_tank_rides_the_bundeswehr_mammut():
    german = plan(PlanRequest("bergen_hohne", "rukla", WINTER, "Leopard 2A7:14", mode="road"))
    assert german["packets"][0]["transporter"] == "SLT 2 Mammut"
    british = plan(PlanRequest("tidworth", "tapa", WINTER, "Challenger 3:14"))
    assert british["packets"][0]["transporter"] in ("Oshkosh HET", None)
    assert all(p["transporter"] != "Oshkosh HET" for p in german["packets"])


def test_a_nation_without_a_transporter_of_known_payload_cannot_truck_its_tanks(tmp_path):
    net = write(tmp_path, [node("a", "NL", 52.0, 5.0), node("b", "NL", 52.0, 5.5)], [edge("e", "road", "a", "b", 30)])
    with pytest.raises(InputError, match="no transporter of NL with a known payload"):
        plan(PlanRequest("a", "b", WINTER, "Leopard 2A7:1", requesting_state="NL"), network=net)


def test_the_emergency_regime_waives_driving_time_rules_but_crews_still_rest(tmp_path):
    nodes = [node(f"n{i}", "DE" if i < 5 else "PL", 52.0, 5.0 + 2.5 * i) for i in range(11)]
    edges = [edge(f"e{i}", "road", f"n{i}", f"n{i + 1}", 320) for i in range(10)]  # 3,200 km of motorway
    net = write(tmp_path, nodes, edges)
    result = plan(
        PlanRequest("n0", "n10", dt.datetime(2027, 3, 1, 6), "MAN HX60:10", regime="proposed-2025", emergency=True),
        network=net,
    )
    packet = result["packets"][0]
    assert not result["driving_limits_applied"]
    rests = [one_leg for one_leg in packet["legs"] if one_leg["kind"] == "transfer" and one_leg["what"] == "crew rest"]
    assert rests, "no 48 hours of driving without a crew rest"
    assert all(r["hours"] >= RULES.emergency_min_rest_h for r in rests)
    # Between two crew rests no more driving than the emergency driving period.
    driven = 0.0
    for one_leg in packet["legs"]:
        if one_leg["kind"] == "transfer":
            driven = 0.0
            continue
        start, end = dt.datetime.fromisoformat(one_leg["start"]), dt.datetime.fromisoformat(one_leg["end"])
        driven += (end - start).total_seconds() / 3600
        assert driven <= RULES.emergency_max_driving_h + 1e-6


def test_peacetime_convoys_rest_at_a_node_not_mid_motorway_and_restart_at_the_local_start_time(tmp_path):
    nodes = [node(f"n{i}", "DE", 52.0, 5.0 + i) for i in range(6)]
    net = write(tmp_path, nodes, [edge(f"e{i}", "road", f"n{i}", f"n{i + 1}", 264) for i in range(5)])  # 4 h each
    packet = plan(PlanRequest("n0", "n5", dt.datetime(2027, 3, 1, 6), "MAN HX60:1"), network=net)["packets"][0]
    assert packet["rests_mid_road"] == 0
    rests = [one_leg for one_leg in packet["legs"] if one_leg.get("what") == "night rest"]
    assert rests and all(r["end"].endswith("T06:00+01:00") for r in rests)


def test_tidworth_to_tapa_sails_from_marchwood_to_paldiski_when_that_is_fastest():
    result = plan(PlanRequest("tidworth", "tapa", WINTER, "Challenger 3:14,MAN HX60:40"))
    tanks = packet_of(result, "Challenger 3")
    sea = [one_leg for one_leg in legs(tanks) if one_leg["mode"] == "sea"]
    assert [(one_leg["from"], one_leg["to"]) for one_leg in sea] == [("marchwood", "paldiski")]
    assert [s["state"] for s in result["states"]] == ["GB", "EE"]  # one permission, not seven
    assert result["alternatives"], "the plan offers alternatives"
    assert all(a["arrival"] >= tanks["arrival"] for a in result["alternatives"])


def test_rail_mode_without_sea_never_sails_and_loads_the_tanks_at_ludgershall_railhead():
    result = plan(PlanRequest("tidworth", "tapa", WINTER, "Challenger 3:14", mode="rail"))
    packet = result["packets"][0]
    assert not [one_leg for one_leg in legs(packet) if one_leg["mode"] == "sea"]
    first_loading = next(
        one_leg for one_leg in packet["legs"] if one_leg["kind"] == "transfer" and "train" in one_leg["what"]
    )
    assert first_loading["at"] == "ludgershall"


def test_rail_mode_from_muenster_takes_no_ferry():
    result = plan(PlanRequest("munster_wf", "tapa", WINTER, "Leopard 2A7:14", mode="rail", requesting_state="DE"))
    assert not [one_leg for one_leg in legs(result["packets"][0]) if one_leg["mode"] == "sea"]


def test_estonian_times_are_given_at_plus_two_hours_in_winter_and_plus_three_in_summer():
    winter = plan(PlanRequest("tidworth", "tapa", WINTER, "Foxhound:4"))
    assert winter["arrival"].endswith("+02:00")
    assert winter["departure"] == "2027-03-01T06:00+00:00"  # 06:00 at Tidworth, GMT
    assert next(s for s in winter["states"] if s["state"] == "EE")["entry"].endswith("+02:00")
    summer = plan(PlanRequest("tidworth", "tapa", dt.date(2027, 7, 1), "Foxhound:4"))
    assert summer["arrival"].endswith("+03:00") and summer["departure"].endswith("+01:00")


def test_a_swedish_deadline_that_falls_on_christmas_eve_moves_to_the_working_day_before():
    # 45 calendar days before an entry on 7 February 2027 is Thursday 24 December 2026, Christmas Eve:
    # a holiday for deadlines under Lag (1930:173) 2 §, so the request is due on Wednesday 23 December.
    lead = LeadTime(45, "calendar_days", "default", "p", "r", "inferred")
    entry = dt.datetime(2027, 2, 7, 12, 0)
    deadline = submission_deadline("SE", entry, lead, RULES.closure_categories["SE"])
    assert deadline.latest_date() == dt.date(2026, 12, 23)
    assert (dt.date(2026, 12, 24), "Christmas Eve") in deadline.holidays_skipped
    # Norway does not close on Christmas Eve for deadlines: only the weekend rule applies there.
    assert submission_deadline("NO", entry, lead).latest_date() == dt.date(2026, 12, 24)


def test_a_deadline_that_falls_on_a_weekend_moves_to_the_friday_before():
    lead = LeadTime(45, "calendar_days", "default", "p", "r", "inferred")
    # 45 days before Tuesday 16 March 2027 is Saturday 30 January 2027: the request is due on Friday 29 January.
    deadline = submission_deadline("DE", dt.datetime(2027, 3, 16, 9), lead)
    assert deadline.latest_date() == dt.date(2027, 1, 29)
    assert [name for _, name in deadline.holidays_skipped] == ["Saturday"]


def test_an_eda_pre_authorisation_covers_only_low_impact_movements():
    with pytest.raises(InputError) as exc:
        plan(PlanRequest("tidworth", "tapa", WINTER, "Challenger 3:14", pre_authorised=frozenset({"EE"})))
    message = str(exc.value)
    assert "low-impact" in message and "tracked" in message and "66 t" in message
    light = plan(PlanRequest("tidworth", "tapa", WINTER, "Foxhound:4", pre_authorised=frozenset({"EE"})))
    estonia = next(s for s in light["states"] if s["state"] == "EE")
    assert "pre-authorisation" in estonia["permission"]["lead_time"]["basis"]


def test_after_a_refusal_the_re_plan_avoids_the_state_that_refused():
    first = plan(PlanRequest("bergen_hohne", "rukla", WINTER, "Boxer:10", mode="road"))
    crossed = [s["state"] for s in first["states"]]
    assert "PL" in crossed
    again = plan(PlanRequest("bergen_hohne", "rukla", WINTER, "Boxer:10", mode="any", avoid_states=frozenset({"PL"})))
    assert "PL" not in [s["state"] for s in again["states"]]


def _closure_network(tmp_path, closures):
    nodes = [node("a", "DE", 52.0, 13.0), node("b", "DE", 52.0, 13.5), node("c", "DE", 52.3, 13.25)]
    edges = [
        edge("bridge", "road", "a", "b", 35, name="Elbe bridge"),
        edge("d1", "road", "a", "c", 40),
        edge("d2", "road", "c", "b", 40),
    ]
    return write(tmp_path, nodes, edges, closures)


def test_a_plan_avoids_a_bridge_closed_on_the_day_it_would_be_crossed(tmp_path):
    net = _closure_network(
        tmp_path,
        [
            {
                "id": "c1",
                "element": "edge",
                "target": "bridge",
                "closed_from": "2027-03-01",
                "closed_until": "2027-03-03",
            }
        ],
    )
    during = plan(PlanRequest("a", "b", dt.date(2027, 3, 2), "MAN HX60:4"), network=net)
    assert [one_leg["edge"] for one_leg in legs(during["packets"][0])] == ["d1", "d2"]
    after = plan(PlanRequest("a", "b", dt.date(2027, 3, 4), "MAN HX60:4"), network=net)
    assert [one_leg["edge"] for one_leg in legs(after["packets"][0])] == ["bridge"]


def test_a_closed_node_with_no_way_round_refuses_the_plan_naming_the_closure(tmp_path):
    net = _closure_network(
        tmp_path,
        [
            {
                "id": "c2",
                "element": "node",
                "target": "b",
                "closed_from": "2027-03-01",
                "closed_until": "2027-03-10",
                "reason": "exercise area closed",
            }
        ],
    )
    with pytest.raises(InputError, match="closed from 2027-03-01 to 2027-03-10: exercise area closed"):
        plan(PlanRequest("a", "b", dt.date(2027, 3, 2), "MAN HX60:4"), network=net)


def test_with_the_filing_date_known_the_route_through_fewer_slow_states_wins(tmp_path):
    # Two ways from a (DE) to b (DE): a short one through Poland (45 days' notice, default) and a longer one
    # staying in Germany. Filed only ten days ahead, the Polish route cannot leave on time: the German one wins.
    nodes = [
        node("a", "DE", 52.0, 13.0),
        node("p", "PL", 52.0, 14.5),
        node("b", "DE", 53.0, 14.0),
        node("c", "DE", 53.5, 13.0),
    ]
    edges = [
        edge("via_pl1", "road", "a", "p", 100),
        edge("via_pl2", "road", "p", "b", 100),
        edge("home1", "road", "a", "c", 200),
        edge("home2", "road", "c", "b", 200),
    ]
    net = write(tmp_path, nodes, edges)
    depart = dt.date(2027, 3, 1)
    unfiled = plan(PlanRequest("a", "b", depart, "MAN HX60:4"), network=net)
    assert [s["state"] for s in unfiled["states"]] == ["DE", "PL"]
    filed = plan(PlanRequest("a", "b", depart, "MAN HX60:4", filed_on=depart - dt.timedelta(days=10)), network=net)
    assert [s["state"] for s in filed["states"]] == ["DE"]
    assert filed["filing"]["requested_departure_feasible"]


def test_the_night_rest_is_taken_at_the_barracks_passed_an_hour_earlier_not_at_a_motorway_junction(tmp_path):
    nodes = [
        node("a", "DE", 52.0, 5.0, kind="garrison"),
        node("b", "DE", 52.0, 6.0, kind="junction"),
        node("s", "DE", 52.0, 7.0, kind="garrison"),
        node("c", "DE", 52.0, 7.5, kind="junction"),
        node("d", "DE", 52.0, 9.0, kind="garrison"),
    ]
    edges = [
        edge("ab", "road", "a", "b", 264),
        edge("bs", "road", "b", "s", 198),  # 4 h, then 3 h
        edge("sc", "road", "s", "c", 66),
        edge("cd", "road", "c", "d", 264),
    ]  # 1 h, then 4 h
    net = write(tmp_path, nodes, edges)
    packet = plan(PlanRequest("a", "d", dt.datetime(2027, 3, 1, 6), "MAN HX60:1"), network=net)["packets"][0]
    rests = [one_leg for one_leg in packet["legs"] if one_leg.get("what") == "night rest"]
    assert [r["at"] for r in rests] == ["s"]
