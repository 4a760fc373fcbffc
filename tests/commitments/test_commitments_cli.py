"""`accord commitments ...` commands (no database): stable JSON and exit codes."""

import json

import typer
from typer.testing import CliRunner

from accord.commitments.cli import register

runner = CliRunner()


def accord():
    root = typer.Typer()
    register(root)

    @root.command()
    def version():  # a second command keeps `commitments` a sub-group
        pass

    return root


def run(*args):
    return runner.invoke(accord(), ["commitments", *args])


def test_status_as_json_gives_each_state_and_target_with_its_status():
    result = run("status", "--on", "2025-10-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {(r["target"], r["state"]): r for r in data["statuses"]}
    assert rows[("uk_2027", "GB")]["status"] == "on_track"
    assert rows[("uk_2027", "GB")]["figure"]["percent_gdp"] == 2.4
    assert rows[("nato_hague_2035_core", "PL")]["status"] == "met"
    assert data["summary"]["nato_wales_2014"]["unknown"] >= 1
    assert data["rule"]["parameter"]["confidence"] == "inferred"


def test_status_json_is_stable_with_sorted_keys():
    first = run("status", "--on", "2025-10-01", "--json").output
    assert first == run("status", "--on", "2025-10-01", "--json").output
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_status_can_be_narrowed_to_one_state_and_one_target():
    data = json.loads(run("status", "--on", "2025-10-01", "--state", "gb", "--target", "uk_2035_core", "--json").output)
    assert [(r["state"], r["target"]) for r in data["statuses"]] == [("GB", "uk_2035_core")]


def test_bad_input_names_every_problem_and_exits_2_without_a_traceback():
    result = run("status", "--on", "2025-02-30", "--state", "ZZ", "--target", "nope")
    assert result.exit_code == 2
    assert "--on" in result.output and "ZZ" in result.output and "nope" in result.output
    assert "Traceback" not in result.output


def test_safe_allocations_json_passes_both_checks_and_exits_0():
    result = run("safe-allocations", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total_eur"] == 150_000_000_000 and data["passed"] is True
    assert data["allocations"][0] == {
        "state": "PL",
        "name": "Poland",
        "amount_eur": 43_734_100_805,
        "share": data["allocations"][0]["share"],
    }


def test_groupings_json_lists_jef_e5_and_the_three_bilateral_treaties():
    data = json.loads(run("groupings", "--on", "2025-06-01", "--json").output)
    ids = [g["id"] for g in data["groupings"]]
    assert ids[:3] == ["JEF", "E5", "COALITION_OF_THE_WILLING"]
    assert {"lancaster-house-2010", "trinity-house-2024", "uk-estonia-roadmap-2024"} <= set(ids)


def test_spending_json_keeps_gaps_as_null():
    data = json.loads(run("spending", "--on", "2025-10-01", "--json").output)
    germany = next(r for r in data["latest"] if r["state"] == "DE")
    assert germany["figure"] is None and germany["gap_note"]


def test_targets_json_lists_the_targets_in_force():
    data = json.loads(run("targets", "--on", "2025-01-01", "--json").output)
    assert [t["id"] for t in data["targets"]] == ["nato_wales_2014"]  # before the UK and Hague pledges
