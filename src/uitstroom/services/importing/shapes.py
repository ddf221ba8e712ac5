"""What an import hands around: the table read from a file, the preview, the errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from uitstroom.domain.importing import (
    ImportField,
    ImportProblem,
    summary_text,
)
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError

ProgressFn = Callable[[int, int], bool]

MAX_ROWS = 100_000
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_REPORTED = 20  # formula cells or crooked rows named one by one; the rest are counted
# A workbook unpacks to far more than its size on disk, but a pupil export never to this much;
# a 'zip bomb' of a few kilobytes would otherwise fill the memory.
MAX_UNPACKED_PART = 256 * 1024 * 1024
MAX_UNPACKED_TOTAL = 512 * 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576
# A sheet's size, checked while its XML streams by and before openpyxl builds a single row:
# one row of a million cells took 44 s and a gigabyte. A pupil export has a few dozen columns.
MAX_COLUMNS = 500  # the rightmost cell with a value
MAX_CELLS = 2_000_000  # every position openpyxl would hand over, gaps in a row included
EXCEL_MAX_COLUMNS = 16_384
HEAD_BYTES = 128 * 1024
CHUNK = 1024 * 1024
TICK_EVERY = 500
WRITE_BATCH = 2_000

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
DELIMITERS = {";": "puntkomma's", ",": "komma's", "\t": "tabs"}

EXPORT_AGAIN = (
    "Exporteer de leerlingen opnieuw uit de leerlingadministratie als CSV-bestand (.csv) of "
    "Excel-werkmap (.xlsx) en kies dat bestand."
)
FIX_ERRORS = (
    "Verbeter de formule in Excel of maak de cel leeg, sla het bestand op en probeer het opnieuw."
)
VALUES_ONLY = (
    "Sla het bestand in Excel op met alleen waarden (Kopiëren, Plakken speciaal, Waarden) en "
    "probeer het opnieuw."
)


class ImportFileError(ServiceError):
    """The file cannot be imported. str() says what to do; `problems` names rows and cells."""

    def __init__(self, message: str, problems: Sequence[ImportProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class ImportCancelled(ServiceError):
    def __init__(self) -> None:
        super().__init__("De import is afgebroken. Er is niets geïmporteerd.")


@dataclass(frozen=True)
class ImportTable:
    """The file as text: one tuple of cells per row below the header, empty rows included so
    that row numbers stay those of the file."""

    source: Path
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    description: str
    header_row: int = 1  # the header's row number; a title line above it pushes it down

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index


@dataclass(frozen=True)
class FieldChange:
    field: ImportField
    old: str
    new: str


@dataclass(frozen=True)
class PupilChange:
    """One pupil of the file. `changes` compares with the database, so a new pupil has none.
    For `kept`, `old` is the coordinator's value that stays and `new` what the file says."""

    leerlingnummer: str
    name: str
    kind: str  # 'nieuw' | 'gewijzigd' | 'ongewijzigd'
    changes: tuple[FieldChange, ...]
    kept: tuple[FieldChange, ...]
    moved_from: str = ""  # the cohort the pupil leaves, when the import moves them


@dataclass(frozen=True)
class ImportPreview:
    table: ImportTable
    mapping: dict[ImportField, int]
    cohort_label: str
    problems: tuple[ImportProblem, ...]
    changes: tuple[PupilChange, ...]
    # "Naam (leerlingnummer)" of the cohort's pupils that are not in the file; they stay,
    # unless apply() is asked to archive them.
    missing: tuple[str, ...]
    # Their ids, in the same order.
    missing_ids: tuple[int, ...] = ()
    # The checked rows, so that apply() need not check every cell again on the same day.
    checked: tuple[CheckedRow, ...] = field(default=(), repr=False, compare=False)
    checked_on: date | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_count(self) -> int:
        return sum(1 for c in self.changes if c.kind == NEW)

    @property
    def changed_count(self) -> int:
        return sum(1 for c in self.changes if c.kind == CHANGED)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for c in self.changes if c.kind == UNCHANGED)

    @property
    def summary(self) -> str:
        return self.summary_with(archive_missing=False)

    def summary_with(self, archive_missing: bool) -> str:
        return summary_text(
            self.new_count,
            self.changed_count,
            self.unchanged_count,
            len(self.missing),
            archive_missing,
        )


NEW, CHANGED, UNCHANGED = "nieuw", "gewijzigd", "ongewijzigd"
CheckedRow = tuple[int, dict[ImportField, str]]  # row number, stored value per mapped field


class Ticker:
    """Reports progress and turns the user's "Annuleren" into ImportCancelled."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self._progress = progress
        self.total = 0
        self._offset = 0

    def phase(self, offset: int, total: int) -> None:
        self._offset, self.total = offset, total

    def __call__(self, done: int) -> None:
        if self._progress is not None and not self._progress(
            min(self._offset + done, self.total), self.total
        ):
            raise ImportCancelled()

    def finish(self) -> None:
        if self._progress is not None and not self._progress(self.total, self.total):
            raise ImportCancelled()


def check_row_count(path: Path, rows: int) -> None:
    # One extra row for the header, a few for title lines above it.
    if rows > MAX_ROWS + 10:
        raise too_many_rows(path)


def too_many_rows(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} heeft meer dan {MAX_ROWS:,} rijen".replace(",", ".")
        + ". Zoveel leerlingen kan Uitstroom niet in één keer importeren. Exporteer alleen "
        "de leerlingen van het laatste jaar, of verdeel het bestand over meer bestanden."
    )


def not_a_table(path: Path) -> ImportFileError:
    return ImportFileError(
        f"Dit bestand is geen CSV- of Excel-bestand, ook al heet het {path.name}. {EXPORT_AGAIN}"
    )


def refused_message(count: int) -> str:
    what = counted(count, "probleem", "problemen")
    return (
        f"Er is niets geïmporteerd: het bestand heeft {what}. Verbeter het bestand en probeer "
        "het opnieuw."
    )
