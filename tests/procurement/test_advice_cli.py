"""Issue 10 on the command line: `accord safe check --json` parts and --xlsx, `accord safe resource`."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from accord.cli import app

from .builders import case_data
from .test_advice_resource import hand_built

runner = CliRunner()


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def dag_case() -> dict:
    data = case_data()
    data["bom"] = [
        {"id": "END", "parent": None, "quantity": 1},
        {"id": "HULL", "parent": "END", "quantity": 1},
        {"id": "TURRET", "parent": "END", "quantity": 1},
        {"id": "HARNESS", "parent": "HULL", "quantity": 2},  # a shared sub-assembly: a DAG
        {"id": "HARNESS", "parent": "TURRET", "quantity": 1},
        {"id": "=CABLE", "parent": "HARNESS", "quantity": 3, "purchased": True, "unit_cost_eur": 10, "origin": "US"},
        {"id": "PLATE", "parent": "HULL", "quantity": 1, "purchased": True, "unit_cost_eur": 100, "origin": "PL"},
    ]
    return data


def test_check_json_lists_each_part_with_its_rolled_up_cost_origin_share_and_every_where_used_path(tmp_path):
    result = runner.invoke(app, ["safe", "check", str(write(tmp_path / "case.json", dag_case())), "--json"])
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    cable, plate = out["parts"]  # largest non-eligible first
    assert cable["id"] == "=CABLE" and cable["origin"] == "US" and cable["eligible"] is False
    assert cable["quantity"] == 9.0 and cable["cost_eur"] == 90.0  # 3 per harness, 2 + 1 harnesses
    assert cable["share"] == round(90 / 190, 6)
    assert cable["where_used"] == ["END > HULL > HARNESS", "END > TURRET > HARNESS"]
    assert plate["id"] == "PLATE" and plate["eligible"] is True and plate["where_used"] == ["END > HULL"]
    assert set(out["headroom"]) >= {"extra_non_eligible_eur", "resource_eur", "price_cut_eur"}


def test_check_xlsx_writes_every_part_with_formula_like_text_escaped(tmp_path):
    target = tmp_path / "out" / "parts.xlsx"
    result = runner.invoke(
        app, ["safe", "check", str(write(tmp_path / "case.json", dag_case())), "--xlsx", str(target)]
    )
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(target)
    rows = list(book["Parts"].iter_rows(values_only=True))
    assert rows[0][0] == "Part" and rows[1][0] == "'=CABLE" and rows[1][8] == 90.0
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Non-eligible cost to move to eligible origins (EUR)"] == 23.5  # 90 - 35% of 190


def test_check_text_output_explains_the_three_figures(tmp_path):
    result = runner.invoke(
        app, ["safe", "check", str(write(tmp_path / "case.json", case_data({"PL": 640, "GB": 360})))]
    )
    text = " ".join(result.stdout.split())
    assert "Move at least €10.00 of non-eligible component cost" in text
    assert "cut the prices of non-eligible components by at least €15.39" in text


def test_resource_prints_the_least_cost_plan_as_json_and_exits_0(tmp_path):
    case = write(tmp_path / "case.json", hand_built())
    quotes = tmp_path / "quotes.csv"
    quotes.write_text("part;unit_cost;origin;supplier\nP0;95;DE;A\nP1;225;DE;B\nP2;205,00;FR;C\nP3;90;PL;D\n")
    result = runner.invoke(app, ["safe", "resource", str(case), "--candidates", str(quotes), "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["parts_to_resource"] == ["P0"] and plan["extra_cost_eur"] == 15.0 and plan["passes_after"] is True


def test_resource_with_every_part_pinned_explains_and_exits_1(tmp_path):
    case = write(tmp_path / "case.json", hand_built())
    args = ["safe", "resource", str(case), "--pin", "P0", "--pin", "P1", "--pin", "P2", "--pin", "P3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "No re-sourcing plan can pass" in " ".join(result.stdout.split())


def test_resource_bad_input_exits_2_without_a_traceback(tmp_path):
    case = write(tmp_path / "case.json", hand_built())
    bad = tmp_path / "quotes.csv"
    bad.write_text("part,unit_cost,origin\nP0,cheap,DE\nP1,10,US\n")
    for args in (
        ["safe", "resource", str(tmp_path / "missing.json")],
        ["safe", "resource", str(case), "--pin", "NOPE"],
        ["safe", "resource", str(case), "--candidates", str(bad)],
        ["safe", "resource", str(case), "--candidates", str(tmp_path / "none.csv")],
        ["safe", "resource", str(case), "--candidates", str(case)],  # not CSV, XLSX or JSON rows
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(app, ["safe", "resource", str(case), "--candidates", str(bad), "--json"])
    problems = json.loads(result.stdout)["errors"]
    assert any(p.get("line") == 2 and "'cheap' is not a price" in p["message"] for p in problems)
    assert any(p.get("line") == 3 and "US is not an eligible country" in p["message"] for p in problems)


def test_check_xlsx_to_an_unwritable_place_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(
        app, ["safe", "check", str(write(tmp_path / "case.json", dag_case())), "--xlsx", str(blocker / "x.xlsx")]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_bom_over_the_default_listing_says_so_and_lists_every_part_when_asked(tmp_path):
    from accord.procurement.engine.advice import PARTS_LISTED_UP_TO

    data = case_data()
    data["bom"] = [{"id": "END", "parent": None, "quantity": 1}] + [
        {"id": f"P{i}", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "PL"}
        for i in range(PARTS_LISTED_UP_TO + 1)
    ]
    case = str(write(tmp_path / "case.json", data))
    out = json.loads(runner.invoke(app, ["safe", "check", case, "--json"]).stdout)
    assert out["parts"] is None and "more than the 20,000 listed by default" in out["parts_note"]
    out = json.loads(runner.invoke(app, ["safe", "check", case, "--json", "--parts"]).stdout)
    assert len(out["parts"]) == PARTS_LISTED_UP_TO + 1 and "parts_note" not in out


def test_resource_reads_a_suppliers_workbook_with_a_title_row_and_refuses_a_broken_one(tmp_path):
    case = write(tmp_path / "case.json", hand_built())
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Quotes from eligible suppliers, March 2026"])
    sheet.append([])
    sheet.append(["Part", "Unit cost", "Origin", "Supplier"])
    for part, price in (("P0", 95), ("P1", 225.0), ("P2", "205,00"), ("P3", 90)):
        sheet.append([part, price, "DE", "Supplier"])
    quotes = tmp_path / "quotes.xlsx"
    book.save(quotes)
    result = runner.invoke(app, ["safe", "resource", str(case), "--candidates", str(quotes), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["parts_to_resource"] == ["P0"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(app, ["safe", "resource", str(case), "--candidates", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output
