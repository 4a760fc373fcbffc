"""Reading an uploaded XLSX workbook safely, with calamine (fastexcel).

An XLSX file is a zip of XML parts. Before anything is decompressed the zip's
directory is checked: the members' declared sizes, their total, and each
member's compression ratio (a zip bomb packs gigabytes into a megabyte, a
ratio in the thousands; real worksheets compress about 5 to 20 times). The
XML parts must not declare a document type (``<!DOCTYPE``, where entity bombs
live). Only then does calamine read the first worksheet, every cell as text
(``1`` for a whole number, ``344.62`` as written), with row numbers kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import polars as pl

from accord.errors import InputError

from .limits import DEFAULT_LIMITS, MEGABYTE, Limits, describe_bytes

MAX_COMPRESSION_RATIO = 200  # real worksheets: 5-20; shared strings of one repeated word: under 100
MAX_UNCOMPRESSED_BYTES = 2048 * MEGABYTE
MAX_MEMBERS = 10_000
XML_HEAD_BYTES = 4096  # a DOCTYPE must come before the root element
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


def _problem(source: str, why: str) -> InputError:
    return InputError(f"{source} is not a readable XLSX workbook ({why})", field="bom_file")


def check_zip(content: bytes, *, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file that is not a workbook, or that would expand beyond reason, before reading it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _problem(source, "it is not a zip archive; save it from your spreadsheet as .xlsx") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _problem(source, f"it holds {len(members):,} parts")
        names = {m.filename for m in members}
        missing = [name for name in REQUIRED_MEMBERS if name not in names]
        if missing:
            raise _problem(source, f"the part {missing[0]} is missing")
        limit = min(MAX_UNCOMPRESSED_BYTES, max(limits.max_bom_file_bytes, MEGABYTE) * MAX_COMPRESSION_RATIO)
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > MEGABYTE and ratio > MAX_COMPRESSION_RATIO:
                raise _problem(source, f"the part {member.filename} expands {ratio:,.0f} times, like a zip bomb")
            if total > limit:
                raise _problem(source, f"its parts expand to more than {describe_bytes(limit)}")
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(member) as part:
                    head = part.read(XML_HEAD_BYTES)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                raise _problem(source, f"the part {member.filename} cannot be read: {exc}") from None
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise _problem(
                    source,
                    f"the part {member.filename} declares a document type or entities, which a workbook never needs",
                )


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")
_FIRST_VALUE = re.compile(rb'<c r="[A-Z]+(\d+)"[^>]*?(?<!/)>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<(?:v|is)\b')
HEAD_FOR_FIRST_ROW = 1 << 20


_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_TYPE = re.compile(rb'\bt="([^"]*)"')


def _sheet_head(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = archive.read("xl/workbook.xml")
        sheet = _SHEET.search(workbook)
        target = "xl/worksheets/sheet1.xml"
        if sheet is not None and "xl/_rels/workbook.xml.rels" in archive.namelist():
            for rel in _REL.findall(archive.read("xl/_rels/workbook.xml.rels")):
                if b'Id="' + sheet.group(1) + b'"' in rel:
                    found = re.search(rb'Target="([^"]+)"', rel)
                    if found:
                        path = found.group(1).decode()
                        target = path.lstrip("/") if path.startswith("/") else "xl/" + path
        with archive.open(target) as part:
            return part.read(HEAD_FOR_FIRST_ROW)


def header_row_guess(content: bytes, search_rows: int = 30) -> int | None:
    """The sheet row that looks like a header: the first of the first rows with at least three
    cells, all of them text. Only a guess, to read the sheet once with typed cells; the caller
    checks the headings it then gets, and reads every cell as text when they are not right."""
    try:
        head = _sheet_head(content)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    for count, row in enumerate(_ROW.finditer(head)):
        if count >= search_rows:
            return None
        types = []
        for cell in _CELL.finditer(row.group(2) or b""):
            if cell.group(2):  # a cell with a value
                kind = _TYPE.search(cell.group(1))
                types.append(kind.group(1) if kind else b"n")
        if len(types) >= 3 and all(t in (b"s", b"inlineStr", b"str") for t in types):
            return int(row.group(1))
    return None


def load_typed(content: bytes, header_index: int, *, source: str, limits: Limits) -> pl.DataFrame:
    """The first sheet read once, typed, with row ``header_index`` (0 = the first row calamine
    keeps) as the header."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(content)
        return reader.load_sheet(0, header_row=header_index, n_rows=limits.max_bom_items + 1 + 1000).to_polars()
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        text = str(exc).strip().splitlines()
        raise _problem(source, text[0] if text else type(exc).__name__) from None


def first_row_number(content: bytes) -> int:
    """The sheet row of the first cell with a value in the first worksheet (calamine's frame
    starts there, not at row 1, when rows above it are empty); 1 when it cannot be told."""
    try:
        head = _sheet_head(content)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return 1
    match = _FIRST_VALUE.search(head)
    return int(match.group(1)) if match else 1


def read_first_sheet(content: Any, *, source: str, limits: Limits = DEFAULT_LIMITS) -> tuple[pl.DataFrame, int]:
    """Every cell of the first worksheet as text, and the sheet row of the frame's first row."""
    import fastexcel

    if isinstance(content, (str, Path)):
        content = Path(content).read_bytes()
    elif hasattr(content, "read"):
        content = content.read()
    check_zip(content, source=source, limits=limits)
    try:
        reader = fastexcel.read_excel(content)
        if not reader.sheet_names:
            raise _problem(source, "it has no worksheet")
        sheet = reader.load_sheet(0, header_row=None, dtypes="string", n_rows=limits.max_bom_items + 1 + 1000)
        frame = sheet.to_polars()
    except InputError:
        raise
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:  # malformed XML, a missing sheet ...
        text = str(exc).strip().splitlines()
        raise _problem(source, text[0] if text else type(exc).__name__) from None
    if frame.height == 0:
        raise InputError(f"{source}: the first worksheet is empty", field="bom_file")
    return frame, first_row_number(content)
