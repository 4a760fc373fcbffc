"""Issue 9: SAFE exact on the files firms really have (currencies, locales, where-used BOMs,
in-house parts, unknown origins, title rows) and the law as it is on the assessment date.

The BOMs are real files in ``files/`` (or workbooks written with openpyxl, as Excel saves them).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook

from accord.errors import InputError
from accord.procurement.engine import (
    assess,
    bom_from_upload,
    load_case_file,
    parse_case,
    scenario_parameters,
)

from .builders import REGISTRY, case_data, check, subcontractor, verdict

FILES = Path(__file__).parent / "files"


def case_with_file(folder: Path, bom_name: str, **changes) -> Path:
    source = FILES / bom_name
    if source.exists():
        shutil.copy(source, folder / bom_name)
    data = case_data(**changes)
    del data["bom"]
    data["bom_file"] = bom_name
    path = folder / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def assessed(path: Path, on: dt.date | None = None, **kwargs):
    case = load_case_file(path, registry=REGISTRY, **kwargs)
    return case, assess(case, scenario_parameters(), REGISTRY, on=on)


def problems_of(callable_, *args, **kwargs):
    with pytest.raises(InputError) as error:
        callable_(*args, **kwargs)
    return error.value.problems


# -- money is exact -------------------------------------------------------------------------------


def test_art_16_10_a_uk_fuze_of_344_62_on_a_640_body_is_35_0003_percent_and_higher_than_35_percent():
    # 344.62 / 984.62 = 35.00030...%: both sides round to the same cents, the rule does not round.
    result = verdict(case_data({"PL": 640, "GB": Decimal("344.62")}))
    component = check(result, "component_cost")
    assert component.passed is False
    assert result.non_eligible_share == Fraction(34462, 98462)
    assert "35.0003%" in component.detail
    assert result.headroom.resource == Fraction(34462, 100) - Fraction(35, 100) * Fraction(98462, 100)
    assert result.as_dict()["headroom"]["resource_eur"] == 0.01  # rounded up for display: moving it passes


def test_art_16_10_exactly_35_percent_is_not_higher_and_passes_on_figures_given_as_floats():
    assert check(verdict(case_data({"PL": 650, "GB": 350})), "component_cost").passed is True
    assert check(verdict(case_data({"PL": 0.65, "GB": 0.35})), "component_cost").passed is True


# -- currencies --------------------------------------------------------------------------------------


def test_a_bom_in_gbp_usd_and_sek_is_converted_at_the_ecb_reference_rates_of_the_assessment_date(tmp_path):
    _, result = assessed(case_with_file(tmp_path, "armoured-vehicle-gbp-usd-sek.csv"), on=dt.date(2026, 3, 2))
    # ECB euro reference rates of 2 March 2026: 1 EUR = 0.8739 GBP = 1.1698 USD = 10.708 SEK
    expected = {
        "PL": Fraction(41000),
        "GB": Fraction(32000) / Fraction("0.8739"),
        "US": Fraction("18500.50") / Fraction("1.1698"),
        "SE": Fraction(95000) / Fraction("10.708"),
    }
    assert {o.origin: o.cost_eur for o in result.origins} == expected
    assert result.component_cost_eur == sum(expected.values())
    used = {r["currency"]: (r["per_euro"], r["fixing_date"]) for r in result.as_dict()["rates"]}
    assert used == {"GBP": ("0.8739", "2026-03-02"), "USD": ("1.1698", "2026-03-02"), "SEK": ("10.708", "2026-03-02")}
    assert result.as_dict()["unused_columns"] == ["supplier"]
    # 320 GBP is not €320: the GBP engine is 36,617.46 euros, over the 35% with the US transmission
    assert result.as_dict()["cost_by_origin"]["GB"] == 36617.46


def test_a_rate_date_without_a_fixing_takes_the_last_earlier_one_and_says_so(tmp_path):
    # Good Friday, 3 April 2026: a TARGET holiday, no fixing; the fixing of 2 April is used.
    _, result = assessed(case_with_file(tmp_path, "armoured-vehicle-gbp-usd-sek.csv"), on=dt.date(2026, 4, 3))
    gbp = next(r for r in result.as_dict()["rates"] if r["currency"] == "GBP")
    assert (gbp["per_euro"], gbp["fixing_date"]) == ("0.87253", "2026-04-02")
    notes = [w for w in result.warnings if "Pound sterling (GBP)" in w]
    assert len(notes) == 1, result.warnings
    # in plain English: the dates as people write them, never ISO
    assert "on 3 April 2026 (Friday)" in notes[0] and "of 2 April 2026, is used" in notes[0]
    assert "2026-04" not in " ".join(result.warnings)


def test_the_case_may_give_the_rate_date_or_its_own_rates(tmp_path):
    path = case_with_file(tmp_path, "armoured-vehicle-gbp-usd-sek.csv", rates_on="2026-03-02", rates={"GBP": 0.8})
    _, result = assessed(path, on=dt.date(2026, 6, 1))
    by_currency = {r["currency"]: r for r in result.as_dict()["rates"]}
    assert by_currency["GBP"]["per_euro"] == "0.8" and by_currency["GBP"]["fixing_date"] is None
    assert by_currency["USD"]["fixing_date"] == "2026-03-02"
    assert {o.origin: o.cost_eur for o in result.origins}["GB"] == Fraction(32000) / Fraction("0.8")


def test_an_unknown_currency_or_a_rate_missing_for_the_date_is_a_clear_error(tmp_path):
    content = (FILES / "armoured-vehicle-gbp-usd-sek.csv").read_text().replace("SEK", "XYZ")
    (tmp_path / "bom.csv").write_text(content)
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.csv"))
    assert [(p.field, p.line) for p in problems] == [("currency", 6)]
    assert "XYZ" in problems[0].message
    problems = problems_of(
        assessed, case_with_file(tmp_path, "armoured-vehicle-gbp-usd-sek.csv"), on=dt.date(2031, 1, 6)
    )
    assert {p.line for p in problems} == {4, 5, 6} and all(
        "no European Central Bank reference rate" in p.message and "on 6 January 2031" in p.message for p in problems
    )


# -- locales and layouts ----------------------------------------------------------------------------


def test_a_german_excel_csv_with_decimal_commas_and_thousands_dots_is_read_right(tmp_path):
    case, result = assessed(case_with_file(tmp_path, "german-excel.csv"))
    assert case.bom.number_style == "decimal comma"
    # "1.000" screws are a thousand screws, "12.000" is twelve thousand euros: the file settles it
    assert case.rollup.cost_by_origin == {
        "DE": Fraction("1250000.00") + Fraction("480500.75"),
        "CZ": Fraction(350),
        "US": Fraction(24000),
    }
    assert result.as_dict()["unused_columns"] == ["Bezeichnung"]


def test_a_value_that_could_be_read_two_ways_is_refused_with_its_line_and_value(tmp_path):
    content = "id;parent;quantity;purchased;unit_cost;origin\nE;;1;;;\nA;E;1;ja;1.000;DE\nB;E;2;ja;5;PL\n"
    (tmp_path / "bom.csv").write_text(content)
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.csv"))
    assert [(p.line, p.item, p.field) for p in problems] == [(3, "A", "unit_cost")]
    assert "'1.000'" in problems[0].message and "two ways" in problems[0].message


def test_a_file_mixing_decimal_commas_and_decimal_points_is_refused_naming_both_lines(tmp_path):
    content = 'id,parent,quantity,purchased,unit_cost,origin\nE,,1,,,\nA,E,1,yes,"10,5",DE\nB,E,1,yes,2.25,PL\n'
    (tmp_path / "bom.csv").write_text(content)
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.csv"))
    assert "line 3" in problems[0].message and "line 4" in problems[0].message


def _xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_with_title_rows_above_the_header_is_read_with_the_sheets_row_numbers(tmp_path):
    _xlsx(
        tmp_path / "bom.xlsx",
        [
            ["Bill of materials: 155mm shell, revision C"],
            ["Exported 2026-02-27"],
            [],
            ["ID", "Parent", "Quantity", "Purchased", "Unit cost", "Currency", "Origin", "Supplier"],
            ["SHELL", None, 1, None, None, None, None, None],
            ["BODY", "SHELL", 1, "yes", 640, "EUR", "PL", "Mesko"],
            [],
            ["FUZE", "SHELL", 1, "yes", 300, "GBP", "GB", "BAE"],
            ["PRIMER", "SHELL", 1, "yes", -2, "EUR", "PL", "Mesko"],
        ],
    )
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.xlsx"))
    assert [(p.line, p.item, p.field) for p in problems] == [(9, "PRIMER", "unit_cost")]
    _xlsx(
        tmp_path / "bom.xlsx",
        [
            ["Bill of materials: 155mm shell, revision C"],
            [],
            ["ID", "Parent", "Quantity", "Purchased", "Unit cost", "Currency", "Origin", "Supplier"],
            ["SHELL", None, 1, None, None, None, None, None],
            ["BODY", "SHELL", 1, "yes", 640, "EUR", "PL", "Mesko"],
            ["FUZE", "SHELL", 1, "yes", 300, "GBP", "GB", "BAE"],
        ],
    )
    case, result = assessed(case_with_file(tmp_path, "bom.xlsx"), on=dt.date(2026, 3, 2))
    assert case.bom.unused_columns == ("Supplier",)
    assert {o.origin: o.cost_eur for o in result.origins} == {"PL": 640, "GB": Fraction(300) / Fraction("0.8739")}


def test_an_xlsx_whose_header_lacks_a_column_names_the_row_and_the_missing_columns(tmp_path):
    _xlsx(tmp_path / "bom.xlsx", [["Parts list"], ["ID", "Parent", "Qty", "Cost"], ["A", None, 1, 5]])
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.xlsx"))
    assert problems[0].line == 2 and "quantity" in problems[0].message


# -- nothing the user gave is silently dropped ------------------------------------------------------


def test_a_json_line_with_a_misspelt_key_is_refused_naming_the_key_and_the_intended_one():
    data = case_data()
    data["bom"][1]["purchsed"] = True
    problems = problems_of(parse_case, data, registry=REGISTRY)
    assert [(p.field, p.item) for p in problems] == [("bom[1].purchsed", "PART-PL")]
    assert "'purchased'" in problems[0].message


def test_a_cost_on_an_assembly_made_in_house_is_refused_and_costs_beneath_a_part_bought_whole_are_listed():
    data = case_data(
        bom=[
            {"id": "RADAR", "parent": None, "quantity": 1},
            {"id": "ANTENNA", "parent": "RADAR", "quantity": 1, "unit_cost": 900, "origin": "FR"},
            {"id": "ELEMENT", "parent": "ANTENNA", "quantity": 64, "purchased": True, "unit_cost": 10, "origin": "FR"},
        ]
    )
    problems = problems_of(parse_case, data, registry=REGISTRY)
    assert [(p.item, p.field) for p in problems] == [("ANTENNA", "bom[1].unit_cost")]
    data["bom"][1]["purchased"] = True  # bought whole: its price includes the elements
    result = verdict(data)
    assert result.component_cost_eur == 900
    assert result.bom_summary["not_counted_with_cost"] == 1
    assert any("ELEMENT" in w and "not counted" in w for w in result.warnings)


# -- bills of materials as they are ------------------------------------------------------------------


def test_a_harness_used_in_the_turret_and_twice_in_the_hull_counts_its_parts_once_per_use(tmp_path):
    case, result = assessed(case_with_file(tmp_path, "ifv-where-used.csv"))
    # three harnesses: 3 x (4 x 25 US + 10 x 7.5 DE), plus the armour
    assert case.rollup.cost_by_origin == {"US": 300, "DE": Fraction(225), "PL": 1000}
    assert result.bom_summary["shared_parts"] == 1


def test_the_same_part_under_the_same_parent_twice_is_a_duplicate_line_and_a_cycle_is_named(tmp_path):
    lines = (FILES / "ifv-where-used.csv").read_text()
    (tmp_path / "bom.csv").write_text(lines + "HARNESS,HULL,1,no,,,\n")
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.csv"))
    assert {(p.line, p.item, p.field) for p in problems} == {(6, "HARNESS", "id"), (10, "HARNESS", "id")}
    (tmp_path / "bom.csv").write_text(lines + "TURRET,HARNESS,1,no,,,\n")
    problems = problems_of(assessed, case_with_file(tmp_path, "bom.csv"))
    assert len(problems) == 1 and "cycle" in problems[0].message
    assert "HARNESS" in problems[0].message and "TURRET" in problems[0].message


def test_a_body_made_in_house_counts_in_the_estimated_cost_of_the_components(tmp_path):
    # A 300 UK fuze and a 700 Polish body made by the contractor: 30% non-eligible, not 100%.
    case, result = assessed(case_with_file(tmp_path, "shell-in-house.json"))
    assert case.rollup.cost_by_origin == {"GB": 300, "PL": 700}
    assert result.non_eligible_share == Fraction(3, 10)
    assert result.eligible is True
    assert result.bom_summary["in_house_counted"] == 1


def test_a_part_of_unknown_origin_counts_as_non_eligible_and_the_amount_is_stated():
    data = case_data({"PL": 990})
    data["bom"].append({"id": "GASKET", "parent": "END", "quantity": 1, "purchased": True, "unit_cost": 10})
    result = verdict(data)
    assert result.eligible is True and result.unknown_origin_eur == 10
    assert result.as_dict()["unknown_origin_cost_eur"] == 10.0
    assert "€10.00 of components have no origin" in check(result, "component_cost").detail
    problems = problems_of(parse_case, data, registry=REGISTRY, unknown_origin="refuse")
    assert [(p.item, p.field) for p in problems] == [("GASKET", "bom[2].origin")]


# -- the law as it is ---------------------------------------------------------------------------------


def test_art_355_tfeu_content_made_in_kourou_and_in_aland_is_eu_content_and_greenland_is_not():
    result = verdict(case_data({"PL": 500, "GF": 300, "AX": 200}))
    assert result.non_eligible_cost_eur == 0 and result.eligible is True
    result = verdict(case_data({"PL": 600, "GL": 400}))
    assert result.non_eligible_cost_eur == 400 and result.eligible is False
    assert "GL" in check(result, "component_cost").detail
    contractor = {
        "name": "Kourou Composites",
        "established_in": "GF",
        "controlled_from": "FR",
        "design_authority_in": "GF",
    }
    assert verdict(case_data(contractor=contractor)).eligible is True


def test_canadian_content_is_third_country_content_until_the_agreement_applies_in_february_2026():
    data = case_data({"PL": 500, "CA": 500})
    assert verdict(data, on=dt.date(2026, 1, 15)).eligible is False
    later = verdict(data, on=dt.date(2026, 3, 1))
    assert later.eligible is True and [a.country for a in later.agreements] == ["CA"]


def test_a_hungarian_french_purchase_before_frances_implementing_decision_is_only_conditional():
    data = case_data(
        procurers=["HU", "FR"],
        loan_recipients=["FR"],
        contractor={"name": "Nexter", "established_in": "FR", "controlled_from": "FR", "design_authority_in": "FR"},
    )
    result = verdict(data, on=dt.date(2026, 3, 1))
    assert check(result, "common_procurement").passed is True
    assert result.conditional is True
    assert any("FR" in c and "implementing decision" in c for c in result.conditions)
    assert result.as_dict()["conditional"] is True
    # Poland's decision was adopted on 17 February 2026: after it, no condition
    polish = verdict(case_data(), on=dt.date(2026, 3, 1))
    assert polish.conditional is False
    assert verdict(case_data(), on=dt.date(2026, 2, 16)).conditional is True


def test_subcontractor_shares_adding_up_to_more_than_the_whole_contract_value_are_refused():
    data = case_data(subcontractors=[subcontractor("GB", 0.6), subcontractor("US", Decimal("0.41"))])
    problems = problems_of(parse_case, data, registry=REGISTRY)
    assert [p.field for p in problems] == ["subcontractors"] and "101%" in problems[0].message


def test_a_category_written_as_a_superscript_one_is_a_clear_error():
    problems = problems_of(parse_case, case_data(category="¹"), registry=REGISTRY)
    assert [p.field for p in problems] == ["category"]


# -- hostile workbooks (issue 17, SAFE part) --------------------------------------------------------


def _zip_bomb(path: Path, expanded_mb: int) -> bytes:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded_mb):
                sheet.write(chunk)
    return path.read_bytes()


def test_a_zip_bomb_named_xlsx_is_refused_from_its_directory_before_anything_is_expanded(tmp_path):
    # 64 MB of zeros in a 64 kB file: refused from the sizes the zip declares (how fast: see
    # benchmarks/safe_bom.py --zip-bomb, a 1 MB file expanding to 1 GB).
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 64)
    assert len(bomb) < 1024 * 1024
    problems = problems_of(bom_from_upload, "bomb.xlsx", bomb)
    assert problems[0].field == "bom_file" and "zip bomb" in problems[0].message


def test_an_xlsx_with_bad_xml_an_entity_bomb_or_no_sheet_is_a_clear_error(tmp_path):
    workbook = _xlsx(tmp_path / "ok.xlsx", [["id", "parent", "quantity"], ["A", None, 1]]).read_bytes()
    import io
    import zipfile

    def altered(name: str, data: bytes | None) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                if item.filename == name:
                    if data is not None:
                        target.writestr(item, data)
                else:
                    target.writestr(item, source.read(item))
        return out.getvalue()

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<worksheet>&lol2;</worksheet>"
    )
    cases = {
        "bad xml": altered("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        "entity bomb": altered("xl/worksheets/sheet1.xml", laughs),
        "no sheet": altered("xl/worksheets/sheet1.xml", None),
        "no workbook part": altered("xl/workbook.xml", None),
    }
    for what, content in cases.items():
        problems = problems_of(bom_from_upload, "bom.xlsx", content)
        assert problems[0].field == "bom_file", what
        assert "not a readable XLSX workbook" in problems[0].message, what


def test_a_workbook_read_once_with_typed_cells_agrees_with_every_cell_read_as_text(tmp_path):
    from accord.procurement.engine import bom_from_xlsx

    rows = [["Parts list, 155mm shell"], [], ["ID", "Parent", "Quantity", "Purchased", "Unit cost", "Origin", "Note"]]
    rows += [["SHELL", None, 1, None, None, None, None]]
    rows += [[1000 + i, "SHELL", i % 4 + 1, True, 0.000125 * i + 344.62, ["PL", "GB"][i % 2], "x"] for i in range(300)]
    content = _xlsx(tmp_path / "bom.xlsx", rows).read_bytes()
    once, as_text = bom_from_xlsx(content, source="bom.xlsx"), bom_from_xlsx(content, source="bom.xlsx", typed=False)
    assert once.frame.equals(as_text.frame)
    assert once.frame["id"][1] == "1000" and once.frame["line"][1] == 5
    assert once.unused_columns == as_text.unused_columns == ("Note",)
