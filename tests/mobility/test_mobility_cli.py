"""`accord move plan`, `accord move vehicles`, `accord network export` and `import-osm`."""

import json

import typer
from typer.testing import CliRunner

from accord.mobility.cli import register

root = typer.Typer()


@root.callback()
def _root() -> None:
    """accord"""


register(root)
runner = CliRunner()


def run(*args):
    return runner.invoke(root, list(args))


def test_plan_prints_stable_json_with_legs_states_and_deadlines():
    r = run(
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "tapa",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Challenger 3:14,MAN HX60:40",
        "--filed-on",
        "2026-01-05",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["request"]["vehicles"] == [{"count": 14, "name": "Challenger 3"}, {"count": 40, "name": "MAN HX60"}]
    assert data["states"][-1]["state"] == "EE"
    assert data["states"][-1]["permission"]["latest_submission"]
    assert data["filing"]["earliest_departure"]
    assert all(
        {"mode", "from", "to", "distance_km", "start", "end"} <= set(one_leg)
        for p in data["packets"]
        for one_leg in p["legs"]
        if one_leg["kind"] == "leg"
    )


def test_plan_without_json_prints_a_table():
    r = run(
        "move", "plan", "--from", "tidworth", "--to", "catterick", "--depart", "2026-03-02", "--vehicles", "Boxer:4"
    )
    assert r.exit_code == 0, r.output
    assert "Packet 1" in r.stdout and "States crossed" in r.stdout


def test_plan_writes_the_route_as_geojson(tmp_path):
    path = tmp_path / "route.geojson"
    r = run(
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "tapa",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Boxer:4",
        "--geojson",
        str(path),
        "--json",
    )
    assert r.exit_code == 0, r.output
    gj = json.loads(path.read_text())
    assert gj["type"] == "FeatureCollection"
    lines = [f for f in gj["features"] if f["geometry"]["type"] == "LineString"]
    assert lines and all(len(f["geometry"]["coordinates"]) == 2 for f in lines)


def test_unknown_vehicle_and_node_exit_2_with_each_problem_named():
    r = run("move", "plan", "--from", "nowhere", "--to", "tapa", "--depart", "2026-03-02", "--vehicles", "Tiger:1")
    assert r.exit_code == 2
    assert "unknown node 'nowhere'" in r.output and "unknown vehicle 'Tiger'" in r.output
    assert "Traceback" not in r.output


def test_a_bad_date_exits_2_and_still_reports_the_other_fields():
    r = run("move", "plan", "--from", "tidworth", "--to", "tapa", "--depart", "2026-02-30", "--vehicles", "Tiger:1")
    assert r.exit_code == 2
    assert "depart" in r.output and "Tiger" in r.output


def test_no_feasible_route_exits_2_naming_the_blocking_constraint():
    r = run(
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "tapa",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Challenger 3:1",
        "--mode",
        "rail",
        "--regime",
        "proposed-2025",
    )
    assert r.exit_code == 0  # rail and sea reach Tapa
    r = run(
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "rena",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Challenger 3:1",
        "--mode",
        "rail",
    )
    assert r.exit_code == 2
    assert "no route" in r.output and "mode 'rail'" in r.output


def test_network_export_json_lists_nodes_and_edges_with_all_attributes():
    r = run("network", "export", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert len(data["nodes"]) >= 150
    assert {"mlc_tracked", "mlc_wheeled", "max_height_m", "gauge_mm", "length_km", "source_url"} <= set(
        data["edges"][0]
    )
    assert {"country", "lat", "lon", "source_url"} <= set(data["nodes"][0])


def test_vehicles_json_lists_the_catalogue_with_load_classes():
    r = run("move", "vehicles", "--json")
    assert r.exit_code == 0
    by_name = {v["name"]: v for v in json.loads(r.stdout)["vehicles"]}
    assert by_name["Challenger 3"]["mlc_used"] == 80


def test_import_osm_writes_a_network_that_export_reads(tmp_path):
    from .test_mobility_osm import EXTRACT

    osm = tmp_path / "x.osm"
    osm.write_text(EXTRACT, encoding="utf-8")
    r = run("network", "import-osm", str(osm), "--country", "LT", "--out", str(tmp_path / "net"), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["edges"] == 4
    r = run("network", "export", "--json", "--network-dir", str(tmp_path / "net"))
    assert r.exit_code == 0 and json.loads(r.stdout)["version"] == "osm-import"


def test_the_conservative_roads_scenario_refuses_the_road_only_challenger_move_naming_the_load_class():
    args = [
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "tapa",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Challenger 3:2",
        "--mode",
        "road",
    ]
    assert run(*args, "--json").exit_code == 0
    r = run(*args, "--scenario", "conservative-roads")
    assert r.exit_code == 2 and "load class" in r.output


def test_an_unknown_scenario_exits_2_listing_the_built_in_ones():
    r = run(
        "move",
        "plan",
        "--from",
        "tidworth",
        "--to",
        "tapa",
        "--depart",
        "2026-03-02",
        "--vehicles",
        "Boxer:1",
        "--scenario",
        "nope",
    )
    assert r.exit_code == 2 and "conservative-roads" in r.output


def test_network_compile_checks_the_csv_files_and_writes_the_columns_that_export_then_reads(tmp_path):
    import shutil

    from accord.mobility.engine.network import DATA_DIR

    shutil.copytree(DATA_DIR, tmp_path / "net", ignore=shutil.ignore_patterns("arrays"))
    r = run("network", "compile", str(tmp_path / "net"), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["edges"] == 498 and (tmp_path / "net" / "arrays" / "manifest.json").is_file()
    from_arrays = run("network", "export", "--json", "--network-dir", str(tmp_path / "net"))
    shipped = run("network", "export", "--json")
    assert from_arrays.exit_code == 0 and json.loads(from_arrays.stdout) == json.loads(shipped.stdout)
    summary = run("network", "export", "--network-dir", str(tmp_path / "net"))
    assert "road" in summary.stdout and "rail" in summary.stdout


def test_network_compile_of_a_folder_without_csv_files_exits_2_naming_them(tmp_path):
    r = run("network", "compile", str(tmp_path))
    assert r.exit_code == 2 and "nodes.csv" in r.output and "edges.csv" in r.output
