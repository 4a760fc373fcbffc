"""Supplier origin declarations: reading them, and the origin they give a BOM line on a date.

A firm rarely knows the origin of a bought part itself: its supplier declares
it, for a period (the long-term supplier's declaration of customs practice,
Commission Implementing Regulation (EU) 2015/2447, Article 62:
https://eur-lex.europa.eu/eli/reg_impl/2015/2447/oj/eng#art_62). A BOM line
may name the supplier and its part number (``supplier`` and ``supplier_part``)
instead of an origin; on the assessment date the origin is the one a
declaration valid that day gives. An expired, not yet valid or missing
declaration gives no origin: the line is then of unknown origin, counted as
non-eligible (the worst case, docs/law/safe-regulation.md#article-16-10), and
listed with the reason.

Everything here is pure: the service layer loads a party's declarations and
passes them in with the date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from accord.errors import InputError, Problem
from accord.values import to_date

from .bom import HEADER_SEARCH_ROWS, Bom, _normalise_header, sniff_separator
from .countries import PartyRegistry, is_country_code
from .limits import DEFAULT_LIMITS, Limits, describe_bytes

FIELDS = ("supplier", "part_number", "origin", "valid_from", "valid_to", "document_reference")
LABELS = {
    "supplier": "supplier",
    "part_number": "part number",
    "origin": "origin",
    "valid_from": "valid from",
    "valid_to": "valid to",
    "document_reference": "document reference",
}
# Headings as firms write them, read as the field they mean.
HEADINGS = {
    "supplier": "supplier",
    "supplier_name": "supplier",
    "part_number": "part_number",
    "part": "part_number",
    "part_no": "part_number",
    "supplier_part": "part_number",
    "supplier_part_number": "part_number",
    "origin": "origin",
    "country_of_origin": "origin",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "valid_until": "valid_to",
    "document_reference": "document_reference",
    "document": "document_reference",
    "reference": "document_reference",
}
MAX_TEXT = 200
MAX_DECLARATIONS = 100_000  # one upload: far beyond a firm's supplier base
MAX_FILE_BYTES = 20 * 1024 * 1024
_CALAMINE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$")


def key(text: str | None) -> str:
    """How a supplier or a part number is matched: case and spacing do not matter."""
    return " ".join(str(text or "").split()).casefold()


@dataclass(frozen=True)
class Declaration:
    """One supplier's declaration of the origin of one of its parts, for a period (both days included)."""

    supplier: str
    part_number: str
    origin: str
    valid_from: dt.date
    valid_to: dt.date
    document_reference: str
    line: int | None = None  # the line of the file it was read from

    @property
    def match(self) -> tuple[str, str]:
        return key(self.supplier), key(self.part_number)

    def valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on <= self.valid_to

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier,
            "part_number": self.part_number,
            "origin": self.origin,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "document_reference": self.document_reference,
        }


# -- reading ------------------------------------------------------------------------------------


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _date(text: str) -> dt.date:
    match = _CALAMINE_DATE.match(text)  # a date cell of a spreadsheet, read as text
    return to_date(match.group(1) if match else text)


def _parse_row(
    position: int, line: int | None, row: Mapping[str, Any], registry: PartyRegistry, field_prefix: str | None
) -> tuple[Declaration | None, list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []

    def bad(name: str, message: str, value: Any = None) -> None:
        shown = f" (got {value!r})" if value is not None else ""
        where = {"field": f"{field_prefix}[{position}].{name}"} if field_prefix else {"field": LABELS[name]}
        problems.append(Problem(message + shown, line=line, **where))

    for name in ("supplier", "part_number", "document_reference"):
        text = _cell(row.get(name))
        if text is None:
            bad(name, f"the {LABELS[name]} is missing")
        elif len(text) > MAX_TEXT:
            bad(name, f"the {LABELS[name]} is longer than {MAX_TEXT} characters", text[:40] + "…")
        values[name] = text
    origin = _cell(row.get("origin"))
    if origin is None:
        bad("origin", "the origin is missing (an ISO 3166-1 alpha-2 country code such as PL)")
    elif not (len(origin) == 2 and origin.isascii() and origin.isalpha()) or not is_country_code(
        origin.upper(), registry
    ):
        bad("origin", "the origin must be an ISO 3166-1 alpha-2 country code such as PL", origin)
    else:
        values["origin"] = origin.upper()
    for name in ("valid_from", "valid_to"):
        text = _cell(row.get(name))
        if text is None:
            bad(name, f"the {LABELS[name]} date is missing (write it YYYY-MM-DD)")
            continue
        try:
            values[name] = _date(text)
        except (ValueError, OverflowError):
            bad(name, f"the {LABELS[name]} date must be written YYYY-MM-DD or as 1 March 2026", text)
    if "valid_from" in values and "valid_to" in values and values["valid_to"] < values["valid_from"]:
        bad(
            "valid_to",
            f"the declaration ends before it starts ({values['valid_from'].isoformat()})",
            row.get("valid_to"),
        )
    if problems:
        return None, problems
    return Declaration(line=line, **values), []


def parse_rows(
    rows: Iterable[tuple[int | None, Mapping[str, Any]]],
    *,
    registry: PartyRegistry,
    field_prefix: str | None = None,
) -> list[Declaration]:
    """Validate rows (line, {field: value}); every problem names its line (or position), field and value.

    ``field_prefix``: name problems ``declarations[i].field`` (inline in a case) instead of by line.
    """
    problems: list[Problem] = []
    found: list[Declaration] = []
    for position, (line, row) in enumerate(rows):
        declaration, row_problems = _parse_row(position, line, row, registry, field_prefix)
        problems.extend(row_problems)
        if declaration is not None:
            found.append(declaration)
    problems.extend(conflicts(found, field_prefix=field_prefix))
    if problems:
        raise InputError(problems)
    return found


def conflicts(declarations: Sequence[Declaration], *, field_prefix: str | None = None) -> list[Problem]:
    """Two declarations of one supplier's part whose periods overlap and whose origins differ:
    on the days they share the part would have two origins, so neither can be used."""
    problems: list[Problem] = []
    by_part: dict[tuple[str, str], list[Declaration]] = {}
    for declaration in declarations:
        by_part.setdefault(declaration.match, []).append(declaration)
    for same in by_part.values():
        same = sorted(same, key=lambda d: (d.valid_from, d.valid_to))
        for i, first in enumerate(same):
            for second in same[i + 1 :]:
                if second.valid_from > first.valid_to:
                    break
                if second.origin != first.origin:
                    # name the line of the file; the other one may be a declaration already stored
                    here, there = (second, first) if second.line is not None else (first, second)
                    elsewhere = f"line {there.line}" if there.line is not None else "a declaration already stored"
                    problems.append(
                        Problem(
                            f"{here.supplier}'s part {here.part_number} is declared of origin {here.origin} "
                            f"from {here.valid_from.isoformat()} to {here.valid_to.isoformat()}, while "
                            f"{elsewhere} ({there.document_reference}) gives {there.origin} for days in the "
                            "same period; correct one of them",
                            field="origin" if field_prefix is None else f"{field_prefix}.origin",
                            line=here.line,
                        )
                    )
    return problems


def _map_header(header: Sequence[Any], source: str, line: int) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, heading in enumerate(header):
        name = HEADINGS.get(_normalise_header(heading))
        if name is not None and name not in mapping.values():
            mapping[index] = name
    missing = [LABELS[f] for f in FIELDS if f not in mapping.values()]
    if missing:
        raise InputError(
            f"{source}: the header row (row {line}) lacks the column(s) {', '.join(missing)}; it must name "
            "supplier, part number, origin, valid from, valid to and document reference",
            field="declarations_file",
            line=line,
        )
    return mapping


def _csv_rows(content: bytes, source: str) -> list[tuple[int, dict[str, Any]]]:
    if content.startswith(b"\xef\xbb\xbf"):  # the byte-order mark Excel writes
        content = content[3:]
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8", field="declarations_file"
        ) from None
    try:
        frame = pl.read_csv(
            io.BytesIO(content),
            infer_schema=False,
            has_header=False,
            separator=sniff_separator(content),
            n_rows=MAX_DECLARATIONS + 2,
            truncate_ragged_lines=False,
        )
    except Exception as exc:  # noqa: BLE001 - polars raises several error types for malformed CSV
        first = str(exc).strip().splitlines()
        raise InputError(
            f"{source} is not a readable CSV file ({first[0] if first else type(exc).__name__})",
            field="declarations_file",
        ) from None
    if frame.height == 0:
        raise InputError(f"{source} is empty", field="declarations_file")
    mapping = _map_header(frame.row(0), source, 1)
    # Line numbers assume one line per record (no line breaks inside quoted cells).
    return [
        (number, {name: row[index] for index, name in mapping.items()})
        for number, row in enumerate(frame.slice(1).iter_rows(), start=2)
        if any(_cell(v) is not None for v in row)
    ]


def _xlsx_rows(content: bytes, source: str, limits: Limits) -> list[tuple[int, dict[str, Any]]]:
    from .xlsx import read_first_sheet

    try:
        rows, first_row = read_first_sheet(content, source=source, limits=limits)
    except InputError as exc:
        raise InputError([replace(p, field="declarations_file") for p in exc.problems]) from None
    offset = first_row - 1
    header_index = None
    for index in range(min(HEADER_SEARCH_ROWS, rows.height)):  # title rows above the header
        names = {HEADINGS.get(_normalise_header(v)) for v in rows.row(index)}
        if {"supplier", "part_number", "origin"} <= names:
            header_index = index
            break
    if header_index is None:
        raise InputError(
            f"{source}: no header row in the first {HEADER_SEARCH_ROWS} rows of the first worksheet names "
            "the columns supplier, part number and origin",
            field="declarations_file",
        )
    mapping = _map_header(rows.row(header_index), source, header_index + 1 + offset)
    out = []
    for index in range(header_index + 1, rows.height):
        row = rows.row(index)
        if any(_cell(v) is not None for v in row):  # blank rows between blocks are common
            out.append((index + 1 + offset, {name: row[i] for i, name in mapping.items()}))
    return out


def read_declarations(
    name: str, content: bytes, *, registry: PartyRegistry, limits: Limits = DEFAULT_LIMITS
) -> list[Declaration]:
    """Declarations from an uploaded CSV (delimiter detected, UTF-8) or XLSX (first sheet,
    header below any title rows). Raises ``InputError`` with every bad row: line, field, value."""
    source = Path(name or "the file").name
    suffix = Path(source).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"{source}: a declarations file must be .csv or .xlsx", field="declarations_file")
    if len(content) > MAX_FILE_BYTES:
        raise InputError(
            f"{source} is {describe_bytes(len(content))}, over the {describe_bytes(MAX_FILE_BYTES)} limit",
            field="declarations_file",
        )
    rows = _csv_rows(content, source) if suffix == ".csv" else _xlsx_rows(content, source, limits)
    if not rows:
        raise InputError(f"{source} has a header row but no declarations", field="declarations_file")
    if len(rows) > MAX_DECLARATIONS:
        raise InputError(
            f"{source} has more than {MAX_DECLARATIONS:,} declarations (the limit)", field="declarations_file"
        )
    return parse_rows(rows, registry=registry)


def parse_inline(value: Any, *, registry: PartyRegistry) -> list[Declaration]:
    """``declarations`` given inline in a case (a list of objects with the fields above)."""
    if not isinstance(value, list):
        raise InputError("declarations must be a list of objects", field="declarations")
    rows = []
    problems = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            problems.append(Problem("each declaration must be an object", field=f"declarations[{i}]"))
            item = {}
        for k in item:
            if str(k) not in HEADINGS:
                problems.append(
                    Problem(f"unknown field {str(k)!r}; expected {', '.join(FIELDS)}", field=f"declarations[{i}].{k}")
                )
        rows.append((None, {HEADINGS.get(str(k), str(k)): v for k, v in item.items()}))
    try:
        found = parse_rows(rows, registry=registry, field_prefix="declarations")
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    if problems:
        raise InputError(problems)
    return found


# -- the origin of a BOM line on a date -----------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What the declarations say of one supplier part on the assessment date."""

    supplier: str
    part_number: str
    status: str  # valid | expired | not_yet_valid | missing | no_supplier | conflict
    origin: str | None
    declaration: Declaration | None
    items: tuple[str, ...]  # the first BOM items that use the part
    item_count: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier,
            "part_number": self.part_number,
            "status": self.status,
            "origin": self.origin,
            "document_reference": self.declaration.document_reference if self.declaration else None,
            "valid_from": self.declaration.valid_from.isoformat() if self.declaration else None,
            "valid_to": self.declaration.valid_to.isoformat() if self.declaration else None,
            "items": list(self.items),
            "item_count": self.item_count,
            "more_items": self.item_count - len(self.items),
            "reason": self.reason,
        }


MAX_ITEMS_LISTED = 5


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def resolve_part(supplier: str, part: str, declarations: Sequence[Declaration], on: dt.date) -> tuple:
    """(status, origin, declaration, reason) for one supplier part on ``on``."""
    if not key(supplier):
        return (
            "no_supplier",
            None,
            None,
            (
                f"part {part} names no supplier, so no declaration can give its origin: "
                "its origin is unknown and counted as non-eligible"
            ),
        )
    same = [d for d in declarations if d.match == (key(supplier), key(part))]
    valid = [d for d in same if d.valid_on(on)]
    origins = {d.origin for d in valid}
    if len(origins) > 1:
        return (
            "conflict",
            None,
            None,
            (
                f"{supplier}'s declarations for part {part} give different origins ({', '.join(sorted(origins))}) on "
                f"{_day(on)}: its origin is unknown and counted as non-eligible"
            ),
        )
    if valid:
        chosen = max(valid, key=lambda d: (d.valid_to, d.valid_from))
        return (
            "valid",
            chosen.origin,
            chosen,
            (
                f"{supplier} declares part {part} of origin {chosen.origin} ({chosen.document_reference}, valid "
                f"{_day(chosen.valid_from)} to {_day(chosen.valid_to)})"
            ),
        )
    before = [d for d in same if d.valid_to < on]
    if before:
        last = max(before, key=lambda d: d.valid_to)
        return (
            "expired",
            None,
            last,
            (
                f"{supplier}'s declaration for part {part} ({last.document_reference}) expired on "
                f"{_day(last.valid_to)}, before the assessment date {_day(on)}: its origin is unknown "
                "and counted as non-eligible until a new declaration is given"
            ),
        )
    later = [d for d in same if d.valid_from > on]
    if later:
        first = min(later, key=lambda d: d.valid_from)
        return (
            "not_yet_valid",
            None,
            first,
            (
                f"{supplier}'s declaration for part {part} ({first.document_reference}) is valid only from "
                f"{_day(first.valid_from)}, after the assessment date {_day(on)}: its origin is unknown "
                "and counted as non-eligible"
            ),
        )
    return (
        "missing",
        None,
        None,
        (f"no declaration from {supplier} for part {part}: its origin is unknown and counted as non-eligible"),
    )


def resolve_bom(bom: Bom, declarations: Sequence[Declaration], on: dt.date) -> tuple[Bom, tuple[Resolution, ...]]:
    """The BOM with the origin of each line that references a supplier part and states no origin
    filled from the declaration valid on ``on`` (left empty otherwise), and what was found per part.

    A line that states its origin keeps it: the declaration is for lines that do not. The work per
    line is in polars (filter, join, scatter); Python runs once per distinct supplier part."""
    frame = bom.frame
    if "supplier_part" not in frame.columns or frame["supplier_part"].null_count() == frame.height:
        return bom, ()
    refs = (
        frame.with_row_index("_row")
        .filter(pl.col("supplier_part").is_not_null() & pl.col("origin").is_null())
        .select("_row", "id", pl.col("supplier").fill_null(""), "supplier_part")
    )
    if refs.height == 0:
        return bom, ()
    by_match: dict[tuple[str, str], list[Declaration]] = {}
    for declaration in declarations:
        by_match.setdefault(declaration.match, []).append(declaration)
    # one row per supplier part as written; parts written two ways ("ACME", "Acme ") are one part
    written = refs.group_by(["supplier", "supplier_part"], maintain_order=True).agg(
        pl.col("id").head(MAX_ITEMS_LISTED).alias("_items"), pl.len().alias("_count")
    )
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    origins = []
    for supplier, part, items, count in written.iter_rows():
        match = (key(supplier), key(part))
        if match not in parts:
            parts[match] = {"supplier": supplier, "part": part, "items": [], "count": 0}
            parts[match]["resolved"] = resolve_part(supplier, part, by_match.get(match, ()), on)
        entry = parts[match]
        entry["items"] = (entry["items"] + list(items))[:MAX_ITEMS_LISTED]
        entry["count"] += count
        origins.append(entry["resolved"][1])
    resolved = written.select("supplier", "supplier_part").with_columns(pl.Series("_origin", origins, dtype=pl.String))
    joined = refs.join(resolved, on=["supplier", "supplier_part"], how="left", maintain_order="left")
    filled = pl.Series("origin", [None] * frame.height, dtype=pl.String).scatter(joined["_row"], joined["_origin"])
    new_frame = frame.with_columns(pl.coalesce(pl.col("origin"), filled).alias("origin"))
    notes = [
        Resolution(
            supplier=entry["supplier"],
            part_number=entry["part"],
            status=entry["resolved"][0],
            origin=entry["resolved"][1],
            declaration=entry["resolved"][2],
            items=tuple(entry["items"]),
            item_count=entry["count"],
            reason=entry["resolved"][3],
        )
        for entry in parts.values()
    ]
    # unknown origins first, then by supplier and part: what a firm must chase heads the list
    notes.sort(key=lambda n: (n.origin is not None, key(n.supplier), key(n.part_number)))
    return replace(bom, frame=new_frame), tuple(notes)


def expiring(declarations: Sequence[Declaration], today: dt.date, days: int) -> list[Declaration]:
    """Declarations valid today whose period ends within ``days`` days (soonest first)."""
    end = today + dt.timedelta(days=days)
    return sorted(
        (d for d in declarations if d.valid_from <= today <= d.valid_to <= end),
        key=lambda d: (d.valid_to, key(d.supplier), key(d.part_number)),
    )
