"""`accord safe ...` commands: exit 0 eligible, 1 not eligible, 2 bad input; stable JSON."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from accord.cli import app

from .builders import case_data

runner = CliRunner()


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_prints_the_verdict_as_json_and_exits_1_when_not_eligible(tmp_path):
    case = write(tmp_path / "case.json", case_data({"PL": 640, "GB": 360}))
    result = runner.invoke(app, ["safe", "check", str(case), "--json"])
    assert result.exit_code == 1
    verdict = json.loads(result.stdout)
    assert verdict["eligible"] is False
    assert verdict["scenario"] == "baseline"
    assert verdict["component_cost_eur"] == 1000.0
    assert verdict["non_eligible_cost_eur"] == 360.0
    assert verdict["non_eligible_share"] == 0.36
    assert verdict["headroom_eur"] == -15.39  # the price cut needed: 10 / (1 - 35%), rounded up
    assert verdict["headroom"]["resource_eur"] == 10.0
    assert verdict["cost_by_origin"] == {"GB": 360.0, "PL": 640.0}
    component = [c for c in verdict["checks"] if c["rule"] == "component_cost"][0]
    assert set(component) == {"rule", "passed", "reference", "detail"}
    assert component["reference"] == "Regulation (EU) 2025/1106, Art. 16(10)"


def test_check_exits_0_for_an_eligible_case_and_prints_each_check(tmp_path):
    case = write(tmp_path / "case.json", case_data({"PL": 700, "GB": 300}))
    result = runner.invoke(app, ["safe", "check", str(case)])
    assert result.exit_code == 0, result.output
    assert "ELIGIBLE" in result.stdout and "component_cost" in result.stdout


def test_check_exits_2_and_names_the_item_and_field_for_bad_input(tmp_path):
    data = case_data()
    data["bom"][1]["unit_cost_eur"] = -1
    result = runner.invoke(app, ["safe", "check", str(write(tmp_path / "case.json", data)), "--json"])
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert errors == [
        {
            "message": "unit_cost_eur must not be negative (-1)",
            "field": "bom[1].unit_cost_eur",
            "line": None,
            "item": "PART-PL",
        }
    ]


def test_check_exits_2_for_a_missing_file_or_an_unknown_scenario(tmp_path):
    assert runner.invoke(app, ["safe", "check", str(tmp_path / "nope.json")]).exit_code == 2
    case = write(tmp_path / "case.json", case_data())
    assert runner.invoke(app, ["safe", "check", str(case), "--scenario", "no-such-scenario"]).exit_code == 2
    assert runner.invoke(app, ["safe", "check", str(case), "--on", "tomorrow"]).exit_code == 2


def test_check_with_a_scenario_and_a_date_applies_the_hypothetical_uk_agreement(tmp_path):
    case = write(tmp_path / "case.json", case_data({"PL": 600, "GB": 400}))
    result = runner.invoke(
        app, ["safe", "check", str(case), "--scenario", "uk-participation", "--on", "2027-01-01", "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["scenario"] == "uk-participation"


def test_compare_shows_two_scenarios_side_by_side(tmp_path):
    case = write(tmp_path / "case.json", case_data({"PL": 600, "GB": 400}))
    result = runner.invoke(
        app, ["safe", "check", str(case), "--on", "2027-01-01", "--compare", "uk-participation", "--json"]
    )
    assert result.exit_code == 1  # the exit code follows the first (here the baseline) scenario
    verdicts = json.loads(result.stdout)["verdicts"]
    assert [(v["scenario"], v["eligible"]) for v in verdicts] == [("baseline", False), ("uk-participation", True)]
    text = runner.invoke(app, ["safe", "check", str(case), "--on", "2027-01-01", "--compare", "uk-participation"])
    assert "uk-participation" in text.stdout and "baseline" in text.stdout


def test_batch_assesses_every_case_in_a_folder_into_a_csv(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    write(folder / "a.json", case_data({"PL": 1000}))
    write(folder / "b.json", case_data({"PL": 500, "US": 500}))
    broken = case_data()
    broken["procurers"] = ["PL", "ZZ"]
    write(folder / "c.json", broken)
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["safe", "batch", str(folder), "--out", str(out)])
    assert result.exit_code == 2  # one case had bad input; the others are still in the CSV
    rows = {r["file"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["a.json"]["eligible"] == "True"
    assert rows["b.json"]["eligible"] == "False" and rows["b.json"]["failed_rules"] == "component_cost"
    assert "procurers[1]" in rows["c.json"]["errors"]


def test_scenarios_lists_the_baseline_and_the_uk_participation_scenario():
    result = runner.invoke(app, ["safe", "scenarios", "--json"])
    assert result.exit_code == 0
    assert [s["name"] for s in json.loads(result.stdout)][:2] == ["baseline", "uk-participation"]


def test_parameters_show_the_value_in_force_on_a_date_with_its_reference():
    result = runner.invoke(app, ["safe", "parameters", "--on", "2026-06-01", "--json"])
    assert result.exit_code == 0
    params = {p["name"]: p for p in json.loads(result.stdout)["parameters"]}
    cap = params["safe.component_cost.non_eligible_cap"]
    assert cap["value_on_date"] == 0.35 and cap["confidence"] == "quoted"
    assert params["safe.common_procurement.single_state_contract_deadline"]["confidence"] == "inferred"


@pytest.mark.django_db
def test_submit_stores_an_assessment_as_a_user_and_assessments_lists_what_a_party_may_see(tmp_path, make_user):
    from accord.procurement.models import Assessment

    make_user("PL", "editor", username="pl-editor")
    make_user("GB", "viewer", username="gb-viewer")
    case = write(tmp_path / "case.json", case_data({"PL": 640, "GB": 360}))
    result = runner.invoke(app, ["safe", "submit", str(case), "--user", "pl-editor", "--json"])
    assert result.exit_code == 1, result.output  # stored, and not eligible
    stored = json.loads(result.stdout)
    assert Assessment.objects.get(pk=stored["id"]).owner.code == "PL"
    mine = json.loads(runner.invoke(app, ["safe", "assessments", "--user", "pl-editor", "--json"]).stdout)
    theirs = json.loads(runner.invoke(app, ["safe", "assessments", "--user", "gb-viewer", "--json"]).stdout)
    assert [a["id"] for a in mine] == [stored["id"]] and theirs == []
    assert runner.invoke(app, ["safe", "submit", str(case), "--user", "nobody"]).exit_code == 2
    assert runner.invoke(app, ["safe", "submit", str(case), "--user", "gb-viewer"]).exit_code == 2
    assert Assessment.objects.count() == 1


def test_a_case_without_an_assessment_date_needs_one_from_the_on_option(tmp_path):
    data = case_data()
    del data["assessment_date"]
    case = write(tmp_path / "case.json", data)
    missing = runner.invoke(app, ["safe", "check", str(case), "--json"])
    assert missing.exit_code == 2
    assert json.loads(missing.stdout)["errors"][0]["field"] == "assessment_date"
    given = runner.invoke(app, ["safe", "check", str(case), "--on", "2026-03-01", "--json"])
    assert given.exit_code == 0 and json.loads(given.stdout)["assessment_date"] == "2026-03-01"


def test_batch_escapes_spreadsheet_formulas_and_replaces_the_results_file_whole(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    write(folder / "a.json", case_data({"PL": 1000}, title='=HYPERLINK("http://evil.example","Click")'))
    write(folder / "b.json", case_data({"PL": 1000}, title="@SUM(A1:A9)"))
    write(folder / "c.json", case_data({"PL": 1000}, title="-2+3"))
    out = tmp_path / "results.csv"
    out.write_text("the previous results\n", encoding="utf-8")
    result = runner.invoke(app, ["safe", "batch", str(folder), "--out", str(out)])
    assert result.exit_code == 0
    rows = {r["file"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["a.json"]["title"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows["b.json"]["title"] == "'@SUM(A1:A9)" and rows["c.json"]["title"] == "'-2+3"
    assert rows["a.json"]["component_cost_eur"] == "1000.0"  # numbers stay numbers
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # renamed into place


def test_check_counts_an_unknown_origin_as_non_eligible_or_refuses_it_with_the_strict_option(tmp_path):
    data = case_data({"PL": 900})
    data["bom"].append({"id": "SEAL", "parent": "END", "quantity": 1, "purchased": True, "unit_cost": 100})
    case = write(tmp_path / "case.json", data)
    counted = runner.invoke(app, ["safe", "check", str(case), "--json"])
    assert counted.exit_code == 0 and json.loads(counted.stdout)["unknown_origin_cost_eur"] == 100.0
    text = runner.invoke(app, ["safe", "check", str(case)])
    assert "€100.00 of components have no origin" in text.stdout
    strict = runner.invoke(app, ["safe", "check", str(case), "--unknown-origin", "refuse", "--json"])
    assert strict.exit_code == 2
    assert json.loads(strict.stdout)["errors"][0]["field"] == "bom[2].origin"
