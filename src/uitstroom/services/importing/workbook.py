"""Reading an Excel workbook (.xlsx) safely: the sheet's size is checked while its XML streams by."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.parsers import expat

from uitstroom.domain.importing import (
    ImportProblem,
    column_letter,
)
from uitstroom.services.importing.shapes import (
    CHUNK,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    EXPORT_AGAIN,
    FIX_ERRORS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_REPORTED,
    MAX_UNPACKED_PART,
    MAX_UNPACKED_TOTAL,
    TICK_EVERY,
    VALUES_ONLY,
    ZIP_MAGIC,
    ImportCancelled,
    ImportFileError,
    Ticker,
    check_row_count,
    not_a_table,
)


def _too_big_sheet(path: Path, what: str) -> ImportFileError:
    return ImportFileError(
        f"Het werkblad in {path.name} is te groot voor een lijst met leerlingen: {what}. "
        "Misschien staat er iets anders in dan de leerlingen, of is het bestand beschadigd. "
        "Kopieer alleen de kolommen met leerlinggegevens naar een nieuw werkblad, of "
        + EXPORT_AGAIN[0].lower()
        + EXPORT_AGAIN[1:]
    )


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + (ord(char.upper()) - 64)
    return index


def _check_sheet_size(path: Path, member: str) -> None:
    """Rows, columns and cells of one sheet, counted while its XML streams by (expat, no tree):
    a sheet over the limits is refused at the first cell too many, before openpyxl reads a
    row of it."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
    row_tag, cell_tag = main + "row", main + "c"
    value_tags = {main + "v", main + "is", main + "f"}
    where = {"row": 0, "column": 0, "row_width": 0, "cells": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == cell_tag:
            ref = attributes.get("r")
            column = _column_index(ref) if ref else where["column"] + 1
            where["column"] = column
            if column > EXCEL_MAX_COLUMNS:
                raise _too_big_sheet(path, f"rij {where['row']} heeft meer dan 16.384 cellen")
            if column > where["row_width"]:
                # openpyxl hands over every position up to the last cell, gaps included.
                where["cells"] += column - where["row_width"]
                where["row_width"] = column
                if where["cells"] > MAX_CELLS:
                    raise _too_big_sheet(path, f"meer dan {MAX_CELLS:,} cellen".replace(",", "."))
        elif name in value_tags:
            if where["column"] > MAX_COLUMNS:
                raise _too_big_sheet(
                    path, f"rij {where['row']} heeft meer dan {MAX_COLUMNS} kolommen"
                )
            check_row_count(path, where["row"])
        elif name == row_tag:
            number = attributes.get("r", "")
            where["row"] = int(number) if number.isdigit() else where["row"] + 1
            if where["row"] > EXCEL_MAX_ROWS:  # no Excel has more: a damaged file
                raise _damaged(path)
            where["column"] = where["row_width"] = 0

    def no_entities(*_args: object) -> None:
        raise ValueError("entities in a sheet")  # an 'XML bomb': refused as damaged

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = no_entities
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except ImportFileError:
        raise
    except Exception as exc:  # a broken or hostile XML: openpyxl would not read it either
        raise _damaged(path) from exc


def read_xlsx(path: Path, tick: Ticker) -> tuple[list[list[str]], str]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        # A zip that stops halfway (a copy that broke off) is damaged; anything else is no zip.
        raise (_damaged(path) if _starts_as_zip(path) else not_a_table(path)) from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise ImportFileError(
            f"{path.name} is geen Excel-werkmap, maar een zip-bestand met iets anders erin. "
            f"{EXPORT_AGAIN}"
        )
    # The sizes in the zip's directory are the most its parts can unpack to: Python's zipfile
    # stops at them and then fails on the checksum.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_TOTAL or max(part.file_size for part in parts) > MAX_UNPACKED_PART:
        raise ImportFileError(
            f"{path.name} is uitgepakt veel te groot ({unpacked // (1024 * 1024)} MB) voor een "
            "lijst met leerlingen. Misschien is het bestand beschadigd, of is het geen export. "
            f"{EXPORT_AGAIN}"
        )
    # Before openpyxl opens the workbook: it already walks a sheet without a size in it.
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            _check_sheet_size(path, part.filename)
    try:
        # data_only=False: a formula cell shows as a formula, so it can be refused below.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise _damaged(path) from exc
    try:
        candidates = [workbook.active, *workbook.worksheets]
        sheets = list(dict.fromkeys(s for s in candidates if hasattr(s, "iter_rows")))
        visible = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
        for sheet in visible:
            grid = _read_sheet(path, sheet, tick)
            if grid:
                return grid, f"Excel-werkmap, werkblad '{sheet.title}'"
        # Pupils the coordinator cannot see in Excel are not imported behind their back.
        for sheet in sheets:
            if sheet not in visible and _read_sheet(path, sheet, tick):
                raise ImportFileError(
                    f"De leerlingen in {path.name} staan op een verborgen werkblad "
                    f"('{sheet.title}'). Maak dat werkblad in Excel zichtbaar (rechtsklikken op "
                    "een tab, Zichtbaar maken) of kopieer de leerlingen naar een zichtbaar "
                    "werkblad, sla het bestand op en probeer het opnieuw."
                )
        return [], "Excel-werkmap"
    finally:
        workbook.close()


def _starts_as_zip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(4) == ZIP_MAGIC


def _damaged(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} kan niet worden gelezen; het bestand is misschien beschadigd. Open het in "
        "Excel, sla het opnieuw op als Excel-werkmap (.xlsx) en probeer het nog eens."
    )


def _read_sheet(path: Path, sheet: Any, tick: Ticker) -> list[list[str]]:
    tick.phase(0, sheet.max_row or 0)
    # Some programs write a wrong size into the file; without it every row is read.
    sheet.reset_dimensions()
    grid: list[list[str]] = []
    empty_run = 0
    formulas: list[ImportProblem] = []
    formula_count = 0
    errors: list[ImportProblem] = []
    error_count = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > EXCEL_MAX_ROWS:  # no Excel has more; reading on would take minutes
                raise _damaged(path)
            values: list[str] = []
            for cell in cells:
                if cell.data_type == "f":
                    formula_count += 1
                    if len(formulas) < MAX_REPORTED:
                        formulas.append(formula_problem(number, len(values)))
                elif cell.data_type == "e":
                    # '#N/B' left by a formula pasted as values: no name, no date.
                    error_count += 1
                    if len(errors) < MAX_REPORTED:
                        errors.append(_error_problem(number, len(values), str(cell.value)))
                values.append(_cell_text(cell.value))
            # Excel keeps formatted but empty rows at the end; only rows up to the last one
            # with a value count.
            if any(values):
                grid.extend([] for _ in range(empty_run))
                empty_run = 0
                grid.append(values)
                check_row_count(path, len(grid))
            else:
                empty_run += 1
            if number % TICK_EVERY == 0:
                tick(number)
    except (ImportFileError, ImportCancelled):
        raise
    except Exception as exc:  # a damaged sheet fails part-way in openpyxl's parser
        raise _damaged(path) from exc
    if formulas:
        raise ImportFileError(formula_message(formulas, formula_count), formulas)
    if errors:
        raise ImportFileError(_error_message(errors, error_count), errors)
    return grid


def _error_problem(row: int, column: int, value: str) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        f"Cel {column_letter(column)}{row} bevat de foutwaarde {value} in plaats van een gegeven. "
        f"{FIX_ERRORS}",
    )


def _error_message(errors: list[ImportProblem], count: int) -> str:
    if count == 1:
        return errors[0].message
    cells = [p.message.split(" ")[1] for p in errors[:5]]
    more = count - len(cells)
    named = ", ".join(cells) + (f" en nog {more} andere" if more else "")
    return f"{count} cellen bevatten een foutwaarde (zoals #N/B): {named}. {FIX_ERRORS}"


def formula_problem(row: int, column: int) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        f"Cel {column_letter(column)}{row} bevat een formule. {VALUES_ONLY}",
    )


def formula_message(formulas: list[ImportProblem], count: int) -> str:
    if count == 1:
        return formulas[0].message
    cells = [p.message.split(" ")[1] for p in formulas[:5]]
    more = count - len(cells)
    named = ", ".join(cells) + (f" en nog {more} andere" if more else "")
    return f"{count} cellen bevatten een formule: {named}. {VALUES_ONLY}"


_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Excel writes characters XML cannot hold as _x0007_; read back, they are what they are.
        return _XML_ESCAPE.sub(_unescape, value) if "_x" in value else value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
