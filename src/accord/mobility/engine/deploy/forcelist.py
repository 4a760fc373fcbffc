"""The force list: one row per unit (or per vehicle type of a unit), read from CSV, XLSX or JSON.

Columns: ``unit, vehicle, count, personnel, origin, destination, ready, due, priority``
(any order, any case; a title row or two above the header in a workbook is
skipped). A unit with several vehicle types takes one row per type; its
origin, destination, ready, due and priority must then agree. Every problem
is reported at once, by line and column, in plain English; nothing is
dropped or guessed (a date written 01/03/2027 could be month first, so it is
refused, as everywhere in Accord: ``accord.values.to_date``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError, Problem
from accord.values import to_date

from ..network import Network
from ..planner import _unknown_node_message
from ..vehicles import Catalogue, Vehicle

COLUMNS = ("unit", "vehicle", "count", "personnel", "origin", "destination", "ready", "due", "priority")
# Optional: the state a unit belongs to (ISO 3166-1 alpha-2), when it is not the origin's state
# (a merged multinational plan sets it from each national plan's owner).
OPTIONAL = ("state",)
LABELS = {
    "unit": "Unit",
    "vehicle": "Vehicle",
    "count": "Count",
    "personnel": "Personnel",
    "origin": "Origin",
    "destination": "Destination",
    "ready": "Ready",
    "due": "Due",
    "priority": "Priority",
    "state": "State",
}
ALIASES = {
    "vehicles": "vehicle",
    "number": "count",
    "qty": "count",
    "quantity": "count",
    "from": "origin",
    "to": "destination",
    "rdd": "due",
    "required_delivery_date": "due",
    "earliest_departure": "ready",
    "ead": "ready",
    "pax": "personnel",
    "name": "unit",
}
# Priority 1 is the most urgent. Lateness is weighted so that an hour late at priority 1 weighs as much as
# 16 hours at priority 5 (a planning choice, stated in docs/mobility.md, not a rule of law).
PRIORITY_WEIGHTS = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}
MAX_ROWS = 20_000  # input bound, not a rule: a corps' force list is a few thousand rows
MAX_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Row:
    line: int
    unit: str
    vehicle: Vehicle
    count: int
    personnel: int
    origin: str
    destination: str
    ready: dt.date | dt.datetime
    due: dt.date | dt.datetime
    priority: int
    state: str = ""


@dataclass
class Unit:
    name: str
    origin: str
    destination: str
    ready: dt.date | dt.datetime
    due: dt.date | dt.datetime
    priority: int
    line: int
    vehicles: list[tuple[Vehicle, int]] = field(default_factory=list)
    personnel: int = 0
    state: str = ""  # the requesting state: the origin's state, as the planner's default

    @property
    def weight(self) -> int:
        return PRIORITY_WEIGHTS[self.priority]

    @property
    def vehicle_count(self) -> int:
        return sum(n for _, n in self.vehicles)


@dataclass
class ForceList:
    units: list[Unit]
    source: str = "force list"

    @property
    def vehicle_count(self) -> int:
        return sum(u.vehicle_count for u in self.units)

    def as_records(self) -> list[dict[str, Any]]:
        """The force list as JSON records (one per unit and vehicle type), to store or send again."""
        out = []
        for u in self.units:
            for v, n in u.vehicles:
                out.append(
                    {
                        "unit": u.name,
                        "vehicle": v.name,
                        "count": n,
                        "personnel": u.personnel if v is u.vehicles[0][0] else 0,
                        "origin": u.origin,
                        "destination": u.destination,
                        "ready": u.ready.isoformat(),
                        "due": u.due.isoformat(),
                        "priority": u.priority,
                        "state": u.state,
                    }
                )
        return out


# --- reading the file into (line, {column: text}) records -------------------------------------------


def _key(name: Any) -> str:
    key = " ".join(str(name or "").replace("\ufeff", "").strip().lower().replace("-", " ").replace("_", " ").split())
    key = key.replace(" ", "_")
    return ALIASES.get(key, key)


def _records_from_rows(rows: list[tuple[int, list[Any]]], source: str) -> list[tuple[int, dict[str, Any]]]:
    """The header is the first row naming at least ``unit`` and ``vehicle`` (title rows above it are skipped)."""
    header = next(
        (
            i
            for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
            if {"unit", "vehicle"} <= {_key(c) for c in cells}
        ),
        None,
    )
    if header is None:
        raise InputError(
            Problem(
                f"{source}: no header row found in the first {HEADER_SEARCH_ROWS} rows; the header must name the "
                f"columns {', '.join(COLUMNS)}",
                field="force_list",
            )
        )
    position = header
    line, cells = rows[header]
    keys = [_key(c) for c in cells]
    missing = [c for c in COLUMNS if c not in keys]
    problems = [Problem(f"missing column {LABELS[c]!r} in the header row", field=c, line=line) for c in missing]
    seen: dict[str, int] = {}
    for index, k in enumerate(keys):
        if k in COLUMNS + OPTIONAL:
            if k in seen:
                problems.append(Problem(f"column {LABELS[k]!r} appears twice in the header row", field=k, line=line))
            seen.setdefault(k, index)
    if problems:
        raise InputError(problems)
    out = []
    for line_no, cells in rows[position + 1 :]:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # a blank line is not a unit
        out.append((line_no, {k: (cells[i] if i < len(cells) else None) for k, i in seen.items()}))
    if len(out) > MAX_ROWS:
        raise InputError(Problem(f"{source} has more than {MAX_ROWS:,} rows (the limit)", field="force_list"))
    return out


def _csv_rows(content: bytes, source: str) -> list[tuple[int, list[Any]]]:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem(f"{source} is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8", field="force_list")
        ) from None
    text = text.replace("\x00", "")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    # The delimiter of the header: the most frequent of ; , tab and | (a semicolon file from a
    # continental spreadsheet, as the SAFE bill-of-materials reader also accepts).
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    separator = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, cells))
    return rows


def _xlsx_rows(content: bytes, source: str) -> list[tuple[int, list[Any]]]:
    import fastexcel

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        total = sum(i.file_size for i in archive.infolist())
        if total > 50 * MAX_BYTES or any(
            i.compress_size and i.file_size / i.compress_size > 200 for i in archive.infolist()
        ):
            raise InputError(
                Problem(f"{source} would expand beyond reason; it is not a plain workbook", field="force_list")
            )
    except zipfile.BadZipFile:
        raise InputError(Problem(f"{source} is not a readable XLSX workbook", field="force_list")) from None
    try:
        reader = fastexcel.read_excel(content)
        sheet = reader.load_sheet(0, header_row=None, dtypes="string", n_rows=MAX_ROWS + HEADER_SEARCH_ROWS)
        frame = sheet.to_polars()
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for a damaged workbook
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(Problem(f"{source} is not a readable XLSX workbook ({first})", field="force_list")) from None
    # calamine starts the frame at the first row holding a value: find that row number for honest line numbers.
    offset = _first_sheet_row(archive)
    return [(offset + i, list(row)) for i, row in enumerate(frame.iter_rows())]


def _first_sheet_row(archive: zipfile.ZipFile) -> int:
    import re

    names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    if not names:
        return 1
    with archive.open(names[0]) as fh:
        head = fh.read(1 << 20)
    match = re.search(rb'<row[^>]*\br="(\d+)"[^>]*>\s*<c[^>]*>\s*<(?:v|is)', head)
    return int(match.group(1)) if match else 1


def _json_rows(content: bytes, source: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(Problem(f"{source} is not valid JSON ({exc})", field="force_list")) from None
    return records_from_json(data)


def records_from_json(data: Any) -> list[tuple[int, dict[str, Any]]]:
    """JSON: a list of objects, or ``{"units": [...]}``; the 'line' of a record is its position (1-based)."""
    if isinstance(data, dict) and "units" in data:
        data = data["units"]
    if not isinstance(data, list):
        raise InputError(
            Problem("give the force list as a list of units (objects with the columns)", field="force_list")
        )
    out = []
    problems = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(Problem("each unit must be an object with the columns", line=number, field="force_list"))
            continue
        record = {_key(k): v for k, v in item.items()}
        missing = [c for c in COLUMNS if c not in record]
        problems += [Problem(f"{LABELS[c]} is missing", line=number, field=c) for c in missing]
        out.append((number, record))
    if problems:
        raise InputError(problems)
    if len(out) > MAX_ROWS:
        raise InputError(Problem(f"the force list has more than {MAX_ROWS:,} units (the limit)", field="force_list"))
    return out


def read_force_list(content: bytes, name: str, network: Network, catalogue: Catalogue) -> ForceList:
    """A force list from a file's bytes; ``name`` tells the format by its ending (.csv, .xlsx, .json)."""
    source = name or "force list"
    if len(content) > MAX_BYTES:
        raise InputError(Problem(f"{source} is over the {MAX_BYTES // (1024 * 1024)} MB limit", field="force_list"))
    lower = source.lower()
    if lower.endswith(".json") or content.lstrip()[:1] in (b"[", b"{"):
        records = _json_rows(content, source)
    elif lower.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        records = _records_from_rows(_xlsx_rows(content, source), source)
    elif lower.endswith((".csv", ".txt", ".tsv")) or not lower.rsplit(".", 1)[-1:] or "." not in lower:
        records = _records_from_rows(_csv_rows(content, source), source)
    else:
        raise InputError(Problem(f"{source}: give the force list as CSV, XLSX or JSON", field="force_list"))
    return force_list_from_records(records, network, catalogue, source=source)


# --- checking each value -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).replace("\x00", "").split())


def _whole(value: Any, label: str, minimum: int) -> int:
    text = _text(value)
    if text == "":
        raise ValueError(f"{label} is empty")
    if isinstance(value, bool):
        raise ValueError(f"{label} must be a whole number, not {text!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{label} must be a whole number, not {text}")
        number = int(value)
    else:
        cleaned = text
        for suffix in (".0", ",0", ".00", ",00"):  # a whole number a spreadsheet wrote with decimals
            if cleaned.endswith(suffix) and cleaned[: -len(suffix)].lstrip("-").isdigit():
                cleaned = cleaned[: -len(suffix)]
        if not cleaned.lstrip("-").isdigit():
            raise ValueError(f"{label} must be a whole number, not {text[:40]!r}")
        number = int(cleaned)
    if number < minimum:
        raise ValueError(f"{label} must be at least {minimum}, not {number}")
    return number


def _when(value: Any, label: str) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text == "":
        raise ValueError(f"{label} is empty")
    if any(ch.isdigit() for ch in text) and (":" in text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{label} {text[:40]!r} is not a date or a date and time (write 2027-03-01 or 2027-03-01T06:00)"
            ) from None
        # A spreadsheet date cell comes as midnight: it means the day (the convoy day starts at 06:00).
        return moment.date() if moment.time() == dt.time(0, 0) and moment.tzinfo is None else moment
    try:
        return to_date(text)
    except ValueError:
        raise ValueError(
            f"{label} {text[:40]!r} is not a date (write 2027-03-01 or 1 March 2027; 01/03/2027 could be "
            f"read either way, so it is refused)"
        ) from None


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def force_list_from_records(
    records: list[tuple[int, dict[str, Any]]], network: Network, catalogue: Catalogue, *, source: str = "force list"
) -> ForceList:
    problems: list[Problem] = []
    rows: list[Row] = []
    if not records:
        raise InputError(Problem(f"{source} has no units", field="force_list"))
    for line, record in records:
        values: dict[str, Any] = {}
        for column in COLUMNS:
            raw = record.get(column)
            label = LABELS[column]
            try:
                if column == "unit":
                    text = _text(raw)
                    if not text:
                        raise ValueError("Unit is empty: name the unit")
                    if len(text) > 120:
                        raise ValueError("Unit is longer than 120 characters")
                    values[column] = text
                elif column == "vehicle":
                    text = _text(raw)
                    vehicle = catalogue.find(text) if text else None
                    if vehicle is None:
                        if not text:
                            raise ValueError("Vehicle is empty")
                        known = ", ".join(v.name for v in catalogue.vehicles if not v.transporter)
                        raise ValueError(f"Vehicle {text[:60]!r} is not in the vehicle catalogue (known: {known})")
                    values[column] = vehicle
                elif column == "count":
                    values[column] = _whole(raw, label, 1)
                elif column == "personnel":
                    values[column] = _whole(raw, label, 0) if _text(raw) else 0
                elif column in ("origin", "destination"):
                    text = _text(raw)
                    if not text:
                        raise ValueError(f"{label} is empty")
                    node = _node_id(network, text)
                    if node is None:
                        raise ValueError(f"{label}: " + _unknown_node_message(network, text))
                    values[column] = node
                elif column in ("ready", "due"):
                    values[column] = _when(raw, label)
                elif column == "priority":
                    number = _whole(raw, label, 1) if _text(raw) else 3
                    if number not in PRIORITY_WEIGHTS:
                        raise ValueError(f"Priority must be 1 (most urgent) to 5, not {number}")
                    values[column] = number
            except ValueError as exc:
                problems.append(
                    Problem(str(exc), field=column, line=line, item=_text(record.get("unit"))[:120] or None)
                )
        state = _text(record.get("state")).upper()
        if state and state not in network.countries():
            problems.append(
                Problem(
                    f"State {state[:20]!r} is not a state of the network (write its two-letter code, e.g. GB)",
                    field="state",
                    line=line,
                    item=values.get("unit"),
                )
            )
        if {"origin", "destination"} <= values.keys() and values["origin"] == values["destination"]:
            problems.append(
                Problem(
                    "Origin and destination are the same place", field="destination", line=line, item=values.get("unit")
                )
            )
        if {"ready", "due"} <= values.keys() and _day(values["due"]) < _day(values["ready"]):
            problems.append(Problem("Due is before Ready", field="due", line=line, item=values.get("unit")))
        if len(values) == len(COLUMNS):
            rows.append(Row(line=line, **values, state=state))
    units: dict[str, Unit] = {}
    for row in rows:
        unit = units.get(row.unit)
        if unit is None:
            units[row.unit] = Unit(
                row.unit,
                row.origin,
                row.destination,
                row.ready,
                row.due,
                row.priority,
                row.line,
                [(row.vehicle, row.count)],
                row.personnel,
                row.state or network.node(row.origin).country,
            )
            continue
        for column in ("origin", "destination", "ready", "due", "priority", "state"):
            theirs = (row.state or network.node(row.origin).country) if column == "state" else getattr(row, column)
            if getattr(unit, column) != theirs:
                problems.append(
                    Problem(
                        f"{LABELS[column]} differs from line {unit.line} of the same unit ({row.unit!r}); "
                        f"a unit moves from one place, at one time",
                        field=column,
                        line=row.line,
                        item=row.unit,
                    )
                )
                break
        else:
            if any(v is row.vehicle for v, _ in unit.vehicles):
                problems.append(
                    Problem(
                        f"{row.vehicle.name} is listed twice for unit {row.unit!r} (see line {unit.line})",
                        field="vehicle",
                        line=row.line,
                        item=row.unit,
                    )
                )
            else:
                unit.vehicles.append((row.vehicle, row.count))
                unit.personnel += row.personnel
    if problems:
        raise InputError(
            sorted(problems, key=lambda p: (p.line or 0, COLUMNS.index(p.field) if p.field in COLUMNS else 99))
        )
    return ForceList(list(units.values()), source)


def _node_id(network: Network, text: str) -> str | None:
    if text in network.index:
        return text
    lowered = text.lower()
    for node in network.nodes:
        if node.id == lowered or node.name.lower() == lowered:
            return node.id
    return None
