"""Export files as pupil administrations write them, generated in tmp_path: fictional pupils."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

HEADERS = (
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Klas",
    "Mentor",
    "Woonplaats",
    "Naam ouder 1",
    "Telefoon ouder 1",
)

ROEPNAMEN = ("Sanne", "Daan", "Noa", "Aylin", "Bram", "Zoë", "Joël", "Chloë", "François", "Ömer")
ACHTERNAMEN = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van der", "Meer"),
    ("", "Çelik"),
    ("", "Yılmaz"),
    ("El", "Amrani"),
    ("", "Dijkstra"),
)

Cell = str | int | float | date | datetime | None


def pupil_rows(count: int, first: int = 300001) -> list[list[Cell]]:
    """Rows in HEADERS order; dates as dd-mm-jjjj text, as a CSV export writes them."""
    rows: list[list[Cell]] = []
    for n in range(count):
        tussenvoegsel, achternaam = ACHTERNAMEN[n % len(ACHTERNAMEN)]
        rows.append(
            [
                str(first + n),
                ROEPNAMEN[n % len(ROEPNAMEN)],
                tussenvoegsel,
                achternaam,
                f"{1 + n % 28:02d}-{1 + n % 12:02d}-2009",
                f"PRO4{'ABCD'[n % 4]}",
                "mw. A. Kramer" if n % 2 else "dhr. P. Lindeman",
                "Utrecht",
                f"ouder van {ROEPNAMEN[n % len(ROEPNAMEN)]}",
                f"06 {20000000 + n}",
            ]
        )
    return rows


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    headers: Sequence[str] | None = HEADERS,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        if headers is not None:
            writer.writerow(headers)
        writer.writerows([["" if cell is None else str(cell) for cell in row] for row in rows])
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    headers: Sequence[str] | None = HEADERS,
    title: str = "Leerlingen",
) -> Path:
    """A workbook as Excel saves it; a cell text starting with '=' becomes a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
