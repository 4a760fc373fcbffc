"""`accord missions list|show|fpa|steps|forcegen` (no database)."""

import json

import typer
from typer.testing import CliRunner

from accord.missions.cli import register

runner = CliRunner()


def accord():
    root = typer.Typer()
    register(root)

    @root.command()
    def version():  # a second command keeps `missions` a sub-group
        pass

    return root


def invoke(*args):
    return runner.invoke(accord(), ["missions", *args])


def test_the_list_on_a_date_gives_current_missions_and_the_published_headline_apart():
    result = invoke("list", "--json", "--on", "2024-10-14")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # 21 missions counted; EU RACC Sahel is listed but, as a cell of EUCAP Sahel Mali, not counted.
    assert data["computed_totals"]["missions"] == 21
    assert len(data["missions"]) == 22
    assert [m["acronym"] for m in data["missions"] if m["part_of"]] == ["EU RACC SAHEL"]
    assert data["published_headline"]["figures"]["missions"] == 24
    assert {m["status"] for m in data["missions"]} <= {"ongoing", "mandate_end_unknown", "lapsed_unless_renewed"}


def test_the_list_filters_by_type_and_region():
    data = json.loads(
        invoke("list", "--json", "--on", "2025-01-01", "--type", "military", "--region", "Maritime").output
    )
    assert sorted(m["acronym"] for m in data["missions"]) == [
        "EUNAVFOR ASPIDES",
        "EUNAVFOR ATALANTA",
        "EUNAVFOR MED IRINI",
    ]


def test_an_unknown_type_is_bad_input():
    result = invoke("list", "--type", "naval")
    assert result.exit_code == 2
    assert "--type must be one of" in result.output


def test_show_gives_one_mission_with_its_legal_basis():
    data = json.loads(invoke("show", "eumam-ukraine", "--json", "--on", "2025-01-01").output)
    assert data["acronym"] == "EUMAM UKRAINE"
    assert "2022/1968" in data["legal_basis"]["title"]
    assert data["strength"] is None


def test_show_of_an_unknown_acronym_exits_2():
    result = invoke("show", "EUFOR NARNIA")
    assert result.exit_code == 2
    assert "no mission" in result.output


def test_the_fpa_register_lists_norway_and_not_the_uk():
    data = json.loads(invoke("fpa", "--json", "--on", "2026-01-01").output)
    parties = {a["party"] for a in data["agreements"] if a["in_force"]}
    assert "NO" in parties and "GB" not in parties


def test_the_steps_table_names_the_council_for_acceptance():
    data = json.loads(invoke("steps", "--json", "--on", "2026-01-01").output)
    accept = next(t for t in data["transitions"] if t["action"] == "accept")
    assert accept["party"] == "COUNCIL" and accept["roles"] == ["approver"]


def test_forcegen_prints_allocation_and_gaps_and_exits_1_when_gaps_remain(tmp_path):
    path = tmp_path / "sor.yaml"
    path.write_text(
        "date: 2027-01-01\n"
        "mission: EUFOR ALTHEA\n"
        "requirements:\n"
        "  - {id: R1, capability: infantry_company, quantity: 2, needed_from: 2027-03-01, duration_days: 180}\n"
        "offers:\n"
        "  - {id: O1, party: FR, capability: infantry_company, quantity: 1, available_from: 2027-02-01}\n",
        encoding="utf-8",
    )
    result = invoke("forcegen", str(path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["totals"] == {"required": 2, "filled": 1, "missing": 1}
    assert data["gaps"][0]["requirement"] == "R1"


def test_forcegen_exits_0_when_everything_is_filled(tmp_path):
    path = tmp_path / "sor.json"
    path.write_text(
        json.dumps(
            {
                "date": "2027-01-01",
                "invited": ["NO"],
                "requirements": [
                    {
                        "id": "R1",
                        "capability": "eod_team",
                        "quantity": 1,
                        "needed_from": "2027-03-01",
                        "duration_days": 90,
                    }
                ],
                "offers": [
                    {"id": "O1", "party": "NO", "capability": "eod_team", "quantity": 1, "available_from": "2027-01-01"}
                ],
            }
        ),
        encoding="utf-8",
    )
    result = invoke("forcegen", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["allocations"][0]["party"] == "NO"


def test_forcegen_names_each_bad_field_and_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "date": "2027-01-01",
                "requirements": [
                    {
                        "id": "R1",
                        "capability": "unicorn",
                        "quantity": -2,
                        "needed_from": "2027-03-01",
                        "duration_days": 90,
                    }
                ],
                "offers": [
                    {"id": "O1", "party": "XX", "capability": "eod_team", "quantity": 1, "available_from": "2027-01-01"}
                ],
            }
        ),
        encoding="utf-8",
    )
    result = invoke("forcegen", str(path), "--json")
    assert result.exit_code == 2
    for field in ("requirements[0].capability", "requirements[0].quantity", "offers[0].party"):
        assert field in result.output
    assert "Traceback" not in result.output


def test_forcegen_reports_the_line_of_a_broken_yaml_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("date: 2027-01-01\nrequirements: [\n  {id: R1\n", encoding="utf-8")
    result = invoke("forcegen", str(path))
    assert result.exit_code == 2
    assert "not valid YAML" in result.output and "line" in result.output


def test_forcegen_of_a_missing_file_exits_2():
    result = invoke("forcegen", "/nonexistent/sor.yaml")
    assert result.exit_code == 2
    assert "not found" in result.output


def test_show_gives_dates_as_precisely_as_known_and_the_mandate_then_in_force():
    result = invoke("show", "EU SSR GUINEA-BISSAU", "--on", "2009-01-01")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "June 2008" in text and "2008-06-30" not in text
    assert "31 May 2009" in text  # the first mandate, before its extensions
    assert "Guinea-Bissau" in text and " GW" not in text
