"""Deploying a whole force against real capacity (issue 14): the force list, the scheduler, its output.

Every capacity check here recomputes the loads from the plan's ``schedule``
(the legs as a user sees them), not from the scheduler's own bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import lru_cache

import pytest
import typer
import yaml
from typer.testing import CliRunner

from accord.errors import InputError
from accord.mobility.cli import register
from accord.mobility.engine.deploy import deploy
from accord.mobility.engine.deploy.capacity import load_capacity
from accord.mobility.engine.deploy.export import to_csv, to_xlsx
from accord.mobility.engine.deploy.forcelist import read_force_list
from accord.mobility.engine.planner import default_network, shipped_catalogue
from accord.mobility.engine.rules import mobility_parameters

HEADER = "unit,vehicle,count,personnel,origin,destination,ready,due,priority\n"


@lru_cache(maxsize=1)
def setting():
    params = mobility_parameters()
    return params, default_network(params, dt.date(2027, 3, 1)), shipped_catalogue()


def force(text: str, name: str = "force.csv"):
    params, network, catalogue = setting()
    return read_force_list(text.encode(), name, network, catalogue)


def run(text: str, assets: dict | None = None, **kw):
    params, network, catalogue = setting()
    capacity = load_capacity(network, assets)
    return deploy(force(text), network=network, catalogue=catalogue, params=params, capacity=capacity, **kw).data


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- the force list ------------------------------------------------------------------------------


def test_a_bad_force_list_names_every_problem_by_line_and_column():
    text = (
        "Deployment of 1 Brigade;;;\n"  # a title row above the header
        "Unit;Vehicle;Count;Personnel;Origin;Destination;Ready;Due;Priority\n"
        "A Sqn;Challenger 9;0;x;tidworh;tapa;01/03/2027;2027-03-09;7\n"
        "B Sqn;Boxer;3;1;tidworth;tidworth;2027-03-01;2027-02-05;1\n"
        "C Sqn;Boxer;3;1;tidworth;tapa;2027-03-01;2027-03-09;1\n"
        "C Sqn;Foxhound;3;1;bulford;tapa;2027-03-01;2027-03-09;1\n"
    )
    with pytest.raises(InputError) as caught:
        force(text)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {
        (3, "vehicle"),
        (3, "count"),
        (3, "personnel"),
        (3, "origin"),
        (3, "ready"),
        (3, "priority"),
        (4, "destination"),
        (4, "due"),
        (6, "origin"),
    }
    messages = " ".join(p.message for p in caught.value.problems)
    assert "did you mean tidworth" in messages
    assert "could be read either way" in messages


def test_a_semicolon_force_list_with_a_byte_order_mark_and_whole_numbers_written_with_decimals_is_read():
    text = "\ufeffUnit;Vehicle;Count;Personnel;Origin;Destination;Ready;Due;Priority\nA;Boxer;12,0;80;Tidworth Garrison (Salisbury Plain);tapa;1 March 2027;2027-03-12;2\n"
    units = force(text).units
    assert [(u.name, u.vehicle_count, u.origin, u.ready, u.priority) for u in units] == [
        ("A", 12, "tidworth", dt.date(2027, 3, 1), 2)
    ]


def test_an_xlsx_force_list_with_a_title_row_is_read_with_its_sheet_line_numbers():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["1 Brigade deployment"])
    sheet.append([])
    sheet.append(["Unit", "Vehicle", "Count", "Personnel", "Origin", "Destination", "Ready", "Due", "Priority"])
    sheet.append(
        ["A Sqn", "Challenger 3", 14, 60, "tidworth", "tapa", dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 12), 1]
    )
    sheet.append(["B Sqn", "Boxer", 2.5, 60, "tidworth", "tapa", dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 12), 1])
    buffer = io.BytesIO()
    book.save(buffer)
    params, network, catalogue = setting()
    with pytest.raises(InputError) as caught:
        read_force_list(buffer.getvalue(), "force.xlsx", network, catalogue)
    assert [(p.line, p.field) for p in caught.value.problems] == [(5, "count")]


def test_a_json_force_list_is_read_and_a_missing_column_is_named_by_its_position():
    params, network, catalogue = setting()
    good = [
        {
            "unit": "A",
            "vehicle": "Boxer",
            "count": 4,
            "personnel": 20,
            "origin": "tidworth",
            "destination": "tapa",
            "ready": "2027-03-01",
            "due": "2027-03-12",
            "priority": 2,
        }
    ]
    assert read_force_list(json.dumps(good).encode(), "f.json", network, catalogue).units[0].vehicle_count == 4
    bad = good + [{k: v for k, v in good[0].items() if k != "due"}]
    with pytest.raises(InputError) as caught:
        read_force_list(json.dumps({"units": bad}).encode(), "f.json", network, catalogue)
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "due")]


def test_the_cli_refuses_a_bad_force_list_with_every_error_and_exit_code_2(tmp_path):
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """accord"""

    register(root)
    path = tmp_path / "force.csv"
    path.write_text(
        HEADER + "A,Tank,1,1,tidworth,tapa,2027-03-01,2027-03-09,1\nB,Boxer,-2,1,nowhere,tapa,2027-03-01,2027-03-09,1\n"
    )
    result = CliRunner().invoke(root, ["move", "deploy", str(path), "--json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for where in ("line 2", "'vehicle'", "line 3", "'count'", "'origin'"):
        assert where in result.output


# --- the schedule against capacity ------------------------------------------------------------------


def _brigade(
    n: int,
    origin="tidworth",
    destination="tapa",
    vehicle="Challenger 3",
    count=14,
    due="2027-03-20",
    ready="2027-03-01",
    prefix="U",
):
    return "".join(
        f"{prefix}{i:02d},{vehicle},{count},40,{origin},{destination},{ready},{due},{1 + i % 5}\n" for i in range(n)
    )


TIGHT = {
    "ships": [
        {"id": "hurst_point", "count": 1},
        {"id": "eddystone", "count": 0},
        {"id": "hartland_point", "count": 0},
        {"id": "anvil_point", "count": 0},
        {"id": "chartered_roro", "count": 1},
    ],
    "nodes": {"marchwood": {"roro_calls_per_day": 1}},
    "node_defaults": {"border": {"vehicles_per_day": 50}},
    "transporters": [{"nation": "GB", "count": 40}],
}


def check_capacity(data: dict, assets: dict | None):
    """Recompute every load from ``schedule`` and compare it with the capacity figures."""
    params, network, catalogue = setting()
    capacity = load_capacity(network, assets)
    rows = data["schedule"]
    # Road space: on one edge in one direction, no two columns' reservations overlap.
    road = defaultdict(list)
    for r in rows:
        if r["mode"] == "road":
            road[(r["edge"], r["from"], r["to"])].append((moment(r["start"]), moment(r["clear"]), r["march_column"]))
    for key, spans in road.items():
        spans.sort()
        for (_s1, e1, c1), (s2, _e2, c2) in zip(spans, spans[1:], strict=False):
            assert s2 >= e1, f"{c1} and {c2} overlap on {key}"
    # Sailings: lane metres within the ship's, one ship never in two sailings at once, port calls a day.
    ships = {s.id: s for s in capacity.ships}
    sailings = defaultdict(dict)
    for r in rows:
        if r["mode"] == "sea":
            sailings[r["column"]][r["march_column"]] = r
    ship_spans = defaultdict(list)
    calls = defaultdict(set)
    for sailing, members in sailings.items():
        first = next(iter(members.values()))
        ship = next(s for s in capacity.ships if s.name == first["asset"])
        metres = 0.0
        for r in members.values():
            v = catalogue.find(r["vehicle"])
            carried = {x["asset"] for x in rows if x["march_column"] == r["march_column"] and x["mode"] == "road"}
            het = [catalogue.find(a) for a in carried if catalogue.find(a) is not None]
            het_length = (het[0].length_m or capacity.unknown_transporter_length_m) if het else 0.0
            metres += r["vehicles"] * (
                (v.length_m or capacity.unknown_vehicle_length_m) + capacity.lane_gap_m + het_length
            )
        assert metres <= ships[ship.id].lane_metres + 1e-6, f"{sailing} carries {metres} lane metres"
        assert len({(r["start"], r["end"]) for r in members.values()}) == 1, f"{sailing} has one time"
        ship_spans[ship.id].append((moment(first["start"]), moment(first["end"])))
        calls[(first["from"], moment(first["start"]).date())].add(sailing)
        calls[(first["to"], moment(first["end"]).date())].add(sailing)
    for spans in ship_spans.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            assert s2 >= e1
    for (port, day), used in calls.items():
        limit = capacity.node_limit(network, port, "roro_calls_per_day")
        assert limit is None or len(used) <= limit, f"{port} has {len(used)} calls on {day}"
    # Border crossings: vehicles a day (local date of the crossing).
    crossing = defaultdict(int)
    for r in rows:
        if r["mode"] == "road" and network.node(r["from"]).kind == "border":
            crossing[(r["from"], moment(r["start"]).date())] += r["vehicles"]
    for (node, day), used in crossing.items():
        assert used <= capacity.node_limit(network, node, "vehicles_per_day"), f"{node} on {day}: {used}"
    # Transporters: at no moment more of a nation's transporters on the road than its fleet.
    het = [(moment(r["start"]), moment(r["end"]), r["vehicles"]) for r in rows if r["asset"] == "Oshkosh HET"]
    for start, _, _ in het:
        assert sum(n for s, e, n in het if s <= start < e) <= capacity.transporters["GB"]
    return crossing, calls


def test_no_ship_port_border_or_transporter_fleet_is_ever_over_its_capacity():
    text = HEADER + _brigade(12) + _brigade(10, vehicle="Boxer", count=20, due="2027-03-14", prefix="B")
    text += _brigade(6, origin="munster_ni", destination="rukla", vehicle="Leopard 2A7", count=14, prefix="DE")
    assets = TIGHT | {"transporters": [{"nation": "GB", "count": 40}, {"nation": "DE", "count": 100}]}
    data = run(text, assets, time_limit_s=5)
    crossing, calls = check_capacity(data, assets)
    assert max(crossing.values()) <= 50 and any(v > 30 for v in crossing.values())  # the border limit was exercised
    assert max(len(v) for v in calls.values()) == 1  # Marchwood's one call a day was the limit
    node_load = {(n["node"], n["date"], n["kind"]): n for n in data["node_load"]}
    assert all(n["used"] <= n["capacity"] for n in node_load.values() if n["capacity"] is not None)


def test_no_two_road_columns_use_one_road_edge_at_the_same_time():
    # Ten units leave the same garrison on the same morning by the same roads.
    data = run(HEADER + _brigade(10, vehicle="Boxer", count=20, due="2027-03-20"), time_limit_s=5)
    starts = defaultdict(list)
    for r in data["schedule"]:
        if r["mode"] == "road":
            starts[(r["edge"], r["from"], r["to"])].append((moment(r["start"]), moment(r["clear"])))
            assert moment(r["clear"]) > moment(r["start"])  # each column reserves its length in time
    shared = [spans for spans in starts.values() if len(spans) >= 10]
    assert shared, "the columns share roads"
    for spans in shared:
        spans.sort()
        assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:], strict=False))
        assert len({s for s, _ in spans}) == len(spans)  # nobody starts the same leg at the same minute


def test_a_port_bottleneck_makes_a_unit_late_and_the_plan_names_the_port():
    assets = {
        "ships": [{"id": s, "count": 0} for s in ("eddystone", "hartland_point", "anvil_point", "chartered_roro")],
        "nodes": {"marchwood": {"roro_calls_per_day": 1}},
    }
    data = run(HEADER + _brigade(24, due="2027-03-08"), assets, time_limit_s=5)
    late = [u for u in data["units"] if u["late_hours"]]
    assert late, "one ship and one call a day cannot carry 24 tank squadrons in a week"
    assert any(
        "Marchwood Military Port: 1 ro-ro call a day" in u["binding"] or "ro-ro ships" in u["binding"] for u in late
    )
    on_time = [u for u in data["units"] if u["late_hours"] == 0]
    assert on_time and min(u["priority"] for u in on_time) == 1  # the urgent units go first
    check_capacity(data, assets)


def test_a_unit_that_cannot_make_its_due_date_even_unhindered_is_late_because_of_its_journey():
    data = run(HEADER + "Fast,Boxer,4,10,tidworth,tapa,2027-03-01,2027-03-02,1\n", time_limit_s=2)
    unit = data["units"][0]
    assert unit["late_hours"] > 0 and unit["binding"].startswith("the journey itself")


def test_the_solver_is_never_worse_than_the_greedy_schedule():
    data = run(HEADER + _brigade(16, due="2027-03-09"), TIGHT, time_limit_s=5)
    s = data["summary"]
    assert s["weighted_late_hours"] <= s["greedy_weighted_late_hours"]
    assert s["solver"].startswith("CP-SAT")


def test_permissions_are_aggregated_per_state_across_the_force_and_exports_carry_every_table():
    text = (
        HEADER
        + _brigade(3, vehicle="Boxer", count=20)
        + _brigade(2, origin="munster_ni", destination="rukla", vehicle="Leopard 2A7", prefix="DE")
    )
    data = run(text, time_limit_s=2)
    by = {(p["state"], p["requesting_state"]): p for p in data["permissions"]}
    assert by[("EE", "GB")]["units"] == 3 and by[("EE", "GB")]["vehicles"] == 60
    assert ("LT", "DE") in by and ("PL", "DE") in by and by[("LT", "DE")]["units"] == 2
    assert (
        to_csv(data, "schedule").decode("utf-8-sig").splitlines()[0].startswith('Unit,"Column, sailing or train",Mode')
    )
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(data)))
    assert book.sheetnames == ["Units", "Schedule", "Sailings and trains", "Node load", "Permissions"]


def test_the_shipped_capacity_figures_each_have_a_source_or_are_marked_inferred_with_a_reason():
    from accord.mobility.engine.deploy.capacity import CAPACITY_FILE

    data = yaml.safe_load(CAPACITY_FILE.read_text())

    def figures(node, path=""):
        if isinstance(node, dict) and "value" in node:
            yield path, node
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from figures(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from figures(v, f"{path}[{i}]")

    found = list(figures(data))
    assert len(found) > 20
    for path, figure in found:
        assert str(figure.get("source", "")).startswith("https://") or (
            figure.get("inferred") and len(figure.get("why", "")) > 20
        ), path
