"""A deployment plan as CSV (one table) or XLSX (one sheet per table), with readable headings."""

from __future__ import annotations

import csv
import io
from typing import Any

TABLES: dict[str, list[tuple[str, str]]] = {
    "units": [
        ("unit", "Unit"),
        ("state", "State"),
        ("vehicles", "Vehicles"),
        ("priority", "Priority"),
        ("ready", "Ready"),
        ("arrival", "Arrival"),
        ("due", "Due"),
        ("late_hours", "Hours late"),
        ("binding", "What held it back"),
    ],
    "schedule": [
        ("unit", "Unit"),
        ("column", "Column, sailing or train"),
        ("mode", "Mode"),
        ("asset", "Carried by"),
        ("vehicle", "Vehicle"),
        ("vehicles", "Vehicles"),
        ("from", "From"),
        ("to", "To"),
        ("edge", "Edge"),
        ("edge_name", "Route"),
        ("start", "Start (local)"),
        ("end", "End (local)"),
        ("clear", "Road clear (local)"),
    ],
    "lifts": [
        ("id", "Sailing or train"),
        ("asset", "Ship or train"),
        ("from", "From"),
        ("to", "To"),
        ("depart", "Departs (local)"),
        ("arrive", "Arrives (local)"),
        ("used", "Used"),
        ("capacity", "Capacity"),
        ("unit_of_capacity", "Counted in"),
        ("columns", "Columns"),
    ],
    "node_load": [
        ("node_name", "Place"),
        ("country", "State"),
        ("date", "Date"),
        ("kind", "What"),
        ("used", "Used"),
        ("capacity", "Capacity a day"),
    ],
    "permissions": [
        ("state", "State asked"),
        ("requesting_state", "Requesting state"),
        ("units", "Units"),
        ("columns", "Columns"),
        ("vehicles", "Vehicles"),
        ("first_entry", "First entry (local)"),
        ("last_exit", "Last exit (local)"),
        ("latest_submission", "Request by"),
    ],
}
SHEET_TITLES = {
    "units": "Units",
    "schedule": "Schedule",
    "lifts": "Sailings and trains",
    "node_load": "Node load",
    "permissions": "Permissions",
}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in "=+-@":  # a formula-looking text stays text in a spreadsheet
        return "'" + value
    return value


def to_csv(data: dict, table: str = "schedule") -> bytes:
    columns = TABLES[table]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in columns])
    for row in data.get(table, []):
        writer.writerow([_cell(row.get(key)) for key, _ in columns])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, columns in TABLES.items():
        sheet = book.create_sheet(SHEET_TITLES[table])
        sheet.append([label for _, label in columns])
        for row in data.get(table, []):
            sheet.append([_cell(row.get(key)) for key, _ in columns])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
