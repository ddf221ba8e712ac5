"""Export the cohort to XLSX or CSV, with the same headers the import reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.model import Pupil
from uitstroom.domain.plural import counted
from uitstroom.services.access import require_coordinator
from uitstroom.services.audit import record
from uitstroom.services.errors import ServiceError
from uitstroom.services.files import atomic_output
from uitstroom.services.pupils import PupilService

# Special-category data (ondersteuningsbehoefte) is left out on purpose: an export travels.
COLUMNS: tuple[tuple[str, Callable[[Pupil], object]], ...] = (
    ("Leerlingnummer", lambda p: p.leerlingnummer),
    ("Roepnaam", lambda p: p.roepnaam),
    ("Tussenvoegsel", lambda p: p.tussenvoegsel),
    ("Achternaam", lambda p: p.achternaam),
    ("Geboortedatum", lambda p: p.geboortedatum),
    ("Klas", lambda p: p.klas),
    ("Mentor", lambda p: p.mentor),
    ("Woonplaats", lambda p: p.woongemeente),
    ("Telefoon", lambda p: p.telefoon),
    ("E-mail", lambda p: p.email),
    ("Uitstroomprofiel", lambda p: p.uitstroomprofiel.label if p.uitstroomprofiel else ""),
    ("Opleiding", lambda p: p.mbo_opleiding),
    ("Route", lambda p: p.route.route.label),
    ("Cohort", lambda p: p.cohort_label),
    ("Gearchiveerd", lambda p: "ja" if p.archived else "nee"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ServiceError):
    pass


def export_pupils(
    sessions: sessionmaker[Session],
    path: Path,
    actor: str | None = None,
    user: Actor | None = None,
) -> int:
    """Write every pupil to `path` (.xlsx or .csv); returns how many. Atomic: all or nothing.
    Logged in the audit trail; `actor` None means the coordinator named in the settings.
    `user`: who is working (domain.actor); a list of every pupil is the coordinator's."""
    require_coordinator(user)
    actor = user.name if user is not None else actor
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(
            f"{path.name}: kies een bestandsnaam die eindigt op .xlsx (Excel) of .csv."
        )
    pupils = PupilService(sessions).pupils()
    rows = [[value(p) for _, value in COLUMNS] for p in pupils]
    headers = [header for header, _ in COLUMNS]
    with atomic_output(path) as stream:
        if suffix == ".xlsx":
            _write_xlsx(stream, headers, rows)
        else:
            _write_csv(stream, headers, rows)
        # Logged before the file takes its place: an export is never made without its line.
        record(
            sessions,
            actor,
            AuditAction.EXPORTED,
            f"bestand: {path.name}, {counted(len(rows), 'leerling', 'leerlingen')} (zonder ondersteuningsbehoefte)",
        )
    return len(rows)


def _write_xlsx(
    stream: IO[bytes], headers: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet("Leerlingen")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(stream)


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    if value is None:
        return ""
    text = str(value)
    # Text that starts like a formula must stay text: openpyxl would store it as a formula.
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text


def _write_csv(stream: IO[bytes], headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    # Semicolons and a BOM: what Excel with Dutch settings opens correctly with a double-click.
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    stream.write(text.getvalue().encode("utf-8-sig"))


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    text = str(value)
    # A leading quote stops spreadsheets from running a cell as a formula (CSV injection).
    return f"'{text}" if text.startswith(_FORMULA_START) else text
