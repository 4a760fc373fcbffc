"""The bill of materials as a typed table, and its readers (JSON, CSV, XLSX).

Every reader returns a ``Bom`` whose ``frame`` (a polars DataFrame) has the
columns of ``BOM_SCHEMA``. ``line`` is the 1-based line (CSV) or row (XLSX) in
the user's file, null for items given inline in the case JSON (those are
named ``bom[i]`` by their position). Readers validate each field in polars
expressions and raise ``InputError`` with every problem found, each naming the
item, the field and, for files, the line and the value. Structural checks
(parents, cycles, the end product) are in ``rollup``.

Money is exact: a unit cost is kept as an integer number of ``10**-cost_scale``
units of its currency (``cost_units``), read digit for digit from what the user
wrote; ``unit_cost`` (a float) is only for display. Numbers written with a
decimal comma or thousands separators are read by the file's own convention,
found from the unambiguous values in it; a value that could be read two ways
(``1.000``: one, or one thousand?) in a file that does not settle it is
refused with its line, never guessed.
"""

from __future__ import annotations

import difflib
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .limits import DEFAULT_LIMITS, Limits, describe_bytes

BOM_SCHEMA = {
    "id": pl.String,
    "parent": pl.String,
    "quantity": pl.Float64,
    "purchased": pl.Boolean,
    "unit_cost": pl.Float64,  # for display only: the rules use cost_units
    "cost_units": pl.Int64,  # the unit cost exactly, in 10**-cost_scale units of its currency
    "currency": pl.String,  # ISO 4217; null: the case's currency (EUR by default)
    "origin": pl.String,
    # a supplier part whose origin a supplier declaration gives (engine/declarations.py)
    "supplier": pl.String,
    "supplier_part": pl.String,
    "line": pl.Int64,
}
REQUIRED_COLUMNS = ("id", "parent", "quantity")
OPTIONAL_COLUMNS = ("purchased", "unit_cost", "currency", "origin", "supplier", "supplier_part")
BOM_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# ``unit_cost_eur`` (the first format) is read as ``unit_cost`` in euros.
COLUMN_ALIASES = {"unit_cost_eur": "unit_cost"}
KNOWN_KEYS = BOM_COLUMNS + tuple(COLUMN_ALIASES)
BOM_FILE_SUFFIXES = (".csv", ".xlsx", ".json")
MAX_COST_DECIMALS = 6  # a unit cost to the millionth of a euro (a screw bought by the thousand)
MAX_INTEGER_DIGITS = 12  # 999,999,999,999 per unit: beyond any component, and exact in int64 units

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "ja", "oui", "tak"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "nein", "non", "nie"})

# A file with a million bad lines must not produce a million messages: report
# the first few of each kind of problem and how many more there are.
MAX_PROBLEMS_PER_KIND = 20
HEADER_SEARCH_ROWS = 30  # title rows above the header row of a spreadsheet


class BomInputError(InputError):
    """Problems with the BOM's values; ``bom`` holds what could be read (bad values empty),
    so the structure (parents, cycles) and the origins can still be checked and every
    problem reported at once."""

    def __init__(self, problems: Iterable[Problem], bom: Bom) -> None:
        super().__init__(list(problems))
        self.bom = bom


@dataclass(frozen=True)
class Bom:
    frame: pl.DataFrame
    source: str  # "bom" (inline in the case) or the file name
    cost_scale: int = 2  # cost_units are 10**-cost_scale units of the line's currency
    unused_columns: tuple[str, ...] = ()  # columns of the file that no rule reads
    number_style: str | None = None  # "decimal comma" / "decimal point" when the file settled it
    cost_label: str = "unit_cost"  # the cost column as the user named it (unit_cost_eur)

    @property
    def items(self) -> int:
        return self.frame.height

    @cached_property
    def origin_codes(self) -> np.ndarray:
        """Origins as small integers (the two ASCII letters read as one 16-bit number),
        ``NO_ORIGIN`` (0) where none: sums per origin are then one ``np.bincount``."""
        codes = (
            self.frame["origin"]
            .cast(pl.Binary)
            .bin.reinterpret(dtype=pl.UInt16, endianness="little")
            .fill_null(NO_ORIGIN)
        )
        return codes.to_numpy()


ORIGIN_CODE_SPACE = 1 << 16
NO_ORIGIN = 0  # the code of an empty origin: no two-letter code reads as 0


def origin_from_code(code: int) -> str:
    return int(code).to_bytes(2, "little").decode("ascii")


def where(line: int | None, position: int, field: str) -> dict[str, Any]:
    """Problem location: a file line and column, or ``bom[i].field`` for inline items."""
    if line is None:
        return {"field": f"bom[{position}].{field}", "line": None}
    return {"field": field, "line": int(line)}


def _label(field: str, aliases: Mapping[str, str]) -> str:
    """The column as the user named it (``unit_cost_eur`` when the file says so)."""
    return aliases.get(field, field)


# -- numbers as people write them -------------------------------------------------------------

_SPACE_GROUPED = r"^[0-9]{1,3}(?:[ \u00a0\u202f'][0-9]{3})+(?:[.,][0-9]+)?$"
_AMBIGUOUS = r"^[0-9]{1,3}[.,][0-9]{3}$"  # 1.000 / 1,000: one, or one thousand?
_COMMA_EVIDENCE = r"^[0-9]*,[0-9]+$|^[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+$|^[0-9]{1,3}(?:\.[0-9]{3}){2,}$"
_POINT_EVIDENCE = r"^[0-9]*\.[0-9]+$|^[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+$|^[0-9]{1,3}(?:,[0-9]{3}){2,}$"
_VALID = {
    "decimal comma": r"^[0-9]+(?:,[0-9]+)?$|^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$",
    "decimal point": r"^(?:[0-9]+|[0-9]*\.[0-9]+)$|^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$",
    None: r"^[0-9]+$",
}


def _magnitude(name: str) -> pl.Expr:
    """The text without its sign and without space-like thousands separators (1 234,5)."""
    text = pl.col(name).str.strip_prefix("-").str.strip_prefix("+")
    return (
        pl.when(text.str.contains(_SPACE_GROUPED)).then(text.str.replace_all(r"[ \u00a0\u202f']", "")).otherwise(text)
    )


def _number_style(raw: pl.DataFrame, names: list[str], fixed: str | None) -> tuple[str | None, list[Problem]]:
    """The file's convention, from its unambiguous values: decimal comma, decimal point,
    or None when nothing settles it (then only whole numbers are read)."""
    if fixed is not None or not names:
        return fixed, []
    evidence = raw.select(
        *[_magnitude(n).alias(n) for n in names],
        pl.col("line"),
        pl.col("id"),
    ).select(
        pl.any_horizontal(
            [pl.col(n).str.contains(_COMMA_EVIDENCE) & ~pl.col(n).str.contains(_AMBIGUOUS) for n in names]
        ).alias("comma"),
        pl.any_horizontal(
            [pl.col(n).str.contains(_POINT_EVIDENCE) & ~pl.col(n).str.contains(_AMBIGUOUS) for n in names]
        ).alias("point"),
        pl.col("line"),
        pl.col("id"),
    )
    comma, point = evidence["comma"].any(), evidence["point"].any()
    if comma and point:
        first_comma = evidence.filter(pl.col("comma")).row(0, named=True)
        first_point = evidence.filter(pl.col("point")).row(0, named=True)
        return None, [
            Problem(
                "this file writes numbers both with a decimal comma (first at line "
                f"{first_comma['line']}) and with a decimal point (first at line {first_point['line']}); "
                "write every number the same way so none is misread",
                field="bom_file",
                line=first_point["line"],
                item=first_point["id"],
            )
        ]
    return ("decimal comma" if comma else "decimal point" if point else None), []


def _decimal_text(name: str, style: str | None) -> pl.Expr:
    """The number as plain text with a decimal point (``1234.5``); null where not valid."""
    text = _magnitude(name)
    if style == "decimal comma":
        plain = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    elif style == "decimal point":
        plain = text.str.replace_all(",", "", literal=True)
    else:
        plain = text
    plain = pl.when(plain.str.starts_with(".")).then(pl.lit("0") + plain).otherwise(plain)
    return pl.when(text.str.contains(_VALID[style])).then(plain).otherwise(None)


def _units(text: pl.Expr, scale: int) -> pl.Expr:
    """Plain decimal text as an exact integer number of 10**-scale units."""
    parts = text.str.split_exact(".", 1)
    whole = parts.struct.field("field_0").cast(pl.Int64, strict=False)
    if scale == 0:
        return whole
    fraction = parts.struct.field("field_1").fill_null("").str.pad_end(scale, "0").cast(pl.Int64, strict=False)
    return whole * (10**scale) + fraction


def _decimals(text: pl.Expr) -> pl.Expr:
    return text.str.split_exact(".", 1).struct.field("field_1").str.len_chars().fill_null(0)


# -- the shared validator (CSV, XLSX, JSON) ------------------------------------------------

# The common case, checked in one pass of whole-column expressions: every number plain
# (digits, at most one decimal point, at most 6 decimals), no value with spaces around it,
# known words and codes. Then the numbers are parsed straight to exact integers
# (``str.to_decimal``: the digits as written, scaled by 10**6). Anything else takes the
# full path below, which reads what can be read and names every problem.
_PLAIN = r"^[0-9]{1,12}(?:\.[0-9]{1,6})?$"
_PLAIN_POINT_EVIDENCE = r"^[0-9]+\.(?:[0-9]{1,2}|[0-9]{4,6})$|^[0-9]{4,}\.[0-9]+$"
_EDGE_SPACE = r"^\s|\s$"
FAST_SCALE = MAX_COST_DECIMALS
_WORDS = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
_ANY_CASE_WORDS = {
    variant: value for word, value in _WORDS.items() for variant in (word, word.upper(), word.capitalize())
}


def _fast_helpers() -> list[pl.Expr]:
    """What ``_fast_columns`` reads more than once, computed once (an eager ``select`` does not
    share repeated subexpressions): the quantity as a number, the purchased word as a truth
    value, and where each number's decimal point is (null: none) and how long the text is."""
    q, c = pl.col("quantity"), pl.col("unit_cost")
    return [
        q.cast(pl.Float64, strict=False).alias("_quantity"),
        pl.col("purchased").replace_strict(_ANY_CASE_WORDS, default=None, return_dtype=pl.Boolean).alias("_words"),
        q.str.find(".", literal=True).alias("_q_dot"),
        c.str.find(".", literal=True).alias("_c_dot"),
        q.str.len_bytes().cast(pl.Int64).alias("_q_len"),
        c.str.len_bytes().cast(pl.Int64).alias("_c_len"),
    ]


def _fast_columns() -> list[pl.Expr]:
    """The typed columns, and per line whether it is plain (``_plain``), shows a decimal point
    no thousands separator explains (``_point``), or could be read two ways (``_ambiguous``);
    on a frame with ``_fast_helpers``.

    Only a regular expression per number column checks that it is plain (digits, at most one
    decimal point); on plain text the other two flags follow from where the point is and how
    many digits follow it (``_point_flags``), which costs less than two more regular
    expressions per column. They are read only when every line is plain."""
    q, c = pl.col("quantity"), pl.col("unit_cost")
    words, quantity = pl.col("_words"), pl.col("_quantity")
    q_point, q_ambiguous = _point_flags("_q_dot", "_q_len")
    c_point, c_ambiguous = _point_flags("_c_dot", "_c_len")
    plain = (
        # a negative number, a sign, an exponent, inf or NaN go to the full path
        q.str.contains(_PLAIN_QUANTITY)
        & quantity.is_finite()
        & (c.is_null() | c.str.contains(_PLAIN))
        & pl.col("id").is_not_null()
        & (pl.col("id") != "")  # "" is no id: the full path says so
        & (pl.col("parent").is_null() | (pl.col("parent") != ""))
        & (pl.col("origin").is_null() | (pl.col("origin").str.len_bytes() == 2))
        & (pl.col("currency").is_null() | (pl.col("currency").str.len_bytes() == 3))
        & (pl.col("purchased").is_null() | words.is_not_null())  # a word the mapping does not know
    )
    return [
        pl.col("id"),
        pl.col("parent"),
        quantity.alias("quantity"),
        words.fill_null(False).alias("purchased"),
        c.cast(pl.Float64, strict=False).alias("unit_cost"),
        c.str.to_decimal(scale=FAST_SCALE).to_physical().cast(pl.Int64, strict=False).alias("cost_units"),
        pl.col("currency"),
        pl.col("origin"),
        pl.col("supplier"),
        pl.col("supplier_part"),
        pl.col("line").cast(pl.Int64),
        plain.fill_null(False).alias("_plain"),
        (q_point | c_point).fill_null(False).alias("_point"),
        (q_ambiguous | c_ambiguous).fill_null(False).alias("_ambiguous"),
    ]


_PLAIN_QUANTITY = r"^[0-9]+(?:\.[0-9]+)?$"


def _point_flags(dot: str, length: str) -> tuple[pl.Expr, pl.Expr]:
    """On plain text (digits, at most one decimal point with digits on both sides), the same
    answers as ``_PLAIN_POINT_EVIDENCE`` (a point no thousands separator explains: 1 or 2,
    or 4 to 6 decimals, or 4 or more digits before it) and ``_AMBIGUOUS`` (1.000: 1 to 3
    digits, a point, 3 digits). ``dot``: the point's position (null: none); ``length``: bytes."""
    before = pl.col(dot)
    after = pl.col(length) - before - 1
    point = ((after >= 1) & (after <= 6) & (after != 3)) | ((before >= 4) & (after >= 1))
    ambiguous = (before >= 1) & (before <= 3) & (after == 3)
    return point, ambiguous


def _typed_fast(frame):
    """The fast path's typed columns and flags, on an eager or a lazy frame of text cells."""
    return frame.with_columns(_fast_helpers()).select(_fast_columns())


def _accept_fast(frame: pl.DataFrame, fixed_style: str | None) -> tuple[pl.DataFrame, str | None] | None:
    """The typed frame if every line is plain and the numbers read one way only; else None."""
    flags = frame.select(pl.col("_plain").all(), pl.col("_point").any(), pl.col("_ambiguous").any()).row(0)
    plain, point, ambiguous = flags
    if not plain or not _capital_letters(frame["origin"], 2) or not _capital_letters(frame["currency"], 3):
        return None
    style = fixed_style or ("decimal point" if point else None)
    if style not in (None, "decimal point") or (style is None and ambiguous):
        return None
    return frame.drop("_plain", "_point", "_ambiguous"), style


def _fast_bom(frame: pl.DataFrame, style: str | None, source: str, unused, aliases) -> Bom:
    """A BOM read on the fast path: costs as integers of ``FAST_SCALE``."""
    return Bom(
        frame=frame,
        source=source,
        cost_scale=FAST_SCALE,
        unused_columns=unused,
        number_style=style,
        cost_label=_label("unit_cost", aliases),
    )


def _fast_path(raw: pl.DataFrame, fixed_style: str | None) -> tuple[pl.DataFrame, str | None] | None:
    return _accept_fast(_typed_fast(raw), fixed_style)


def _capital_letters(codes: pl.Series, length: int) -> bool:
    """Every code (of ``length`` ASCII bytes, already checked) is capital letters A-Z."""
    if codes.null_count() == codes.len():
        return True
    if length == 2:  # the two bytes as one 16-bit number, checked in numpy without a regex
        pairs = codes.drop_nulls().cast(pl.Binary).bin.reinterpret(dtype=pl.UInt16, endianness="little").to_numpy()
        low, high = pairs & 0xFF, pairs >> 8
        return bool(((low >= 65) & (low <= 90) & (high >= 65) & (high <= 90)).all())
    return bool(codes.str.contains(r"^[A-Z]+$").all(ignore_nulls=True))


def bom_from_text(
    raw: pl.DataFrame,
    source: str,
    *,
    aliases: Mapping[str, str] | None = None,
    number_style: str | None = None,
    positions: bool = False,
    unused: tuple[str, ...] = (),
    fast: bool = True,
) -> Bom:
    """Validate a table of text cells (columns named as ``BOM_COLUMNS``, plus ``line``).

    ``number_style`` fixes the convention (typed spreadsheet cells, JSON numbers);
    otherwise the file's own values settle it. ``positions``: problems are named
    ``bom[i].field`` (inline items) rather than by line.
    """
    aliases = aliases or {}
    height = raw.height
    for name in BOM_COLUMNS:
        if name not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    raw = raw.with_columns(*[pl.col(c).cast(pl.String) for c in BOM_COLUMNS])
    if "line" not in raw.columns:
        raw = raw.with_columns(pl.lit(None, dtype=pl.Int64).alias("line"))
    quick = _fast_path(raw, number_style) if fast else None
    if quick is not None:
        return _fast_bom(*quick, source, unused, aliases)
    raw = raw.with_columns(*[pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in BOM_COLUMNS])
    style, problems = _number_style(raw, ["quantity", "unit_cost"], number_style)
    typed = raw.with_columns(
        _decimal_text("quantity", style).alias("_q_text"),
        _decimal_text("unit_cost", style).alias("_c_text"),
        pl.col("quantity").str.starts_with("-").alias("_q_negative"),
        pl.col("unit_cost").str.starts_with("-").alias("_c_negative"),
    )
    scale = int(typed.select(_decimals(pl.col("_c_text")).max()).item() or 0)
    scale = min(max(scale, 0), MAX_COST_DECIMALS)
    purchased_word = pl.col("purchased").str.to_lowercase()
    typed = typed.with_columns(
        pl.col("_q_text").cast(pl.Float64, strict=False).alias("quantity_value"),
        pl.col("_c_text").cast(pl.Float64, strict=False).alias("cost_value"),
        _units(pl.col("_c_text"), scale).alias("cost_units"),
        pl.col("origin").str.to_uppercase().alias("origin_value"),
        pl.col("currency").str.to_uppercase().alias("currency_value"),
        pl.when(purchased_word.is_null() | purchased_word.is_in(list(FALSE_WORDS)))
        .then(False)
        .when(purchased_word.is_in(list(TRUE_WORDS)))
        .then(True)
        .otherwise(None)
        .alias("purchased_value"),
    )
    ambiguous = {
        None: "could be read two ways (a thousands separator or a decimal mark) and nothing else in the "
        "file settles which; write it without a thousands separator (1000 or 1,5)",
        "decimal comma": "is not a number as this file writes them (a decimal comma, a dot between thousands: 1.234,5)",
        "decimal point": "is not a number as this file writes them (a decimal point, a comma between "
        "thousands: 1,234.5)",
    }[style]
    cost_label = _label("unit_cost", aliases)

    def not_a_number(name: str, text: str) -> pl.Expr:
        return pl.col(name).is_not_null() & pl.col(text).is_null()

    checks = [
        (pl.col("id").is_null(), "id", "every item needs an id"),
        (pl.col("quantity").is_null(), "quantity", "quantity is missing (units per parent unit)"),
        (
            not_a_number("quantity", "_q_text") & pl.col("quantity").str.contains(_AMBIGUOUS),
            "quantity",
            f"quantity {ambiguous}",
        ),
        (
            not_a_number("quantity", "_q_text") & ~pl.col("quantity").str.contains(_AMBIGUOUS),
            "quantity",
            "quantity must be a number",
        ),
        (pl.col("_q_negative") & pl.col("_q_text").is_not_null(), "quantity", "quantity must not be negative"),
        (
            not_a_number("unit_cost", "_c_text") & pl.col("unit_cost").str.contains(_AMBIGUOUS),
            "unit_cost",
            f"{cost_label} {ambiguous}",
        ),
        (
            not_a_number("unit_cost", "_c_text") & ~pl.col("unit_cost").str.contains(_AMBIGUOUS),
            "unit_cost",
            f"{cost_label} must be a number",
        ),
        (pl.col("_c_negative") & pl.col("_c_text").is_not_null(), "unit_cost", f"{cost_label} must not be negative"),
        (
            _decimals(pl.col("_c_text")) > MAX_COST_DECIMALS,
            "unit_cost",
            f"{cost_label} has more than {MAX_COST_DECIMALS} decimal places",
        ),
        (
            pl.col("_c_text").str.split_exact(".", 1).struct.field("field_0").str.len_chars() > MAX_INTEGER_DIGITS,
            "unit_cost",
            f"{cost_label} is too large (more than {MAX_INTEGER_DIGITS} digits before the decimal mark)",
        ),
        (pl.col("purchased_value").is_null(), "purchased", "purchased must be true or false (or yes/no, 1/0)"),
        (
            pl.col("origin").is_not_null() & ~pl.col("origin_value").str.contains(r"^[A-Z]{2}$"),
            "origin",
            "origin must be an ISO 3166-1 alpha-2 country code (place of manufacture)",
        ),
        (
            pl.col("currency").is_not_null() & ~pl.col("currency_value").str.contains(r"^[A-Z]{3}$"),
            "currency",
            "currency must be an ISO 4217 code such as EUR, GBP, USD or SEK",
        ),
    ]
    problems += collect_problems(typed, checks, value_columns=True, aliases=aliases, positions=positions)
    frame = typed.select(
        pl.col("id"),
        pl.col("parent"),
        pl.when(pl.col("_q_negative")).then(None).otherwise(pl.col("quantity_value")).alias("quantity"),
        pl.col("purchased_value").fill_null(False).alias("purchased"),
        pl.when(pl.col("_c_negative")).then(None).otherwise(pl.col("cost_value")).alias("unit_cost"),
        pl.when(pl.col("_c_negative") | (_decimals(pl.col("_c_text")) > MAX_COST_DECIMALS))
        .then(None)
        .otherwise(pl.col("cost_units"))
        .alias("cost_units"),
        pl.col("currency_value").alias("currency"),
        pl.col("origin_value").alias("origin"),
        pl.col("supplier"),
        pl.col("supplier_part"),
        pl.col("line").cast(pl.Int64),
    )
    bom = Bom(
        frame=frame, source=source, cost_scale=scale, unused_columns=unused, number_style=style, cost_label=cost_label
    )
    if problems:
        raise BomInputError(problems, bom)
    assert frame.height == height
    return bom


def bom_from_frame(frame: pl.DataFrame, *, source: str = "bom") -> Bom:
    """A BOM from a polars DataFrame with (at least) the required columns; fields are checked."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", field=source)
    renamed = frame.rename({k: v for k, v in COLUMN_ALIASES.items() if k in frame.columns})
    columns = [pl.col(c).cast(pl.String) for c in BOM_COLUMNS if c in renamed.columns]
    raw = renamed.select(*columns, *([pl.col("line")] if "line" in renamed.columns else []))
    try:
        return bom_from_text(raw, source, number_style="decimal point", positions="line" not in renamed.columns)
    except BomInputError as exc:
        raise InputError(exc.problems) from None


# -- inline JSON ---------------------------------------------------------------


def _json_text(value: Any) -> str | None:
    """A JSON value as the text a cell would hold (numbers digit for digit)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # the shortest decimal that reads back as this float, without an exponent (1e-05)
        return format(Decimal(repr(value)), "f") if math.isfinite(value) else "not a number"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value)


def unknown_key_problem(key: str, allowed: Iterable[str], field: str, **where: Any) -> Problem:
    """An unknown key named, with the key the user most likely meant (``purchsed``: purchased?)."""
    allowed = list(allowed)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(allowed)}"
    return Problem(f"unknown field {str(key)!r}{hint} (nothing is left out silently)", field=field, **where)


def bom_from_records(records: Any, *, limits: Limits = DEFAULT_LIMITS, source: str = "bom") -> Bom:
    """Items given as a JSON list of objects (inline ``bom`` or a ``.json`` BOM file)."""
    if not isinstance(records, list):
        raise InputError("the BOM must be a list of items", field=source)
    if len(records) > limits.max_bom_items:
        raise InputError(
            f"the BOM has {len(records):,} items, over the limit of {limits.max_bom_items:,}", field=source
        )
    problems: list[Problem] = []
    cols: dict[str, list[Any]] = {c: [] for c in BOM_COLUMNS}
    aliases: dict[str, str] = {}
    for i, item in enumerate(records):
        at = f"{source}[{i}]"
        if not isinstance(item, Mapping):
            problems.append(Problem("each BOM item must be an object with id, parent, quantity", field=at))
            for c in BOM_COLUMNS:
                cols[c].append(None)
            continue
        item_id = item.get("id")
        for key in item:
            if key not in KNOWN_KEYS:
                problems.append(unknown_key_problem(key, KNOWN_KEYS, f"{at}.{key}", item=_json_text(item_id)))
        if "unit_cost" in item and "unit_cost_eur" in item:
            problems.append(
                Problem(
                    "give unit_cost (with its currency) or unit_cost_eur, not both",
                    field=f"{at}.unit_cost",
                    item=_json_text(item_id),
                )
            )
        if "unit_cost_eur" in item:
            aliases["unit_cost"] = "unit_cost_eur"
            if item.get("currency") not in (None, "EUR", "eur"):
                problems.append(
                    Problem(
                        "unit_cost_eur is in euros; give unit_cost with a currency other than EUR",
                        field=f"{at}.currency",
                        item=_json_text(item_id),
                    )
                )
        for name in BOM_COLUMNS:
            value = item.get(name, item.get("unit_cost_eur") if name == "unit_cost" else None)
            if name in ("id", "parent") and value is not None and not isinstance(value, (str, int)):
                problems.append(
                    Problem(
                        f"{name} must be text, not {value!r}",
                        field=f"{at}.{name}",
                        item=_json_text(item_id) if name != "id" else None,
                    )
                )
                value = None
            cols[name].append(_json_text(value))
    raw = pl.DataFrame(cols, schema={c: pl.String for c in BOM_COLUMNS})
    try:
        bom = bom_from_text(raw, source, aliases=aliases, number_style="decimal point", positions=True)
    except BomInputError as exc:
        raise BomInputError(problems + exc.problems, exc.bom) from None
    if problems:
        raise BomInputError(problems, bom)
    return bom


# -- files ---------------------------------------------------------------------


def read_bom_file(path: Path, *, limits: Limits = DEFAULT_LIMITS, field: str = "bom_file") -> Bom:
    """Read a BOM from a CSV, XLSX or JSON file (chosen by the file's suffix)."""
    suffix = path.suffix.lower()
    if suffix not in BOM_FILE_SUFFIXES:
        raise InputError(f"{path.name}: a BOM file must be .csv, .xlsx or .json", field=field)
    if not path.is_file():
        raise InputError(f"{path.name}: file not found (looked for {path})", field=field)
    size = path.stat().st_size
    if size > limits.max_bom_file_bytes:
        raise InputError(
            f"{path.name} is {describe_bytes(size)}, over the {describe_bytes(limits.max_bom_file_bytes)} limit",
            field=field,
        )
    if suffix == ".csv":  # polars reads the file itself: no copy of it in memory
        return bom_from_csv(path, source=path.name, limits=limits)
    return bom_from_upload(path.name, path.read_bytes(), limits=limits)


def bom_from_upload(name: str, content: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Bom:
    """A BOM uploaded through a form: the file name's suffix says CSV, XLSX or JSON."""
    suffix = Path(name or "").suffix.lower()
    if suffix not in BOM_FILE_SUFFIXES:
        raise InputError(f"{name or 'the file'}: a BOM file must be .csv, .xlsx or .json", field="bom_file")
    if len(content) > limits.max_bom_file_bytes:
        raise InputError(
            f"{name} is {describe_bytes(len(content))}, over the {describe_bytes(limits.max_bom_file_bytes)} limit",
            field="bom_file",
        )
    if suffix == ".csv":
        return bom_from_csv(content, source=name, limits=limits)
    if suffix == ".xlsx":
        return bom_from_xlsx(content, source=name, limits=limits)
    try:
        data = json.loads(content.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{name} is not valid JSON ({exc})", field="bom_file") from None
    if isinstance(data, Mapping) and "bom" in data:
        data = data["bom"]
    return bom_from_records(data, limits=limits, source="bom")


def _normalise_header(name: Any) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _map_columns(header: list[str], source: str, line: int) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """Which file column feeds which BOM column; the columns no rule reads; problems raise."""
    mapping: dict[str, str] = {}
    aliases: dict[str, str] = {}
    unused: list[str] = []
    # a supplier alone names no declaration: it is read only beside a supplier_part column
    declared = "supplier_part" in {_normalise_header(h) for h in header}
    for original in header:
        key = _normalise_header(original)
        target = COLUMN_ALIASES.get(key, key)
        if target in BOM_COLUMNS and target not in mapping.values() and (declared or target != "supplier"):
            mapping[original] = target
            if key != target:
                aliases[target] = key
        elif str(original).strip():
            unused.append(str(original).strip())
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping.values()]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)} in the header row (row {line}); the header must name "
            f"{', '.join(REQUIRED_COLUMNS)} and, for costed items, purchased, unit_cost, currency, origin",
            field="bom_file",
            line=line,
        )
    return mapping, aliases, tuple(unused)


def sniff_separator(content: bytes) -> str:
    """The delimiter of the header line: the most frequent of ; , tab and |."""
    first_line = content.split(b"\n", 1)[0]
    counts = {sep: first_line.count(sep.encode()) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def bom_from_csv(content: bytes | Path, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Bom:
    """CSV with a header row naming the columns; the delimiter (, ; tab |) is detected (UTF-8).
    ``content``: the file's bytes (an upload) or its path (read by polars, not copied)."""
    size = content.stat().st_size if isinstance(content, Path) else len(content)
    if size > limits.max_bom_file_bytes:
        raise InputError(
            f"{source} is {describe_bytes(size)}, over the {describe_bytes(limits.max_bom_file_bytes)} limit",
            field="bom_file",
        )
    if isinstance(content, Path):
        with content.open("rb") as fh:
            head = fh.read(1 << 16)
    else:
        head = content
    if head.startswith(b"\xef\xbb\xbf"):  # the byte-order mark Excel writes
        head = head[3:]
        if not isinstance(content, Path):
            content = content[3:]
    separator = sniff_separator(head)
    streamed = _csv_streamed(content, separator, source, limits)
    if streamed is not None:
        return streamed
    try:
        frame = pl.read_csv(
            content if isinstance(content, Path) else io.BytesIO(content),
            infer_schema=False,
            separator=separator,
            n_rows=limits.max_bom_items + 1,
            truncate_ragged_lines=False,
        )
    except Exception as exc:  # polars raises several error types for malformed CSV
        raise InputError(f"{source} is not a readable CSV file ({_first_line(exc)})", field="bom_file") from None
    if frame.height > limits.max_bom_items:
        raise InputError(f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file")
    mapping, aliases, unused = _map_columns(frame.columns, source, 1)
    # Line numbers assume one line per record (no line breaks inside quoted cells).
    raw = frame.select([pl.col(k).alias(v) for k, v in mapping.items()]).with_columns(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("line")
    )
    return bom_from_text(raw, source, aliases=aliases, unused=unused)


def _csv_streamed(content: bytes | Path, separator: str, source: str, limits: Limits) -> Bom | None:
    """The common case without holding the file's text: polars' streaming engine reads the CSV
    in batches and keeps only the typed columns and the per-line flags. None when a line is not
    plain (the full reading then names every problem)."""
    source_io = content if isinstance(content, Path) else io.BytesIO(content)
    try:
        header = pl.read_csv(source_io, infer_schema=False, separator=separator, n_rows=0).columns
        mapping, aliases, unused = _map_columns(header, source, 1)
        if not isinstance(content, Path):
            source_io = io.BytesIO(content)
        lazy = (
            pl.scan_csv(source_io, infer_schema=False, separator=separator, truncate_ragged_lines=False)
            .head(limits.max_bom_items + 1)
            .select([pl.col(k).alias(v) for k, v in mapping.items()])
            .with_row_index("line", offset=2)
        )
        missing = [c for c in BOM_COLUMNS if c not in mapping.values()]
        lazy = lazy.with_columns(*[pl.lit(None, dtype=pl.String).alias(c) for c in missing])
        frame = _typed_fast(lazy).collect(engine="streaming")
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - anything unusual: the full reading reports it properly
        return None
    if frame.height > limits.max_bom_items:
        raise InputError(f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file")
    accepted = _accept_fast(frame, None)
    if accepted is None:
        return None
    return _fast_bom(*accepted, source, unused, aliases)


def bom_from_xlsx(content: Any, *, source: str, limits: Limits = DEFAULT_LIMITS, typed: bool = True) -> Bom:
    """The first worksheet, read with calamine; the header row may sit below title rows.
    ``typed``: try the one typed reading first (``False``: every cell as text, the fallback)."""
    from .xlsx import check_zip, first_row_number, header_row_guess, load_typed, read_first_sheet

    if isinstance(content, (str, Path)):
        content = Path(content).read_bytes()
    elif hasattr(content, "read"):
        content = content.read()
    check_zip(content, source=source, limits=limits)
    quick = (
        _xlsx_typed(content, source, limits, header_row_guess(content), first_row_number(content), load_typed)
        if typed
        else None
    )
    if quick is not None:
        return quick

    rows, first_row = read_first_sheet(content, source=source, limits=limits)
    offset = first_row - 1  # sheet row of frame row i is i + 1 + offset
    header_index = None
    best: tuple[int, int] = (-1, 0)
    for index in range(min(HEADER_SEARCH_ROWS, rows.height)):
        cells = [_normalise_header(v) for v in rows.row(index)]
        found = sum(1 for c in REQUIRED_COLUMNS if c in cells)
        if found == len(REQUIRED_COLUMNS):
            header_index = index
            break
        if found > best[1]:
            best = (index, found)
    if header_index is None:
        if best[0] < 0:
            raise InputError(
                f"{source}: no header row in the first {HEADER_SEARCH_ROWS} rows of the first worksheet names "
                f"the columns {', '.join(REQUIRED_COLUMNS)}",
                field="bom_file",
            )
        cells = [_normalise_header(v) for v in rows.row(best[0])]
        missing = [c for c in REQUIRED_COLUMNS if c not in cells]
        raise InputError(
            f"{source}: row {best[0] + 1 + offset} looks like the header row but lacks the column(s) {', '.join(missing)}",
            field="bom_file",
            line=best[0] + 1 + offset,
        )
    header = [str(v).strip() if v is not None else "" for v in rows.row(header_index)]
    body = rows.slice(header_index + 1)
    # Two columns with the same heading: the first one is read; later ones are listed as not used.
    names = {f"column_{i}": h for i, h in enumerate(header)}
    body = body.rename({old: f"column_{i}" for i, old in enumerate(body.columns)})
    mapping, aliases, unused = _map_columns(list(names.values()), source, header_index + 1 + offset)
    by_heading = {}
    for col, heading in names.items():
        by_heading.setdefault(heading, col)
    raw = body.select(
        *[pl.col(by_heading[heading]).alias(target) for heading, target in mapping.items()],
        pl.int_range(header_index + 2 + offset, header_index + 2 + offset + body.height, dtype=pl.Int64).alias("line"),
    )
    # Blank rows between blocks are common in spreadsheets.
    raw = raw.filter(~pl.all_horizontal([pl.col(c).is_null() for c in mapping.values()]))
    if raw.height > limits.max_bom_items:
        raise InputError(f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file")
    return bom_from_text(raw, source, aliases=aliases, unused=unused)


def _xlsx_typed(
    content: bytes, source: str, limits: Limits, header_row: int | None, first_row: int, load_typed
) -> Bom | None:
    """The common case read once with typed cells (calamine is quicker with them, and a number
    typed as a number has no decimal comma to misread): the header row guessed from the sheet's
    XML, confirmed by the headings calamine returns. None: read every cell as text instead."""
    if header_row is None or header_row < first_row:
        return None
    frame = load_typed(content, header_row - first_row, source=source, limits=limits)
    headings = [_normalise_header(c) for c in frame.columns]
    if not all(c in headings for c in REQUIRED_COLUMNS) or len(set(headings)) != len(headings):
        return None
    mapping, aliases, unused = _map_columns(list(frame.columns), source, header_row)
    unused = tuple(u for u in unused if not u.startswith("__UNNAMED__"))  # calamine's name for a blank heading
    columns = []
    for heading, target in mapping.items():
        column = pl.col(heading)
        dtype = frame[heading].dtype
        if target in ("id", "parent") and dtype.is_float():
            # part numbers typed as numbers: 1001, not 1001.0
            column = (
                pl.when(column == column.round(0))
                .then(column.cast(pl.Int64, strict=False).cast(pl.String))
                .otherwise(column.cast(pl.String))
            )
        columns.append(column.cast(pl.String).alias(target))
    numbers_typed = all(
        frame[h].dtype.is_numeric() or frame[h].dtype == pl.Null
        for h, t in mapping.items()
        if t in ("quantity", "unit_cost")
    )
    raw = frame.select(
        *columns, pl.int_range(header_row + 1, header_row + 1 + frame.height, dtype=pl.Int64).alias("line")
    )
    raw = raw.filter(~pl.all_horizontal([pl.col(c).is_null() for c in mapping.values()]))
    if raw.height > limits.max_bom_items:
        raise InputError(f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file")
    return bom_from_text(
        raw, source, aliases=aliases, unused=unused, number_style="decimal point" if numbers_typed else None
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def collect_problems(
    frame: pl.DataFrame,
    checks: Iterable[tuple[pl.Expr, str, str]],
    *,
    value_columns: bool = False,
    aliases: Mapping[str, str] | None = None,
    positions: bool = False,
) -> list[Problem]:
    """Vectorised field checks: the first few offending rows of each, then a count."""
    aliases = aliases or {}
    problems: list[Problem] = []
    indexed = frame.with_row_index("_position")
    masks = indexed.select([mask.fill_null(False).alias(f"_check{i}") for i, (mask, _, _) in enumerate(checks)])
    for i, (_, field, message) in enumerate(checks):
        column = masks[f"_check{i}"]
        if not column.any():
            continue
        bad = indexed.filter(column)
        shown = bad.head(MAX_PROBLEMS_PER_KIND)
        columns = list(dict.fromkeys(["_position", "line", "id", field]))
        label = _label(field, aliases)
        for row in shown.select(columns).iter_rows(named=True):
            value = row[field]
            # a JSON number is shown as written (-1); a cell of a file as quoted text ('1.000')
            shown_value = value if positions else repr(value)
            suffix = f" ({'' if positions else 'got '}{shown_value})" if value_columns and value is not None else ""
            line = None if positions else row["line"]
            problems.append(Problem(message + suffix, item=row["id"], **where(line, row["_position"], label)))
        if bad.height > shown.height:
            problems.append(
                Problem(f"{message}: {bad.height - shown.height:,} more items with the same problem", field=label)
            )
    return problems
