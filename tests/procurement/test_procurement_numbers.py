"""Numbers in a BOM file are read the same way whichever reading takes them (the one-pass
reading of a plain file, or the full one): a number is ASCII digits with a decimal mark,
nothing else is silently read as one."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InputError
from accord.procurement.engine.bom import (
    _AMBIGUOUS,
    _PLAIN_POINT_EVIDENCE,
    _point_flags,
    bom_from_csv,
)

HEADER = "id,parent,quantity,purchased,unit_cost,origin\nE,,1,no,,\n"


def problems(text: str):
    with pytest.raises(InputError) as caught:
        bom_from_csv(text.encode("utf-8"), source="bom.csv")
    return caught.value.problems


@pytest.mark.parametrize("quantity", ["1e3", "2.", "1E-2"])
def test_a_quantity_in_scientific_notation_or_ending_in_a_point_is_refused_in_a_plain_file(quantity):
    # every other line is plain: the one-pass reading must not read 1e3 as 1000
    found = problems(HEADER + f"A,E,{quantity},yes,12.50,PL\nB,E,2,yes,1.25,DE\n")
    assert [(p.line, p.field) for p in found] == [(3, "quantity")]
    assert repr(quantity) in found[0].message


@pytest.mark.parametrize(("column", "value"), [("quantity", "١٢"), ("quantity", "１２"), ("unit_cost", "١٢٫٥")])
def test_digits_of_other_scripts_are_refused_with_the_line_and_value_not_read_as_empty(column, value):
    line = {"quantity": "2", "unit_cost": "12.50"} | {column: value}
    found = problems(HEADER + f"A,E,{line['quantity']},yes,{line['unit_cost']},PL\n")
    assert [(p.line, p.field) for p in found] == [(3, column)]
    assert value in found[0].message and "must be a number" in found[0].message


PLAIN_NUMBERS = st.builds(
    lambda whole, decimals: whole + ("." + decimals if decimals else ""),
    st.text("0123456789", min_size=1, max_size=14),
    st.text("0123456789", max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PLAIN_NUMBERS, min_size=1, max_size=30))
def test_on_plain_numbers_the_point_flags_say_what_the_regular_expressions_say(texts):
    frame = pl.DataFrame({"x": texts}).with_columns(
        pl.col("x").str.find(".", literal=True).alias("dot"), pl.col("x").str.len_bytes().cast(pl.Int64).alias("n")
    )
    point, ambiguous = _point_flags("dot", "n")
    got = frame.select(point.fill_null(False).alias("p"), ambiguous.fill_null(False).alias("a"))
    want = frame.select(
        pl.col("x").str.contains(_PLAIN_POINT_EVIDENCE).alias("p"), pl.col("x").str.contains(_AMBIGUOUS).alias("a")
    )
    assert got.equals(want), list(zip(texts, got.rows(), want.rows(), strict=True))
