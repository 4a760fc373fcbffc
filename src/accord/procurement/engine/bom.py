"""The bill of materials as a typed table, and its readers (JSON, CSV, XLSX).

Every reader returns a ``Bom`` whose ``frame`` (a polars DataFrame) has the
columns of ``BOM_SCHEMA``. ``line`` is the 1-based line (CSV) or row (XLSX) in
the user's file, null for items given inline in the case JSON (those are
named ``bom[i]`` by their position). Readers validate each field and raise
``InputError`` with every problem found, each naming the item, the field and,
for files, the line. Structural checks (parents, cycles, the end product) are
in ``rollup``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import polars as pl

from accord.errors import InputError, Problem

from .limits import DEFAULT_LIMITS, Limits, describe_bytes

BOM_SCHEMA = {
    "id": pl.String,
    "parent": pl.String,
    "quantity": pl.Float64,
    "purchased": pl.Boolean,
    "unit_cost_eur": pl.Float64,
    "origin": pl.String,
    "line": pl.Int64,
}
REQUIRED_COLUMNS = ("id", "parent", "quantity")
OPTIONAL_COLUMNS = ("purchased", "unit_cost_eur", "origin")
BOM_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BOM_FILE_SUFFIXES = (".csv", ".xlsx", ".json")

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})

# A file with a million bad lines must not produce a million messages: report
# the first few of each kind of problem and how many more there are.
MAX_PROBLEMS_PER_KIND = 20


class BomInputError(InputError):
    """Problems with the BOM's values; ``bom`` holds what could be read (bad values empty),
    so the structure (parents, cycles) and the origins can still be checked and every
    problem reported at once."""

    def __init__(self, problems: Iterable[Problem], bom: "Bom") -> None:
        super().__init__(list(problems))
        self.bom = bom


@dataclass(frozen=True)
class Bom:
    frame: pl.DataFrame
    source: str  # "bom" (inline in the case) or the file name

    @property
    def items(self) -> int:
        return self.frame.height

    @cached_property
    def origin_codes(self) -> np.ndarray:
        """Origins as small integers (the two ASCII letters read as one 16-bit number),
        ``NO_ORIGIN`` (0) where none.

        Lets the rollup sum costs per origin with one ``np.bincount`` instead of a
        string group-by; ``origin_from_code`` turns a code back into the letters.
        Origins are checked to be two capital letters before a ``Bom`` exists, so no
        origin has code 0 (two NUL bytes); uint16 needs no further cast.
        """
        codes = (
            self.frame["origin"].cast(pl.Binary).bin.reinterpret(dtype=pl.UInt16, endianness="little")
            .fill_null(NO_ORIGIN)
        )
        return codes.to_numpy()


ORIGIN_CODE_SPACE = 1 << 16
NO_ORIGIN = 0  # the code of an empty origin: no two-letter code reads as 0


def origin_from_code(code: int) -> str:
    return int(code).to_bytes(2, "little").decode("ascii")


def bom_from_frame(frame: pl.DataFrame, *, source: str = "bom") -> Bom:
    """A BOM from a polars DataFrame with (at least) the BOM columns; fields are checked."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", field=source)
    columns = []
    for name, dtype in BOM_SCHEMA.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        elif name == "purchased":
            columns.append(pl.lit(False).alias(name))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    typed = frame.select(columns).with_columns(pl.col("purchased").fill_null(False))
    _check_typed_values(typed, source)
    return Bom(frame=typed, source=source)


def where(line: int | None, position: int, field: str) -> dict[str, Any]:
    """Problem location: a file line and column, or ``bom[i].field`` for inline items."""
    if line is None:
        return {"field": f"bom[{position}].{field}", "line": None}
    return {"field": field, "line": int(line)}


# -- inline JSON ---------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


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
    for i, item in enumerate(records):
        at = f"{source}[{i}]"
        if not isinstance(item, Mapping):
            problems.append(Problem("each BOM item must be an object with id, parent, quantity", field=at))
            for c in BOM_COLUMNS:
                cols[c].append(None)
            continue
        item_id = _as_id(item.get("id"))
        if item_id is None:
            problems.append(Problem("every item needs an id (text)", field=f"{at}.id"))
        parent_raw = item.get("parent")
        parent = _as_id(parent_raw)
        if parent_raw is not None and parent is None:
            problems.append(Problem("parent must be the id of another item, or null for the end product",
                                    field=f"{at}.parent", item=item_id))
        quantity = item.get("quantity", None)
        if quantity is None:
            problems.append(Problem("quantity is missing (units per parent unit)", field=f"{at}.quantity", item=item_id))
        elif not _is_number(quantity) or not math.isfinite(quantity):
            problems.append(Problem(f"quantity must be a number, not {quantity!r}", field=f"{at}.quantity", item=item_id))
            quantity = None
        elif quantity < 0:
            problems.append(Problem(f"quantity must not be negative ({quantity})", field=f"{at}.quantity", item=item_id))
        purchased = item.get("purchased", False)
        if purchased is None:
            purchased = False
        if not isinstance(purchased, bool):
            problems.append(Problem(f"purchased must be true or false, not {purchased!r}",
                                    field=f"{at}.purchased", item=item_id))
            purchased = False
        cost = item.get("unit_cost_eur")
        if cost is not None:
            if not _is_number(cost) or not math.isfinite(cost):
                problems.append(Problem(f"unit_cost_eur must be a number, not {cost!r}",
                                        field=f"{at}.unit_cost_eur", item=item_id))
                cost = None
            elif cost < 0:
                problems.append(Problem(f"unit_cost_eur must not be negative ({cost})",
                                        field=f"{at}.unit_cost_eur", item=item_id))
        origin = item.get("origin")
        if origin is not None:
            if isinstance(origin, str) and len(origin.strip()) == 2 and origin.strip().isalpha():
                origin = origin.strip().upper()
            else:
                problems.append(Problem(f"origin must be an ISO 3166-1 alpha-2 country code, not {origin!r}",
                                        field=f"{at}.origin", item=item_id))
                origin = None
        cols["id"].append(item_id)
        cols["parent"].append(parent)
        cols["quantity"].append(float(quantity) if _is_number(quantity) else None)
        cols["purchased"].append(purchased)
        cols["unit_cost_eur"].append(float(cost) if _is_number(cost) else None)
        cols["origin"].append(origin)
    frame = pl.DataFrame(cols, schema={k: v for k, v in BOM_SCHEMA.items() if k != "line"}).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("line")
    )
    if problems:
        raise BomInputError(problems, Bom(frame=frame, source=source))
    return Bom(frame=frame, source=source)


# -- files ---------------------------------------------------------------------


def read_bom_file(path: Path, *, limits: Limits = DEFAULT_LIMITS, field: str = "bom_file") -> Bom:
    """Read a BOM from a CSV, XLSX or JSON file (chosen by the file's suffix)."""
    suffix = path.suffix.lower()
    if suffix not in BOM_FILE_SUFFIXES:
        raise InputError(
            f"{path.name}: a BOM file must be .csv, .xlsx or .json", field=field
        )
    if not path.is_file():
        raise InputError(f"{path.name}: file not found (looked for {path})", field=field)
    size = path.stat().st_size
    if size > limits.max_bom_file_bytes:
        raise InputError(
            f"{path.name} is {describe_bytes(size)}, over the {describe_bytes(limits.max_bom_file_bytes)} limit",
            field=field,
        )
    if suffix == ".csv":
        return bom_from_csv(path.read_bytes(), source=path.name, limits=limits)
    if suffix == ".xlsx":
        return bom_from_xlsx(path, source=path.name, limits=limits)
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path.name} is not valid JSON ({exc})", field=field) from None
    if isinstance(data, Mapping) and "bom" in data:
        data = data["bom"]
    return bom_from_records(data, limits=limits, source="bom")


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
        import io

        return bom_from_xlsx(io.BytesIO(content), source=name, limits=limits)
    import json

    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{name} is not valid JSON ({exc})", field="bom_file") from None
    if isinstance(data, Mapping) and "bom" in data:
        data = data["bom"]
    return bom_from_records(data, limits=limits, source="bom")


def bom_from_csv(content: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Bom:
    """CSV with a header row naming the columns; comma or semicolon separated (UTF-8)."""
    if len(content) > limits.max_bom_file_bytes:
        raise InputError(
            f"{source} is {describe_bytes(len(content))}, over the "
            f"{describe_bytes(limits.max_bom_file_bytes)} limit",
            field="bom_file",
        )
    if content.startswith(b"\xef\xbb\xbf"):  # the byte-order mark Excel writes
        content = content[3:]
    first_line = content.split(b"\n", 1)[0]
    separator = ";" if first_line.count(b";") > first_line.count(b",") else ","
    try:
        import io

        frame = pl.read_csv(
            io.BytesIO(content),
            infer_schema=False,
            separator=separator,
            n_rows=limits.max_bom_items + 1,
            truncate_ragged_lines=False,
        )
    except Exception as exc:  # polars raises several error types for malformed CSV
        raise InputError(f"{source} is not a readable CSV file ({_first_line(exc)})", field="bom_file") from None
    if frame.height > limits.max_bom_items:
        raise InputError(f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file")
    columns = {name.strip().lower(): frame[name] for name in frame.columns}
    # Line numbers assume one line per record (no line breaks inside quoted cells).
    lines = pl.int_range(2, frame.height + 2, eager=True)
    # A semicolon-separated file (Excel in much of Europe) writes decimal commas: 10,5.
    return _bom_from_text(columns, lines, source, decimal_comma=separator == ";")


def bom_from_xlsx(path_or_file: Any, *, source: str, limits: Limits = DEFAULT_LIMITS) -> Bom:
    """The first worksheet; the first non-empty row names the columns."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path_or_file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{source} is not a readable XLSX workbook ({_first_line(exc)})", field="bom_file") from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        data: list[list[str | None]] = []
        lines: list[int] = []
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in row]
            if header is None:
                if any(c is not None for c in cells):
                    header = [(c or "").strip().lower() for c in cells]
                continue
            if all(c is None for c in cells):
                continue  # blank rows between blocks are common in spreadsheets
            if len(data) >= limits.max_bom_items:
                raise InputError(
                    f"{source} has more than {limits.max_bom_items:,} items (the limit)", field="bom_file"
                )
            data.append(cells)
            lines.append(row_number)
    finally:
        workbook.close()
    if header is None:
        raise InputError(f"{source}: the first worksheet is empty", field="bom_file")
    columns: dict[str, pl.Series] = {}
    for index, name in enumerate(header):
        if name and name not in columns:
            columns[name] = pl.Series(
                name, [row[index] if index < len(row) else None for row in data], dtype=pl.String
            )
    return _bom_from_text(columns, pl.Series("line", lines, dtype=pl.Int64), source)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # part numbers typed as numbers come back as 1001.0
    text = str(value).strip()
    return text or None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- shared text-column parsing (CSV and XLSX) ------------------------------------


def _bom_from_text(
    columns: Mapping[str, pl.Series], lines: pl.Series, source: str, *, decimal_comma: bool = False
) -> Bom:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)}; the header row must name "
            f"{', '.join(REQUIRED_COLUMNS)} and, for purchased items, {', '.join(OPTIONAL_COLUMNS)}",
            field="bom_file",
            line=1,
        )
    height = len(lines)

    def text(name: str) -> pl.Series:
        if name not in columns:
            return pl.Series(name, [None] * height, dtype=pl.String)
        return columns[name].cast(pl.String).str.strip_chars().replace("", None).alias(name)

    raw = pl.DataFrame([text(c) for c in BOM_COLUMNS]).with_columns(lines.alias("line"))
    purchased_word = pl.col("purchased").str.to_lowercase()

    def number(name: str) -> pl.Expr:
        # Elsewhere a comma is never taken as a decimal point: "1,000" must not become 1.
        text = pl.col(name).str.replace(",", ".", literal=True) if decimal_comma else pl.col(name)
        return text.cast(pl.Float64, strict=False)

    typed = raw.with_columns(
        number("quantity").alias("quantity_value"),
        number("unit_cost_eur").alias("cost_value"),
        pl.col("origin").str.to_uppercase().alias("origin_value"),
        pl.when(purchased_word.is_null() | purchased_word.is_in(list(FALSE_WORDS)))
        .then(False)
        .when(purchased_word.is_in(list(TRUE_WORDS)))
        .then(True)
        .otherwise(None)
        .alias("purchased_value"),
    )
    checks = [
        (pl.col("id").is_null(), "id", "every item needs an id"),
        (pl.col("quantity").is_null(), "quantity", "quantity is missing (units per parent unit)"),
        (
            pl.col("quantity").is_not_null()
            & (pl.col("quantity_value").is_null() | pl.col("quantity_value").is_infinite()
               | pl.col("quantity_value").is_nan()),
            "quantity",
            "quantity must be a number",
        ),
        (pl.col("quantity_value") < 0, "quantity", "quantity must not be negative"),
        (
            pl.col("unit_cost_eur").is_not_null()
            & (pl.col("cost_value").is_null() | pl.col("cost_value").is_infinite() | pl.col("cost_value").is_nan()),
            "unit_cost_eur",
            "unit_cost_eur must be a number",
        ),
        (pl.col("cost_value") < 0, "unit_cost_eur", "unit_cost_eur must not be negative"),
        (pl.col("purchased_value").is_null(), "purchased", "purchased must be true or false (or yes/no, 1/0)"),
        (
            pl.col("origin").is_not_null() & ~pl.col("origin_value").str.contains(r"^[A-Z]{2}$"),
            "origin",
            "origin must be an ISO 3166-1 alpha-2 country code",
        ),
    ]
    problems = collect_problems(typed, checks, value_columns=True)
    frame = typed.select(
        pl.col("id"),
        pl.col("parent"),
        pl.col("quantity_value").alias("quantity"),
        pl.col("purchased_value").fill_null(False).alias("purchased"),
        pl.col("cost_value").alias("unit_cost_eur"),
        pl.col("origin_value").alias("origin"),
        pl.col("line").cast(pl.Int64),
    )
    if problems:
        raise BomInputError(problems, Bom(frame=frame, source=source))
    return Bom(frame=frame, source=source)


def _check_typed_values(frame: pl.DataFrame, source: str) -> None:
    checks = [
        (pl.col("id").is_null(), "id", "every item needs an id"),
        (pl.col("quantity").is_null() | ~pl.col("quantity").is_finite(), "quantity", "quantity must be a number"),
        (pl.col("quantity") < 0, "quantity", "quantity must not be negative"),
        (pl.col("unit_cost_eur").is_not_null() & ~pl.col("unit_cost_eur").is_finite(), "unit_cost_eur",
         "unit_cost_eur must be a number"),
        (pl.col("unit_cost_eur") < 0, "unit_cost_eur", "unit_cost_eur must not be negative"),
        (pl.col("origin").is_not_null() & ~pl.col("origin").str.contains(r"^[A-Z]{2}$"), "origin",
         "origin must be an ISO 3166-1 alpha-2 country code"),
    ]
    problems = collect_problems(frame, checks)
    if problems:
        raise InputError(problems)


def collect_problems(
    frame: pl.DataFrame,
    checks: Iterable[tuple[pl.Expr, str, str]],
    *,
    value_columns: bool = False,
) -> list[Problem]:
    """Vectorised field checks: the first few offending rows of each, then a count."""
    problems: list[Problem] = []
    indexed = frame.with_row_index("_position")
    for mask, field, message in checks:
        bad = indexed.filter(mask.fill_null(False))
        if bad.height == 0:
            continue
        shown = bad.head(MAX_PROBLEMS_PER_KIND)
        columns = list(dict.fromkeys(["_position", "line", "id", field]))
        for row in shown.select(columns).iter_rows(named=True):
            value = row[field]
            suffix = f" (got {value!r})" if value_columns and value is not None else ""
            problems.append(
                Problem(message + suffix, item=row["id"], **where(row["line"], row["_position"], field))
            )
        if bad.height > shown.height:
            problems.append(
                Problem(f"{message}: {bad.height - shown.height:,} more items with the same problem", field=field)
            )
    return problems
