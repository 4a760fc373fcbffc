"""The bill of materials: the vectorised rollup, its checks, and the CSV/XLSX/JSON readers."""

from __future__ import annotations

import json
import random
from collections import defaultdict

import pytest
from openpyxl import Workbook

from accord.errors import InputError
from accord.procurement.engine import (
    Limits,
    bom_from_records,
    load_case_file,
    parse_case,
    roll_up,
)

from .builders import REGISTRY, case_data


def problems_of(data, **kwargs):
    with pytest.raises(InputError) as error:
        parse_case(data, registry=REGISTRY, **kwargs)
    return error.value.problems


def with_bom(items):
    return case_data(bom=items)


# -- the rollup --------------------------------------------------------------------------------


def test_a_purchased_assembly_counts_as_a_whole_and_its_listed_parts_are_ignored():
    items = [
        {"id": "END", "parent": None, "quantity": 1},
        {"id": "RADAR", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 500, "origin": "FR"},
        {"id": "CHIP", "parent": "RADAR", "quantity": 10, "purchased": True, "unit_cost_eur": 99, "origin": "US"},
        {"id": "BOARD", "parent": "RADAR", "quantity": 1},  # no cost, no origin: ignored, so no error
    ]
    rollup = roll_up(bom_from_records(items))
    assert rollup.cost_by_origin == {"FR": 500.0}
    assert rollup.ignored_under_purchased == 2


def test_quantities_multiply_down_every_level_of_the_tree():
    items = [{"id": "L0", "parent": None, "quantity": 1}]
    for level in range(1, 9):
        items.append({"id": f"L{level}", "parent": f"L{level - 1}", "quantity": 2})
    items.append({"id": "BOLT", "parent": "L8", "quantity": 3, "purchased": True, "unit_cost_eur": 0.5, "origin": "DE"})
    rollup = roll_up(bom_from_records(items))
    assert rollup.component_cost_eur == 2**8 * 3 * 0.5
    assert rollup.depth == 9


def test_a_chain_thousands_of_levels_deep_needs_no_recursion():
    depth = 5000
    items = [{"id": "0", "parent": None, "quantity": 1}]
    items += [{"id": str(i), "parent": str(i - 1), "quantity": 1} for i in range(1, depth)]
    items.append(
        {"id": "LEAF", "parent": str(depth - 1), "quantity": 1, "purchased": True, "unit_cost_eur": 7, "origin": "PL"}
    )
    rollup = roll_up(bom_from_records(items))
    assert rollup.depth == depth
    assert rollup.component_cost_eur == 7


def _recursive_reference(items):
    """The plain recursive definition, to compare the vectorised rollup against."""
    children = defaultdict(list)
    root = None
    for item in items:
        if item["parent"] is None:
            root = item
        else:
            children[item["parent"]].append(item)
    totals = defaultdict(float)

    def walk(item, multiplier):
        m = multiplier * item["quantity"]
        if item.get("purchased"):
            totals[item["origin"]] += m * item["unit_cost_eur"]
            return
        for child in children[item["id"]]:
            walk(child, m)

    walk(root, 1.0)
    return totals


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_vectorised_rollup_agrees_with_the_recursive_definition_on_random_trees(seed):
    rng = random.Random(seed)
    items = [{"id": "N0", "parent": None, "quantity": 1}]
    for i in range(1, 400):
        purchased = rng.random() < 0.5
        item = {
            "id": f"N{i}",
            "parent": f"N{rng.randrange(i)}",
            "quantity": rng.choice([0, 1, 2, 3, 0.5]),
            "purchased": purchased,
        }
        if purchased:
            item.update(unit_cost_eur=round(rng.uniform(0, 100), 2), origin=rng.choice(["PL", "GB", "US", "DE"]))
        items.append(item)
    rng.shuffle(items)  # parents need not come first
    expected = _recursive_reference(items)
    rollup = roll_up(bom_from_records(items))
    assert rollup.cost_by_origin.keys() == {k for k, v in expected.items()}
    for origin, cost in expected.items():
        assert rollup.cost_by_origin[origin] == pytest.approx(cost)


def test_a_made_item_with_no_parts_adds_no_cost_and_is_reported():
    items = [
        {"id": "END", "parent": None, "quantity": 1},
        {"id": "HOUSING", "parent": "END", "quantity": 1},
        {"id": "P", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 10, "origin": "PL"},
    ]
    rollup = roll_up(bom_from_records(items))
    assert rollup.uncosted_leaves == ("HOUSING",)
    assert any("HOUSING" in w for w in rollup.warnings())


# -- structural errors name the item and the field ----------------------------------------------


def test_a_cycle_is_rejected_naming_the_items_on_it():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "A", "parent": "C", "quantity": 1},
                {"id": "B", "parent": "A", "quantity": 1},
                {"id": "C", "parent": "B", "quantity": 1},
                {"id": "P", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "PL"},
            ]
        )
    )
    assert len(problems) == 1
    assert "cycle" in problems[0].message
    assert {"A", "B", "C"} <= set(problems[0].message.replace("→", " ").replace("(", " ").split())
    assert problems[0].field.endswith(".parent")


def test_an_item_that_is_its_own_parent_is_a_cycle():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "SELF", "parent": "SELF", "quantity": 1},
            ]
        )
    )
    assert problems[0].item == "SELF" and "cycle" in problems[0].message


def test_an_unknown_parent_is_rejected_naming_the_item_and_field():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "FUZE", "parent": "SHEL", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "GB"},
            ]
        )
    )
    assert [(p.item, p.field) for p in problems] == [("FUZE", "bom[1].parent")]


def test_a_duplicate_id_is_rejected():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "X", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "PL"},
                {"id": "X", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "PL"},
            ]
        )
    )
    assert {p.field for p in problems} == {"bom[1].id", "bom[2].id"}


def test_a_bom_with_two_end_products_is_rejected():
    problems = problems_of(
        with_bom(
            [
                {"id": "A", "parent": None, "quantity": 1},
                {"id": "B", "parent": None, "quantity": 1},
            ]
        )
    )
    assert "one end product" in problems[0].message


def test_negative_quantities_and_costs_unknown_countries_and_missing_origins_are_all_reported_at_once():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "NEG-Q", "parent": "END", "quantity": -1, "purchased": True, "unit_cost_eur": 1, "origin": "PL"},
                {"id": "NEG-C", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": -5, "origin": "PL"},
                {
                    "id": "BAD-O",
                    "parent": "END",
                    "quantity": 1,
                    "purchased": True,
                    "unit_cost_eur": 1,
                    "origin": "Poland",
                },
            ]
        )
    )
    assert {(p.item, p.field) for p in problems} == {
        ("NEG-Q", "bom[1].quantity"),
        ("NEG-C", "bom[2].unit_cost_eur"),
        ("BAD-O", "bom[3].origin"),
    }


def test_an_unknown_country_code_as_origin_is_rejected():
    problems = problems_of(
        with_bom(
            [
                {"id": "END", "parent": None, "quantity": 1},
                {"id": "P", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1, "origin": "XX"},
            ]
        )
    )
    assert [(p.item, p.field) for p in problems] == [("P", "bom[1].origin")]


def test_a_purchased_item_without_cost_is_rejected_and_without_origin_only_when_unknown_origins_are_refused():
    # Issue 9 changed this: an unknown origin is now counted as non-eligible by default (the worst
    # case, stated in the verdict); the strict behaviour is kept behind unknown_origin="refuse".
    bom = with_bom(
        [
            {"id": "END", "parent": None, "quantity": 1},
            {"id": "NO-ORIGIN", "parent": "END", "quantity": 1, "purchased": True, "unit_cost_eur": 1},
            {"id": "NO-COST", "parent": "END", "quantity": 1, "purchased": True, "origin": "PL"},
        ]
    )
    problems = problems_of(bom, unknown_origin="refuse")
    assert {(p.item, p.field) for p in problems} == {
        ("NO-ORIGIN", "bom[1].origin"),
        ("NO-COST", "bom[2].unit_cost_eur"),
    }
    assert {(p.item, p.field) for p in problems_of(bom)} == {("NO-COST", "bom[2].unit_cost_eur")}


def test_case_fields_are_checked_together_naming_each_field():
    data = case_data(
        procurers=["PL", "ZZ"],
        loan_recipients=["DE"],
        assessment_date="01/03/2026",
        contractor={"name": "X", "established_in": "PL"},
        colour="blue",
    )
    fields = {p.field for p in problems_of(data)}
    assert {"procurers[1]", "loan_recipients[0]", "assessment_date", "contractor.controlled_from", "colour"} <= fields


# -- files: CSV, XLSX, JSON, size limit ------------------------------------------------------


CSV_BOM = (
    "id,parent,quantity,purchased,unit_cost_eur,origin\n"
    "SHELL,,1,false,,\n"
    "BODY,SHELL,1,true,640,PL\n"
    "FUZE,SHELL,1,true,360,GB\n"
)


def write_case(folder, bom_file):
    case = case_data()
    del case["bom"]
    case["bom_file"] = bom_file
    path = folder / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def test_a_bom_in_a_csv_file_next_to_the_case_is_read(tmp_path):
    (tmp_path / "bom.csv").write_text(CSV_BOM, encoding="utf-8")
    case = load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    assert case.rollup.cost_by_origin == {"GB": 360.0, "PL": 640.0}


def test_a_semicolon_separated_csv_with_decimal_commas_from_excel_is_read(tmp_path):
    content = "\ufeffid;parent;quantity;purchased;unit_cost_eur;origin\nE;;1;no;;\nA;E;2;yes;10,5;pl\n"
    (tmp_path / "bom.csv").write_text(content, encoding="utf-8")
    case = load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    assert case.rollup.cost_by_origin == {"PL": 21.0}


def test_csv_errors_name_the_line_the_item_and_the_column(tmp_path):
    bad = CSV_BOM.replace("FUZE,SHELL,1,true,360,GB", "FUZE,SHELL,-1,true,abc,GB")
    (tmp_path / "bom.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    found = {(p.line, p.item, p.field) for p in error.value.problems}
    assert found == {(4, "FUZE", "quantity"), (4, "FUZE", "unit_cost_eur")}


def test_a_csv_without_the_required_columns_is_rejected(tmp_path):
    (tmp_path / "bom.csv").write_text("part,qty\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    assert "missing column" in error.value.problems[0].message


def _write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_a_bom_in_an_xlsx_workbook_is_read(tmp_path):
    _write_xlsx(
        tmp_path / "bom.xlsx",
        [
            ["id", "parent", "quantity", "purchased", "unit_cost_eur", "origin", "description"],
            ["SHELL", None, 1, False, None, None, "155mm shell"],
            [1001, "SHELL", 1, True, 640.0, "PL", "body (part number typed as a number)"],
            ["FUZE", "SHELL", 1, True, 360, "GB", "fuze"],
        ],
    )
    case = load_case_file(write_case(tmp_path, "bom.xlsx"), registry=REGISTRY)
    assert case.rollup.cost_by_origin == {"GB": 360.0, "PL": 640.0}


def test_xlsx_errors_name_the_row_the_item_and_the_column(tmp_path):
    _write_xlsx(
        tmp_path / "bom.xlsx",
        [
            ["id", "parent", "quantity", "purchased", "unit_cost_eur", "origin"],
            ["SHELL", None, 1, False, None, None],
            ["FUZE", "SHELL", 1, "maybe", 360, "GB"],
            ["CASE", "SHEL", 1, True, 10, "PL"],
        ],
    )
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.xlsx"), registry=REGISTRY)
    # the unreadable value and, read from the ids and parents alone, the unknown parent
    assert {(p.line, p.item, p.field) for p in error.value.problems} == {
        (3, "FUZE", "purchased"),
        (4, "CASE", "parent"),
    }
    _write_xlsx(
        tmp_path / "bom.xlsx",
        [
            ["id", "parent", "quantity", "purchased", "unit_cost_eur", "origin"],
            ["SHELL", None, 1, False, None, None],
            ["CASE", "SHEL", 1, True, 10, "PL"],
        ],
    )
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.xlsx"), registry=REGISTRY)
    assert {(p.line, p.item, p.field) for p in error.value.problems} == {(3, "CASE", "parent")}


def test_a_file_that_is_not_a_workbook_is_rejected_without_a_traceback(tmp_path):
    (tmp_path / "bom.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.xlsx"), registry=REGISTRY)
    assert error.value.problems[0].field == "bom_file"


def test_a_bom_in_a_json_file_is_read(tmp_path):
    (tmp_path / "parts.bom.json").write_text(json.dumps(case_data({"PL": 10, "US": 5})["bom"]), encoding="utf-8")
    case = load_case_file(write_case(tmp_path, "parts.bom.json"), registry=REGISTRY)
    assert case.rollup.component_cost_eur == 15


def test_a_bom_file_over_the_size_limit_is_rejected_before_it_is_read(tmp_path):
    (tmp_path / "bom.csv").write_text(CSV_BOM, encoding="utf-8")
    limits = Limits(max_bom_file_bytes=len(CSV_BOM) - 1)
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY, limits=limits)
    assert error.value.problems[0].field == "bom_file"
    assert "limit" in error.value.problems[0].message
    assert (
        load_case_file(
            write_case(tmp_path, "bom.csv"), registry=REGISTRY, limits=Limits(max_bom_file_bytes=len(CSV_BOM))
        ).rollup.items
        == 3
    )


def test_a_bom_with_more_items_than_the_limit_is_rejected():
    items = case_data({"PL": 1, "DE": 1})["bom"]
    with pytest.raises(InputError):
        parse_case(case_data(bom=items), registry=REGISTRY, limits=Limits(max_bom_items=2))
    assert parse_case(case_data(bom=items), registry=REGISTRY, limits=Limits(max_bom_items=3)).rollup.items == 3


def test_the_hash_table_finds_the_same_parents_as_the_exact_string_join():
    import numpy as np
    import polars as pl

    from accord.procurement.engine import bom_from_frame
    from accord.procurement.engine.idmap import map_parents
    from accord.procurement.engine.rollup import _parent_indices_exact

    rng = np.random.default_rng(7)
    n = 20_000
    parent = np.concatenate([[-1], rng.integers(0, np.arange(1, n))])  # each item's parent comes before it
    ids = np.array([f"part-{i:05d}-{rng.integers(1e9)}" for i in range(n)])
    order = rng.permutation(n)
    frame = pl.DataFrame(
        {
            "id": ids[order],
            "parent": np.where(parent >= 0, ids[np.maximum(parent, 0)], "")[order],
            "quantity": np.ones(n),
        }
    ).with_columns(pl.col("parent").replace("", None))
    bom = bom_from_frame(frame)
    assert (map_parents(frame["id"], frame["parent"]) == _parent_indices_exact(bom)).all()
    duplicated = frame.with_columns(
        pl.when(pl.int_range(n) == 5).then(pl.col("id").first()).otherwise(pl.col("id")).alias("id")
    )
    assert map_parents(duplicated["id"], duplicated["parent"]) is None  # the exact join then names the items
    unknown = frame.with_columns(
        pl.when(pl.int_range(n) == 5).then(pl.lit("nowhere")).otherwise(pl.col("parent")).alias("parent")
    )
    assert map_parents(unknown["id"], unknown["parent"]) is None


def test_a_thousands_separator_in_a_comma_separated_csv_is_refused_not_misread(tmp_path):
    content = 'id,parent,quantity,purchased,unit_cost_eur,origin\nE,,1,no,,\nA,E,1,yes,"1,000",PL\n'
    (tmp_path / "bom.csv").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    assert {(p.line, p.item, p.field) for p in error.value.problems} == {(3, "A", "unit_cost_eur")}


def test_an_uploaded_bom_is_read_by_its_file_name_csv_xlsx_or_json(tmp_path):
    from accord.procurement.engine import bom_from_upload

    _write_xlsx(
        tmp_path / "b.xlsx",
        [
            ["id", "parent", "quantity", "purchased", "unit_cost_eur", "origin"],
            ["E", None, 1, False, None, None],
            ["A", "E", 2, True, 5, "FR"],
        ],
    )
    uploads = {
        "b.csv": b"id,parent,quantity,purchased,unit_cost_eur,origin\nE,,1,,,\nA,E,2,yes,5,FR\n",
        "b.xlsx": (tmp_path / "b.xlsx").read_bytes(),
        "b.json": json.dumps(
            [
                {"id": "E", "parent": None, "quantity": 1},
                {"id": "A", "parent": "E", "quantity": 2, "purchased": True, "unit_cost_eur": 5, "origin": "FR"},
            ]
        ).encode(),
    }
    for name, content in uploads.items():
        assert roll_up(bom_from_upload(name, content)).cost_by_origin == {"FR": 10.0}, name
    with pytest.raises(InputError) as error:
        bom_from_upload("bom.pdf", b"%PDF")
    assert error.value.problems[0].field == "bom_file"


def test_a_bad_value_does_not_hide_a_cycle_or_an_unknown_origin_elsewhere_in_the_bom(tmp_path):
    content = "id,parent,quantity,purchased,unit_cost_eur,origin\nE,,1,,,\nA,B,1,yes,5,FR\nB,A,1,,,\nC,E,-2,yes,3,ZZ\n"
    (tmp_path / "bom.csv").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_case_file(write_case(tmp_path, "bom.csv"), registry=REGISTRY)
    found = {(p.line, p.item, p.field) for p in error.value.problems}
    assert found == {(5, "C", "quantity"), (3, "A", "parent"), (5, "C", "origin")}


def _random_tree(n, seed):
    rng = random.Random(seed)
    items = [{"id": "N0", "parent": None, "quantity": 1}]
    for i in range(1, n):
        purchased = rng.random() < 0.6
        item = {
            "id": f"N{i}",
            "parent": f"N{rng.randrange(max(1, i // 2), i) if i > 1 else 0}",
            "quantity": rng.choice([1, 2, 3]),
            "purchased": purchased,
        }
        if purchased:
            item.update(unit_cost_eur=rng.choice([1.0, 2.5, 10.0]), origin=rng.choice(["PL", "GB", "US"]))
        items.append(item)
    return items


def test_a_large_bom_rolled_up_layer_by_layer_agrees_with_the_recursive_definition():
    items = _random_tree(120_000, seed=11)  # large enough for the leaf layers to be peeled off
    expected = _recursive_reference(items)
    rollup = roll_up(bom_from_records(items))
    assert rollup.cost_by_origin.keys() == expected.keys()
    for origin, cost in expected.items():
        assert rollup.cost_by_origin[origin] == pytest.approx(cost, rel=1e-12)


def test_a_cycle_hidden_in_a_large_bom_is_found_and_named():
    items = _random_tree(120_000, seed=12)
    items += [
        {"id": "X", "parent": "Z", "quantity": 1},
        {"id": "Y", "parent": "X", "quantity": 1},
        {"id": "Z", "parent": "Y", "quantity": 1},
        {"id": "UNDER", "parent": "Y", "quantity": 1},
    ]
    with pytest.raises(InputError) as error:
        roll_up(bom_from_records(items))
    assert len(error.value.problems) == 1
    message = error.value.problems[0].message
    assert "(X → Z → Y → X)" in message  # each item, then the item it is part of
    assert "UNDER" not in message  # under the cycle, not on it


def test_the_one_pass_reading_of_a_plain_file_agrees_with_the_full_reading_value_for_value():
    import polars as pl

    from accord.procurement.engine.bom import bom_from_text

    rng = random.Random(3)
    rows = [
        {
            "id": "E",
            "parent": None,
            "quantity": "1",
            "purchased": None,
            "unit_cost": None,
            "currency": None,
            "origin": None,
        }
    ]
    for i in range(2000):
        rows.append(
            {
                "id": f"P{i}",
                "parent": "E",
                "quantity": rng.choice(["1", "2.5", "10", "0"]),
                "purchased": rng.choice(["true", "FALSE", "Yes", None]),
                "unit_cost": rng.choice(["344.62", "0.000125", "12", "999999999999.999999", None]),
                "currency": rng.choice(["EUR", "GBP", None]),
                "origin": rng.choice(["PL", "GB", None]),
            }
        )
    raw = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).with_columns(
        pl.int_range(2, len(rows) + 2).alias("line")
    )
    quick, full = bom_from_text(raw, "bom.csv"), bom_from_text(raw, "bom.csv", fast=False)
    scale = 10 ** (quick.cost_scale - full.cost_scale)
    assert quick.frame.drop("cost_units").equals(full.frame.drop("cost_units"))
    assert (quick.frame["cost_units"] == full.frame["cost_units"] * scale).all(ignore_nulls=True)
    assert quick.frame["cost_units"].null_count() == full.frame["cost_units"].null_count()
    assert quick.number_style == full.number_style == "decimal point"


def test_an_empty_parent_in_json_is_the_end_product_and_an_empty_id_is_refused():
    items = [
        {"id": "END", "parent": "", "quantity": 1},
        {"id": "A", "parent": "END", "quantity": 1, "purchased": True, "unit_cost": 5, "origin": "PL"},
    ]
    assert roll_up(bom_from_records(items)).end_product == "END"
    items[1]["id"] = ""
    with pytest.raises(InputError) as error:
        bom_from_records(items)
    assert [p.field for p in error.value.problems] == ["bom[1].id"]
