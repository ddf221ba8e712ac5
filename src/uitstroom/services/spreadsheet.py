"""The one way Uitstroom writes a spreadsheet (every export and report): text stays text.

A name, an opleiding or a reason typed by a user can start with "=", "+", "-" or "@"; a
spreadsheet that reads it as a formula runs it (=HYPERLINK(...) sends data elsewhere with one
click). In an XLSX every text cell is stored as a string cell, so nothing typed is ever a
formula; a CSV has no cell types, so a leading "= + - @", tab or carriage return gets a quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from uitstroom.domain.workbooks import Sheet as Sheet  # the layout is the domain's

if TYPE_CHECKING:  # openpyxl (and Pillow behind it) loads when a sheet is written, not at start
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD-MM-YYYY"


def write_xlsx(stream: IO[bytes], sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        page: WriteOnlyWorksheet = workbook.create_sheet(sheet.title)
        for letter, width in sheet.widths.items():
            page.column_dimensions[letter].width = width
        for number, row in enumerate(sheet.rows, start=1):
            page.append([_xlsx_cell(page, value, number <= sheet.bold_rows) for value in row])
    workbook.save(stream)


def _xlsx_cell(page: WriteOnlyWorksheet, value: object, bold: bool) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if value is None:
        value = ""
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if isinstance(value, date | int | float):
        cell = WriteOnlyCell(page, value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    else:
        cell = WriteOnlyCell(page, str(value))
        # openpyxl stores a text starting with "=" as a formula; a string cell never runs.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_csv(stream: IO[bytes], rows: Sequence[Sequence[object]]) -> None:
    """Semicolons and a BOM: what Excel with Dutch settings opens correctly with a double-click."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    stream.write(text.getvalue().encode("utf-8-sig"))


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    text = str(value)
    # A leading quote stops spreadsheets from running a cell as a formula (CSV injection).
    return f"'{text}" if text.startswith(FORMULA_START) else text
