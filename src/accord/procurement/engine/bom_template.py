"""The bill of materials template (XLSX) a firm fills in: the columns the BOM reader accepts,
instructions, a country list and a currency list with dropdowns, and example lines.

The columns are the reader's own (``bom.BOM_COLUMNS``), in its order, so a filled template
always reads back; the example lines (with a sub-assembly used under two parents) are
assessed in the tests through the real reader. The BOM sheet is the first worksheet, the
one the reader reads (``bom.bom_from_xlsx``).
"""

from __future__ import annotations

import datetime as dt
import io

from .bom import BOM_COLUMNS, REQUIRED_COLUMNS
from .countries import PartyRegistry
from .rates import EURO, _converter

BOM_SHEET = "Bill of materials"
MAX_LINES = 10_000  # rows given a dropdown (the reader takes more; Excel copies validations down)
CURRENCY_RECENT_DAYS = 366  # a currency the ECB stopped fixing (CYP, LTL ...) is not offered

# What to write in each column (keyed by the reader's column names; a column without an
# entry here is still in the template, with the reader's name only).
COLUMN_HELP = {
    "id": "The part number. The same part used under two parents is written on two lines with the same id.",
    "parent": "The id of the assembly this part goes into; empty for the end product (one line only).",
    "quantity": "How many of this part go into one unit of the parent.",
    "purchased": "yes: bought from a supplier (its cost and origin count); no: made in-house from its own parts.",
    "unit_cost": "The price of one unit, in the line's currency, for purchased parts. A number, no currency sign.",
    "currency": "ISO 4217 code (EUR, GBP, USD, ...); empty means euros. Converted at the ECB reference rate.",
    "origin": "ISO 3166-1 alpha-2 code of the country where the part is made (see the Countries sheet).",
}
# Example lines: an infantry fighting vehicle whose wiring harness is a sub-assembly shared by
# the turret (once) and the hull (twice).
EXAMPLE_LINES = (
    {"id": "IFV", "parent": None, "quantity": 1, "purchased": "no"},
    {"id": "TURRET", "parent": "IFV", "quantity": 1, "purchased": "no"},
    {"id": "HULL", "parent": "IFV", "quantity": 1, "purchased": "no"},
    {"id": "HARNESS", "parent": "TURRET", "quantity": 1, "purchased": "no"},
    {"id": "HARNESS", "parent": "HULL", "quantity": 2, "purchased": "no"},
    {"id": "CONNECTOR", "parent": "HARNESS", "quantity": 4, "purchased": "yes", "unit_cost": 25, "origin": "US"},
    {
        "id": "CABLE",
        "parent": "HARNESS",
        "quantity": 10,
        "purchased": "yes",
        "unit_cost": 7.5,
        "currency": "EUR",
        "origin": "DE",
    },
    {
        "id": "ARMOUR",
        "parent": "HULL",
        "quantity": 1,
        "purchased": "yes",
        "unit_cost": 12000,
        "currency": "EUR",
        "origin": "PL",
    },
    {
        "id": "SIGHT",
        "parent": "TURRET",
        "quantity": 1,
        "purchased": "yes",
        "unit_cost": 1500,
        "currency": "GBP",
        "origin": "GB",
    },
)


def countries(registry: PartyRegistry) -> list[tuple[str, str]]:
    """(code, name) of every country an origin may name: the states of the parties data and
    every ISO 3166-1 country (the reader accepts both), by name."""
    import pycountry

    found = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    for party in registry.parties():
        if party.kind == "state":
            found[party.code] = party.name
    return sorted(found.items(), key=lambda item: item[1])


def currencies() -> list[tuple[str, str]]:
    """(code, name) of the currencies the ECB fixes a euro reference rate for (recently), the
    euro first."""
    import pycountry

    converter = _converter()
    latest = max(b.last_date for b in converter.bounds.values() if b.last_date)
    recent = sorted(
        code
        for code in converter.currencies
        if code == EURO
        or (
            converter.bounds.get(code)
            and latest - converter.bounds[code].last_date <= dt.timedelta(CURRENCY_RECENT_DAYS)
        )
    )
    recent.sort(key=lambda code: code != EURO)
    names = {}
    for code in recent:
        found = pycountry.currencies.get(alpha_3=code)
        names[code] = found.name if found else code
    return list(names.items())


def bom_template(registry: PartyRegistry) -> bytes:
    """The template workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE8F3")

    sheet = book.active
    sheet.title = BOM_SHEET
    sheet.append(list(BOM_COLUMNS))
    for line in EXAMPLE_LINES:
        sheet.append([line.get(column) for column in BOM_COLUMNS])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, header_fill
    sheet.freeze_panes = "A2"
    for index, column in enumerate(BOM_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14 if column not in ("id", "parent") else 18

    country_rows = countries(registry)
    currency_rows = currencies()
    for title, rows in (("Countries", country_rows), ("Currencies", currency_rows)):
        ws = book.create_sheet(title)
        ws.append(["Code", "Name"])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(list(row))
        ws.column_dimensions["B"].width = 40
        ws.freeze_panes = "A2"

    def dropdown(column: str, formula: str, what: str) -> None:
        letter = sheet.cell(row=1, column=BOM_COLUMNS.index(column) + 1).column_letter
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Not a {what}",
            error=f"Choose a {what} from the list (the {column} column).",
        )
        rule.add(f"{letter}2:{letter}{MAX_LINES + 1}")
        sheet.add_data_validation(rule)

    dropdown("origin", f"Countries!$A$2:$A${len(country_rows) + 1}", "country code")
    dropdown("currency", f"Currencies!$A$2:$A${len(currency_rows) + 1}", "currency code")
    dropdown("purchased", '"yes,no"', "yes or no")

    readme = book.create_sheet("How to fill this in", 1)
    readme.column_dimensions["A"].width = 16
    readme.column_dimensions["B"].width = 100
    intro = (
        "Bill of materials for a SAFE eligibility check (Regulation (EU) 2025/1106, Article 16): "
        "https://eur-lex.europa.eu/eli/reg/2025/1106/oj/eng",
        f"Fill in the first sheet, '{BOM_SHEET}': one line per part and parent. Keep its header row as it is; "
        f"the columns {', '.join(REQUIRED_COLUMNS)} are required. Replace the example lines with your own.",
        "The cost of the components is the cost of purchased parts, rolled up through the quantities. "
        "A part bought whole counts as one: the parts listed under it are not counted again.",
        "Upload the filled workbook on the SAFE assessment page, or check it with: "
        "accord safe check case.json (its bom_file naming this workbook).",
    )
    for text in intro:
        readme.append([None, text])
    readme.append([])
    readme.append(["Column", "What to write"])
    readme.cell(row=readme.max_row, column=1).font = bold
    readme.cell(row=readme.max_row, column=2).font = bold
    for column in BOM_COLUMNS:
        readme.append([column, COLUMN_HELP.get(column, "")])
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
