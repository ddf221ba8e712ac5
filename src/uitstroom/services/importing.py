"""Import the cohort from a CSV or XLSX export of the pupil administration.

Three steps, each usable on its own: `read` turns a file into a table of text, `preview`
checks every cell and compares the file with the database, `apply` writes it all in one
transaction, or nothing. A re-import overwrites a field only while it still holds what the last
import wrote: what the coordinator changed by hand stays.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, cast
from xml.parsers import expat

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import JaNeeOnbekend, Route, TimelineKind
from uitstroom.domain.importing import (
    GUARDIAN_FIELDS,
    PUPIL_FIELDS,
    ImportField,
    ImportProblem,
    RowChecker,
    column_letter,
    display_value,
    duplicate_problems,
    find_header_row,
    header_name,
    leerlingnummer_key,
    mapping_problems,
    summary_text,
)
from uitstroom.domain.names import full_name, sort_name
from uitstroom.domain.plural import counted
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.access import author_of, require_coordinator
from uitstroom.services.audit import append
from uitstroom.services.errors import ConflictError, ServiceError
from uitstroom.services.planning import plan_new_pupils
from uitstroom.services.pupils import FIELD_LABELS, ensure_cohort
from uitstroom.storage.models import (
    CohortRow,
    GuardianRow,
    PupilRow,
    RouteRow,
    TimelineEntryRow,
)

ProgressFn = Callable[[int, int], bool]

MAX_ROWS = 100_000
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_REPORTED = 20  # formula cells or crooked rows named one by one; the rest are counted
# A workbook unpacks to far more than its size on disk, but a pupil export never to this much;
# a 'zip bomb' of a few kilobytes would otherwise fill the memory.
MAX_UNPACKED_PART = 256 * 1024 * 1024
MAX_UNPACKED_TOTAL = 512 * 1024 * 1024
_EXCEL_MAX_ROWS = 1_048_576
# A sheet's size, checked while its XML streams by and before openpyxl builds a single row:
# one row of a million cells took 44 s and a gigabyte. A pupil export has a few dozen columns.
MAX_COLUMNS = 500  # the rightmost cell with a value
MAX_CELLS = 2_000_000  # every position openpyxl would hand over, gaps in a row included
_EXCEL_MAX_COLUMNS = 16_384
_HEAD_BYTES = 128 * 1024
_CHUNK = 1024 * 1024
_TICK_EVERY = 500
_WRITE_BATCH = 2_000

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
_DELIMITERS = {";": "puntkomma's", ",": "komma's", "\t": "tabs"}

_EXPORT_AGAIN = (
    "Exporteer de leerlingen opnieuw uit de leerlingadministratie als CSV-bestand (.csv) of "
    "Excel-werkmap (.xlsx) en kies dat bestand."
)
_FIX_ERRORS = (
    "Verbeter de formule in Excel of maak de cel leeg, sla het bestand op en probeer het opnieuw."
)
_VALUES_ONLY = (
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
    checked: tuple[_CheckedRow, ...] = field(default=(), repr=False, compare=False)
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
_CheckedRow = tuple[int, dict[ImportField, str]]  # row number, stored value per mapped field


class ImportService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime] = datetime.now,
        before_write: Callable[[], object] | None = None,
        actor: Actor | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # The backup before an import (services.backups.backup_before); it raises to stop it.
        self._before_write = before_write
        # Importing changes the whole cohort: the coordinator's work (domain.actor).
        self._actor = actor

    # --- reading -------------------------------------------------------------------------
    def read(self, path: Path, progress: ProgressFn | None = None) -> ImportTable:
        """The file as a table of text. Raises ImportFileError with what to do."""
        path = Path(path)
        head = _open_head(path)
        suffix = path.suffix.lower()
        if head.startswith(_OLE_MAGIC):
            raise ImportFileError(_old_excel_message(path))
        if suffix == ".xls":
            raise ImportFileError(_old_excel_message(path))
        if suffix == ".ods":
            raise ImportFileError(
                f"{path.name} is een OpenDocument-rekenblad. Open het in LibreOffice of Excel, "
                "sla het op als Excel-werkmap (.xlsx) of CSV en kies dat bestand."
            )
        if suffix in XLSX_SUFFIXES or (suffix in CSV_SUFFIXES and head.startswith(_ZIP_MAGIC)):
            grid, description = _read_xlsx(path, _Ticker(progress))
            strict_width = False
        elif suffix in CSV_SUFFIXES:
            grid, description = _read_csv(path, _Ticker(progress))
            strict_width = True
        else:
            shown = suffix or "zonder extensie"
            raise ImportFileError(
                f"Bestanden van het type {shown} kunnen niet worden geïmporteerd. Kies een "
                "CSV-bestand (.csv) of een Excel-werkmap (.xlsx)."
            )
        return _build_table(path, grid, description, strict_width)

    # --- checking ------------------------------------------------------------------------
    def preview(
        self,
        table: ImportTable,
        mapping: Mapping[ImportField, int],
        cohort_label: str,
        progress: ProgressFn | None = None,
    ) -> ImportPreview:
        """Every problem of the file and, when there are none, what would change. The
        coordinator's, like the import itself: it shows what is stored for every pupil."""
        require_coordinator(self._actor)
        with self._sessions() as session:
            preview, _plan = _Planner(
                table, dict(mapping), cohort_label, self._clock().date(), _Ticker(progress)
            ).run(session)
        return preview

    # --- writing -------------------------------------------------------------------------
    def apply(
        self,
        preview: ImportPreview,
        author: str,
        progress: ProgressFn | None = None,
        archive_missing: bool = False,
    ) -> int:
        """Write the import: all of it or nothing. Returns the number of pupils written.
        With archive_missing, the pupils of the cohort that are not in the file
        (preview.missing) are archived in the same step, with the reason
        MISSING_REASON; without it they stay as they are.

        The database may have changed since the preview, so the comparison is made again
        inside the transaction; if the outcome differs, nothing is written."""
        require_coordinator(self._actor)
        author = author_of(self._actor, author)
        if preview.problems:
            raise ImportFileError(_refused_message(len(preview.problems)), preview.problems)
        now = self._clock()
        ticker = _Ticker(progress)
        if self._before_write is not None:
            self._before_write()
        with self._sessions.begin() as session:
            planner = _Planner(
                preview.table, preview.mapping, preview.cohort_label, now.date(), ticker
            )
            reuse = preview.checked if preview.checked_on == now.date() else None
            fresh, plan = planner.run(session, reuse)
            if fresh.problems:
                raise ImportFileError(_refused_message(len(fresh.problems)), fresh.problems)
            if fresh.changes != preview.changes or (
                archive_missing and fresh.missing_ids != preview.missing_ids
            ):
                raise ConflictError(
                    "Terwijl het voorbeeld openstond, zijn er leerlingen gewijzigd. Er is niets "
                    "geïmporteerd. Bekijk het voorbeeld opnieuw en importeer dan."
                )
            written = _Writer(session, plan, preview, author, now, ticker).run()
            # A file that changes no pupil leaves the database as it was, the trail included.
            if written:
                append(
                    session,
                    author,
                    AuditAction.IMPORTED,
                    detail=(
                        f"bestand: {preview.table.source.name}, {counted(written, 'leerling', 'leerlingen')} "
                        f"({fresh.new_count} nieuw, {fresh.changed_count} gewijzigd)"
                    ),
                    now=now,
                )
            if archive_missing:
                _archive_missing(session, preview, author, now)
            # The last chance to cancel: everything is written but not yet committed.
            ticker.finish()
        return written


# Why a pupil who is no longer in the school's export is archived at an import.
MISSING_REASON = "niet meer in de export"


def _archive_missing(session: Session, preview: ImportPreview, author: str, now: datetime) -> None:
    """Archive the pupils the file no longer has, each with the reason on their timeline and
    in the audit trail; their data stays (the retention rules decide when it goes)."""
    for pupil_id in preview.missing_ids:
        row = session.get(PupilRow, pupil_id)
        assert row is not None  # checked against a fresh comparison in this transaction
        row.archived = True
        row.timeline.append(
            TimelineEntryRow(
                at=now,
                author=author,
                kind=TimelineKind.GEBEURTENIS.value,
                text=f"Gearchiveerd bij de import van {preview.table.source.name}: "
                f"{MISSING_REASON}.",
            )
        )
        append(
            session,
            author,
            AuditAction.EDITED,
            pupil_id,
            f"archief (bij import: {MISSING_REASON})",
            now,
        )


# --- reading files -----------------------------------------------------------------------


class _Ticker:
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


def _open_head(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError(f"{path.name} is een map. Kies het bestand met de leerlingen.")
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise ImportFileError(
            f"Het bestand {path.name} bestaat niet (meer). Kies het bestand opnieuw."
        ) from None
    except PermissionError:
        raise ImportFileError(
            f"{path.name} kan niet worden geopend. Is het nog open in Excel? Sluit het daar en "
            "probeer het opnieuw."
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"{path.name} kan niet worden gelezen ({exc.strerror}). Kopieer het bestand naar "
            "uw computer en probeer het opnieuw."
        ) from exc
    if size == 0:
        raise ImportFileError(f"{path.name} is leeg. {_EXPORT_AGAIN}")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is te groot ({size // (1024 * 1024)} MB). Exporteer alleen de "
            "leerlingen van het laatste jaar."
        )
    return head


def _old_excel_message(path: Path) -> str:
    return (
        f"{path.name} is een oud Excel-bestand (.xls) of een Excel-bestand met een wachtwoord. "
        "Open het in Excel, haal een eventueel wachtwoord weg en kies Opslaan als > "
        "Excel-werkmap (.xlsx) of CSV. Kies daarna dat bestand."
    )


def _not_a_table(path: Path) -> ImportFileError:
    return ImportFileError(
        f"Dit bestand is geen CSV- of Excel-bestand, ook al heet het {path.name}. {_EXPORT_AGAIN}"
    )


def _read_csv(path: Path, tick: _Ticker) -> tuple[list[list[str]], str]:
    """Streamed: a file of a million rows is refused after the first hundred thousand, never
    read into memory as a whole."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError as exc:
        raise ImportFileError(
            f"{path.name} kan niet worden gelezen ({exc.strerror}). Probeer het opnieuw."
        ) from exc
    codec, encoding = _encoding_of(path, head)
    head_text = head.decode(codec, errors="replace")
    if _looks_binary(head_text):
        raise _not_a_table(path)
    delimiter = _sniff_delimiter(head_text)
    tick.phase(0, size)
    try:
        grid = _parse_csv(path, codec, delimiter, tick)
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise _unreadable_characters(path) from None
        codec, encoding = _utf8_or_windows_1252(path)
        grid = _parse_csv(path, codec, delimiter, tick)
    _check_complete(path, grid, codec)
    return grid, f"CSV-bestand, gescheiden door {_DELIMITERS[delimiter]}, {encoding}"


def _encoding_of(path: Path, head: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; a file that is not valid UTF-8 turns
    out to be Windows-1252, the encoding of 'CSV (gescheiden door lijstscheidingsteken)' in
    Dutch Excel (see _utf8_or_windows_1252)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 met BOM"
    if b"\x00" in head:
        if _utf16_without_bom(head):
            raise ImportFileError(
                f"{path.name} is opgeslagen als UTF-16 zonder kenmerk aan het begin (BOM) en kan "
                "zo niet worden gelezen. Sla het bestand in Excel op als 'CSV UTF-8 (door komma's "
                "gescheiden)' en probeer het opnieuw."
            )
        raise _not_a_table(path)
    return "utf-8", "UTF-8"


def _utf16_without_bom(head: bytes) -> bool:
    # Text in UTF-16 has a zero in every other byte: the high byte of each ASCII letter.
    sample = head[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return False
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even)) or (
        even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd)
    )


def _parse_csv(path: Path, codec: str, delimiter: str, tick: _Ticker) -> list[list[str]]:
    grid: list[list[str]] = []
    formulas: list[ImportProblem] = []
    formula_count = 0
    # strict: a quote that is never closed is reported instead of swallowing the rest.
    strict = True
    while True:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=codec, newline="") as text:
            reader = csv.reader(text, delimiter=delimiter, strict=strict)
            try:
                for record in reader:
                    values = [_unwrap_excel_text(cell) for cell in record]
                    grid.append(values)
                    if any(cell[:1] == "=" for cell in values):
                        for column, cell in enumerate(values):
                            if len(cell) > 1 and cell[0] == "=":
                                formula_count += 1
                                if len(formulas) < MAX_REPORTED:
                                    formulas.append(_formula_problem(len(grid), column))
                    if len(grid) % _TICK_EVERY == 0:
                        tick(raw.tell())
                        _check_row_count(path, grid)
            except csv.Error as exc:
                row = len(grid) + 1
                if "unexpected end of data" in str(exc):
                    raise _cut_off(
                        path,
                        row,
                        'er staat een aanhalingsteken (") dat niet wordt gesloten. Misschien is '
                        'het bestand niet helemaal opgeslagen, of staat er een losse " in een '
                        "naam. Controleer die rij en probeer het opnieuw.",
                    ) from None
                if strict and "expected after" in str(exc):
                    # '"a"b' is read as 'ab' by Excel too: only the strict check objects.
                    strict = False
                    grid, formulas, formula_count = [], [], 0
                    continue
                message = (
                    f"Rij {row} van {path.name} kan niet worden gelezen: er staat een cel in die "
                    "veel te lang is of een aanhalingsteken mist. Controleer die rij in Excel en "
                    "probeer het opnieuw."
                )
                raise ImportFileError(message, [ImportProblem(row, None, message)]) from exc
        break
    _check_row_count(path, grid)
    if formulas:
        raise ImportFileError(_formula_message(formulas, formula_count), formulas)
    return grid


def _check_complete(path: Path, grid: list[list[str]], codec: str) -> None:
    """A file cut off in the middle of a row (a copy that stopped, a full USB stick) ends
    without a line break, in a row shorter than the others: its last cells would be empty."""
    if len(grid) < 2 or not any(cell.strip() for cell in grid[-1]):
        return
    widest = max(len(row) for row in grid[:-1])
    if len(grid[-1]) >= widest or _ends_with_line_break(path, codec):
        return
    raise _cut_off(
        path,
        len(grid),
        "het bestand is misschien niet helemaal opgeslagen of gekopieerd. Exporteer de "
        "leerlingen opnieuw en kies het nieuwe bestand.",
    )


def _ends_with_line_break(path: Path, codec: str) -> bool:
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 4))
        tail = stream.read()
    if codec == "utf-16":
        with path.open("rb") as stream:
            big_endian = stream.read(2) == codecs.BOM_UTF16_BE
        return tail.endswith((b"\x00\n", b"\x00\r") if big_endian else (b"\n\x00", b"\r\x00"))
    return tail.endswith((b"\n", b"\r"))


def _cut_off(path: Path, row: int, why: str) -> ImportFileError:
    message = f"Rij {row} van {path.name} houdt halverwege op: {why}"
    return ImportFileError(message, [ImportProblem(row, None, message)])


# Valid UTF-8 letters outside ASCII, such as the ë of Zoë; in Windows-1252 text these byte
# pairs mean things like 'Ã«' that no name holds.
_UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_NOT_IN_WINDOWS_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _utf8_or_windows_1252(path: Path) -> tuple[str, str]:
    """The file is not valid UTF-8. When it holds UTF-8 letters elsewhere, two encodings are
    mixed (a row pasted in from another file) and every ë of one of them would be read wrong;
    otherwise it is Windows-1252. Streamed, so a big file is not read into memory at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    bad_row: int | None = None
    utf8_row: int | None = None
    undefined_row: int | None = None
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if bad_row is None:
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    start = max(0, exc.start - pending)
                    bad_row = lines + chunk[:start].count(b"\n") + 1
                    if utf8_row is None and not chunk[:start].isascii():
                        utf8_row = lines + 1 + _first_non_ascii_line(chunk[:start])
                else:
                    # Only letters decoded in full count: a last byte may still be waiting.
                    if utf8_row is None and not text.isascii():
                        utf8_row = lines + 1 + _first_non_ascii_line(chunk)
            if bad_row is not None:
                window = tail + chunk
                if utf8_row is None and (found := _UTF8_LETTER.search(window)):
                    utf8_row = lines - tail.count(b"\n") + window[: found.start()].count(b"\n") + 1
                if undefined_row is None and (found := _NOT_IN_WINDOWS_1252.search(chunk)):
                    undefined_row = lines + chunk[: found.start()].count(b"\n") + 1
                tail = chunk[-3:]
            lines += chunk.count(b"\n")
    if bad_row is None:
        # Valid up to the last bytes, which stop halfway through a letter.
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_row = lines + 1
            if utf8_row is not None:
                raise _cut_off(
                    path,
                    bad_row,
                    "de laatste letter is niet af, dus het bestand is misschien niet helemaal "
                    "opgeslagen of gekopieerd. Exporteer de leerlingen opnieuw en kies het "
                    "nieuwe bestand.",
                ) from None
        else:
            return "utf-8", "UTF-8"
    if utf8_row is not None:
        rows = sorted({bad_row, utf8_row})
        message = (
            f"In {path.name} staan twee tekensets door elkaar: rij {rows[0]} en rij {rows[-1]} "
            "zijn verschillend opgeslagen, zodat letters als ë en ç in een van beide verkeerd "
            "zouden worden gelezen. Sla het bestand in Excel op als 'CSV UTF-8 (door komma's "
            "gescheiden)' en probeer het opnieuw."
        )
        raise ImportFileError(message, [ImportProblem(row, None, message) for row in rows])
    if undefined_row is not None:
        raise _unreadable_characters(path, undefined_row)
    return "cp1252", "Windows-1252"


def _first_non_ascii_line(data: bytes) -> int:
    """How many line breaks come before the first byte outside ASCII."""
    found = _NON_ASCII.search(data)
    return data[: found.start() if found else len(data)].count(b"\n")


def _unreadable_characters(path: Path, row: int | None = None) -> ImportFileError:
    where = f" (rij {row})" if row is not None else ""
    message = (
        f"De tekens in {path.name}{where} kunnen niet worden gelezen. Sla het bestand in Excel "
        "op als 'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw."
    )
    return ImportFileError(message, [ImportProblem(row, None, message)] if row else [])


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    return control > max(2, len(sample) // 200)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns; ties go to ';',
    which Dutch Excel writes."""
    lines = [line for line in text[:100_000].splitlines() if line.strip()][:30]
    best, best_width = ";", 0
    for delimiter in _DELIMITERS:
        widths = sorted(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width = widths[len(widths) // 2] if widths else 0
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _unwrap_excel_text(cell: str) -> str:
    # Some exports write ="0612345678" so that Excel keeps the leading zero. '="PRO"&"4A"'
    # is no such text but a formula, and stays as it is.
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3 and '"' not in cell[2:-1]:
        return cell[2:-1]
    return cell


def _check_row_count(path: Path, grid: list[Any]) -> None:
    # One extra row for the header, a few for title lines above it.
    if len(grid) > MAX_ROWS + 10:
        raise _too_many_rows(path)


def _too_many_rows(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} heeft meer dan {MAX_ROWS:,} rijen".replace(",", ".")
        + ". Zoveel leerlingen kan Uitstroom niet in één keer importeren. Exporteer alleen "
        "de leerlingen van het laatste jaar, of verdeel het bestand over meer bestanden."
    )


def _too_big_sheet(path: Path, what: str) -> ImportFileError:
    return ImportFileError(
        f"Het werkblad in {path.name} is te groot voor een lijst met leerlingen: {what}. "
        "Misschien staat er iets anders in dan de leerlingen, of is het bestand beschadigd. "
        "Kopieer alleen de kolommen met leerlinggegevens naar een nieuw werkblad, of "
        + _EXPORT_AGAIN[0].lower()
        + _EXPORT_AGAIN[1:]
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
            if column > _EXCEL_MAX_COLUMNS:
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
            if where["row"] > MAX_ROWS + 10:
                raise _too_many_rows(path)
        elif name == row_tag:
            number = attributes.get("r", "")
            where["row"] = int(number) if number.isdigit() else where["row"] + 1
            if where["row"] > _EXCEL_MAX_ROWS:  # no Excel has more: a damaged file
                raise _damaged(path)
            where["column"] = where["row_width"] = 0

    def no_entities(*_args: object) -> None:
        raise ValueError("entities in a sheet")  # an 'XML bomb': refused as damaged

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = no_entities
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except ImportFileError:
        raise
    except Exception as exc:  # a broken or hostile XML: openpyxl would not read it either
        raise _damaged(path) from exc


def _read_xlsx(path: Path, tick: _Ticker) -> tuple[list[list[str]], str]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        # A zip that stops halfway (a copy that broke off) is damaged; anything else is no zip.
        raise (_damaged(path) if _starts_as_zip(path) else _not_a_table(path)) from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise ImportFileError(
            f"{path.name} is geen Excel-werkmap, maar een zip-bestand met iets anders erin. "
            f"{_EXPORT_AGAIN}"
        )
    # The sizes in the zip's directory are the most its parts can unpack to: Python's zipfile
    # stops at them and then fails on the checksum.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_TOTAL or max(part.file_size for part in parts) > MAX_UNPACKED_PART:
        raise ImportFileError(
            f"{path.name} is uitgepakt veel te groot ({unpacked // (1024 * 1024)} MB) voor een "
            "lijst met leerlingen. Misschien is het bestand beschadigd, of is het geen export. "
            f"{_EXPORT_AGAIN}"
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
        return stream.read(4) == _ZIP_MAGIC


def _damaged(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} kan niet worden gelezen; het bestand is misschien beschadigd. Open het in "
        "Excel, sla het opnieuw op als Excel-werkmap (.xlsx) en probeer het nog eens."
    )


def _read_sheet(path: Path, sheet: Any, tick: _Ticker) -> list[list[str]]:
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
            if number > _EXCEL_MAX_ROWS:  # no Excel has more; reading on would take minutes
                raise _damaged(path)
            values: list[str] = []
            for cell in cells:
                if cell.data_type == "f":
                    formula_count += 1
                    if len(formulas) < MAX_REPORTED:
                        formulas.append(_formula_problem(number, len(values)))
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
                _check_row_count(path, grid)
            else:
                empty_run += 1
            if number % _TICK_EVERY == 0:
                tick(number)
    except (ImportFileError, ImportCancelled):
        raise
    except Exception as exc:  # a damaged sheet fails part-way in openpyxl's parser
        raise _damaged(path) from exc
    if formulas:
        raise ImportFileError(_formula_message(formulas, formula_count), formulas)
    if errors:
        raise ImportFileError(_error_message(errors, error_count), errors)
    return grid


def _error_problem(row: int, column: int, value: str) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        f"Cel {column_letter(column)}{row} bevat de foutwaarde {value} in plaats van een gegeven. "
        f"{_FIX_ERRORS}",
    )


def _error_message(errors: list[ImportProblem], count: int) -> str:
    if count == 1:
        return errors[0].message
    cells = [p.message.split(" ")[1] for p in errors[:5]]
    more = count - len(cells)
    named = ", ".join(cells) + (f" en nog {more} andere" if more else "")
    return f"{count} cellen bevatten een foutwaarde (zoals #N/B): {named}. {_FIX_ERRORS}"


def _formula_problem(row: int, column: int) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        f"Cel {column_letter(column)}{row} bevat een formule. {_VALUES_ONLY}",
    )


def _formula_message(formulas: list[ImportProblem], count: int) -> str:
    if count == 1:
        return formulas[0].message
    cells = [p.message.split(" ")[1] for p in formulas[:5]]
    more = count - len(cells)
    named = ", ".join(cells) + (f" en nog {more} andere" if more else "")
    return f"{count} cellen bevatten een formule: {named}. {_VALUES_ONLY}"


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


def _build_table(
    path: Path, grid: list[list[str]], description: str, strict_width: bool
) -> ImportTable:
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()
    header_index = find_header_row(grid)
    if header_index is None:
        raise ImportFileError(f"{path.name} bevat geen gegevens. {_EXPORT_AGAIN}")
    header = [cell.strip() for cell in grid[header_index]]
    while header and not header[-1]:
        header.pop()
    filled = [cell for cell in header if cell]
    if len(filled) == 1 and any(sep in filled[0] for sep in ";,\t|"):
        raise ImportFileError(
            f"In {path.name} staat alles in één kolom: '{_shorten(filled[0])}'. Het "
            "scheidingsteken tussen de kolommen is niet herkend. Exporteer het bestand opnieuw "
            "als CSV, of open het in Excel, kies Gegevens > Tekst naar kolommen en sla het op als "
            "Excel-werkmap (.xlsx)."
        )
    data = grid[header_index + 1 :]
    if not any(any(cell.strip() for cell in row) for row in data):
        raise ImportFileError(
            f"{path.name} bevat alleen een kopregel en geen leerlingen. {_EXPORT_AGAIN}"
        )
    if strict_width:
        _check_width(path, header, data, header_index + 2)
    else:
        width = max(len(row) for row in data)
        last_used = max(
            (i for row in data for i, cell in enumerate(row) if cell.strip()), default=0
        )
        header += [""] * (min(width, last_used + 1) - len(header))
    return ImportTable(
        source=path,
        headers=tuple(header),
        rows=tuple(tuple(row) for row in data),
        description=description,
        header_row=header_index + 1,
    )


def _check_width(path: Path, header: list[str], data: list[list[str]], first_row: int) -> None:
    """A CSV row with more values than headers has a delimiter inside a value: every value
    after it would land in the wrong column."""
    crooked = [
        ImportProblem(
            first_row + i,
            None,
            f"Rij {first_row + i} heeft {len(row)} waarden, de kopregel {len(header)}. "
            "Waarschijnlijk staat er een scheidingsteken in een naam of adres. Zet zulke waarden "
            "tussen aanhalingstekens of exporteer het bestand opnieuw.",
        )
        for i, row in enumerate(data)
        if any(cell.strip() for cell in row[len(header) :])
    ]
    if crooked:
        rows = ", ".join(str(p.row) for p in crooked[:5])
        raise ImportFileError(
            f"{counted(len(crooked), 'rij', 'rijen')} in {path.name} hebben meer waarden dan de kopregel "
            f"(rij {rows}). Waarschijnlijk staat er een scheidingsteken in een naam of adres. "
            "Zet zulke waarden tussen aanhalingstekens of exporteer het bestand opnieuw.",
            crooked[:MAX_REPORTED],
        )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refused_message(count: int) -> str:
    what = counted(count, "probleem", "problemen")
    return (
        f"Er is niets geïmporteerd: het bestand heeft {what}. Verbeter het bestand en probeer "
        "het opnieuw."
    )


# --- comparing with the database --------------------------------------------------------


@dataclass
class _Existing:
    id: int
    version: int
    cohort_label: str
    archived: bool
    values: dict[ImportField, str]
    imported: dict[str, str]
    guardian_ids: list[int]  # guardian row ids, in list order (ouder 1 first)
    guardian_positions: list[int]


@dataclass
class _Planned:
    row: int
    values: dict[ImportField, str]  # what the pupil holds after the import, mapped fields
    imported: dict[str, str]
    change: PupilChange
    existing: _Existing | None = None
    imported_changed: bool = False
    guardians_changed: set[int] = field(default_factory=set)


_DATE_FIELDS = frozenset({ImportField.GEBOORTEDATUM})
_NULLABLE_FIELDS = frozenset(
    {ImportField.UITSTROOMPROFIEL, ImportField.MBO_NIVEAU, ImportField.MBO_LEERWEG}
)


class _Planner:
    """Checks the rows and compares them with the database: the preview and the write plan."""

    def __init__(
        self,
        table: ImportTable,
        mapping: dict[ImportField, int],
        cohort_label: str,
        today: date,
        tick: _Ticker,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.cohort_label = cohort_label
        self.today = today
        self.tick = tick

    def run(
        self, session: Session, checked: tuple[_CheckedRow, ...] | None = None
    ) -> tuple[ImportPreview, list[_Planned]]:
        rows = len(self.table.rows)
        self.tick.phase(0, 2 * rows + 1)
        if checked is None:
            problems, checked = self._check()
            if problems:
                return self._preview(tuple(problems), (), (), ()), []
        records = _load_existing(session)
        existing = _by_leerlingnummer(records)
        plan: list[_Planned] = []
        for done, (number, values) in enumerate(checked):
            if done % _TICK_EVERY == 0:
                self.tick(rows + done)
            found = existing.get(values[ImportField.LEERLINGNUMMER])
            plan.append(self._compare(number, values, found))
        in_file = {p.existing.id for p in plan if p.existing is not None}
        missing = sorted(
            (
                sort_name(*_names(e.values)),
                f"{full_name(*_names(e.values))} ({e.values[ImportField.LEERLINGNUMMER]})",
                e.id,
            )
            for e in records
            if e.id not in in_file and e.cohort_label == self.cohort_label and not e.archived
        )
        preview = replace(
            self._preview((), tuple(p.change for p in plan), tuple(m[1] for m in missing), checked),
            missing_ids=tuple(m[2] for m in missing),
        )
        return preview, plan

    def _check(self) -> tuple[list[ImportProblem], tuple[_CheckedRow, ...]]:
        """Every cell on its own, then the file as a whole; the database is not needed."""
        table, mapping = self.table, self.mapping
        problems = mapping_problems(mapping, table.headers)
        try:
            SchoolYear.parse(self.cohort_label)
        except ValueError as exc:
            problems.append(ImportProblem(None, None, f"{exc} Kies het schooljaar opnieuw."))
        usable = {f: i for f, i in mapping.items() if 0 <= i < len(table.headers)}
        checker = RowChecker(usable, table.headers, self.today)
        checked: list[_CheckedRow] = []
        for index, cells in enumerate(table.rows):
            if index % _TICK_EVERY == 0:
                self.tick(index)
            if not any(cells):
                continue
            number = table.row_number(index)
            values, row_problems = checker.check(number, cells)
            if any(values.values()):
                problems += row_problems
                checked.append((number, values))
        if ImportField.LEERLINGNUMMER in usable:
            problems += duplicate_problems(
                [(number, values[ImportField.LEERLINGNUMMER]) for number, values in checked],
                header_name(table.headers, mapping[ImportField.LEERLINGNUMMER]),
            )
        problems.sort(key=lambda p: p.row or 0)
        return problems, tuple(checked)

    def _preview(
        self,
        problems: tuple[ImportProblem, ...],
        changes: tuple[PupilChange, ...],
        missing: tuple[str, ...],
        checked: tuple[_CheckedRow, ...],
    ) -> ImportPreview:
        return ImportPreview(
            table=self.table,
            mapping=dict(self.mapping),
            cohort_label=self.cohort_label,
            problems=problems,
            changes=changes,
            missing=missing,
            checked=checked,
            checked_on=self.today,
        )

    def _compare(
        self, number: int, values: dict[ImportField, str], found: _Existing | None
    ) -> _Planned:
        leerlingnummer = values[ImportField.LEERLINGNUMMER]
        if found is None:
            return _Planned(
                row=number,
                values=values,
                imported={f.value: v for f, v in values.items()},
                change=PupilChange(leerlingnummer, full_name(*_names(values)), NEW, (), ()),
            )
        result: dict[ImportField, str] = {}
        imported = dict(found.imported)
        changes_list: list[FieldChange] = []
        kept: list[FieldChange] = []
        guardians_changed: set[int] = set()
        for f, new in values.items():
            current = found.values[f]
            last = found.imported.get(f.value)
            if new == current:
                result[f] = current
                imported[f.value] = new
            elif current == last or (last is None and not current):
                result[f] = new
                imported[f.value] = new
                changes_list.append(
                    FieldChange(f, display_value(f, current), display_value(f, new))
                )
                if f in GUARDIAN_FIELDS:
                    guardians_changed.add(GUARDIAN_FIELDS[f][0])
            else:
                result[f] = current
                kept.append(FieldChange(f, display_value(f, current), display_value(f, new)))
        moved_from = found.cohort_label if found.cohort_label != self.cohort_label else ""
        kind = CHANGED if changes_list or moved_from else UNCHANGED
        names = {**found.values, **result}
        return _Planned(
            row=number,
            values=result,
            imported=imported,
            existing=found,
            imported_changed=imported != found.imported,
            guardians_changed=guardians_changed,
            change=PupilChange(
                leerlingnummer,
                full_name(*_names(names)),
                kind,
                tuple(changes_list),
                tuple(kept),
                moved_from,
            ),
        )


def _names(values: Mapping[ImportField, str]) -> tuple[str, str, str]:
    return (
        values.get(ImportField.ROEPNAAM, ""),
        values.get(ImportField.TUSSENVOEGSEL, ""),
        values.get(ImportField.ACHTERNAAM, ""),
    )


def _stored_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _by_leerlingnummer(records: Sequence[_Existing]) -> dict[str, _Existing]:
    """The pupils by the leerlingnummer a file names them with. Numbers stored before imports
    cleaned them ('86001.0') match too, so no database needs rewriting. Where such a number
    already made a second pupil ('86001.0' and '86001'), the one stored exactly as the file
    says it is updated; the other stays and is listed as not in the file."""
    found: dict[str, _Existing] = {}
    for record in records:
        stored = record.values[ImportField.LEERLINGNUMMER]
        key = leerlingnummer_key(stored)
        if key not in found or stored == key:
            found[key] = record
    return found


def _load_existing(session: Session) -> list[_Existing]:
    """Every pupil with the fields an import can touch, in two queries; oldest first."""
    columns = [getattr(PupilRow, f.value) for f in PUPIL_FIELDS]
    statement = (
        select(
            PupilRow.id,
            PupilRow.version,
            PupilRow.archived,
            PupilRow.imported_values,
            CohortRow.label,
            *columns,
        )
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .order_by(PupilRow.id)
    )
    by_id: dict[int, _Existing] = {}
    empty_guardians = {f: "" for f in GUARDIAN_FIELDS}
    for pupil_id, version, archived, imported, label, *fields in session.execute(statement):
        values = {f: _stored_text(v) for f, v in zip(PUPIL_FIELDS, fields, strict=True)}
        values.update(empty_guardians)
        record = _Existing(
            id=pupil_id,
            version=version,
            cohort_label=label,
            archived=archived,
            values=values,
            imported=dict(imported or {}),
            guardian_ids=[],
            guardian_positions=[],
        )
        by_id[pupil_id] = record
    guardians = select(
        GuardianRow.id,
        GuardianRow.pupil_id,
        GuardianRow.position,
        GuardianRow.name,
        GuardianRow.relation,
        GuardianRow.phone,
        GuardianRow.email,
    ).order_by(GuardianRow.pupil_id, GuardianRow.position, GuardianRow.id)
    for guardian_id, pupil_id, position, *attributes in session.execute(guardians):
        record = by_id[pupil_id]
        index = len(record.guardian_ids)
        record.guardian_ids.append(guardian_id)
        record.guardian_positions.append(position)
        if index > 1:
            continue
        texts = dict(zip(("name", "relation", "phone", "email"), attributes, strict=True))
        for f, (p, attribute) in GUARDIAN_FIELDS.items():
            if p == index:
                record.values[f] = texts[attribute] or ""
    return list(by_id.values())


# --- writing -----------------------------------------------------------------------------


def _column_value(f: ImportField, value: str) -> Any:
    if f in _DATE_FIELDS:
        return date.fromisoformat(value) if value else None
    if f in _NULLABLE_FIELDS:
        return value or None
    return value


def _guardian_texts(values: Mapping[ImportField, str], position: int) -> dict[str, str]:
    return {
        attribute: values[f]
        for f, (p, attribute) in GUARDIAN_FIELDS.items()
        if p == position and f in values
    }


def _timeline_words(change: PupilChange) -> list[str]:
    words: list[str] = []
    for item in change.changes:
        key = "guardians" if item.field in GUARDIAN_FIELDS else item.field.value
        if FIELD_LABELS[key] not in words:
            words.append(FIELD_LABELS[key])
    if change.moved_from:
        words.append("schooljaar")
    return words


def _core(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _WRITE_BATCH):
        yield items[start : start + _WRITE_BATCH]


class _Writer:
    """Core statements in batches: a 20,000-pupil file is written in seconds, not minutes."""

    def __init__(
        self,
        session: Session,
        plan: list[_Planned],
        preview: ImportPreview,
        author: str,
        now: datetime,
        tick: _Ticker,
    ) -> None:
        self.session = session
        self.plan = plan
        self.preview = preview
        self.author = author
        self.now = now
        self.tick = tick
        self.done = 0
        self.mapped_pupil_fields = [f for f in PUPIL_FIELDS if f in preview.mapping]

    def run(self) -> int:
        rows = len(self.preview.table.rows)
        self.tick.phase(rows * 2, rows * 2 + len(self.plan) + 1)
        cohort_id = ensure_cohort(self.session, self.preview.cohort_label).id
        new = [p for p in self.plan if p.existing is None]
        changed = [p for p in self.plan if p.existing is not None and p.change.kind == CHANGED]
        quiet = [
            p
            for p in self.plan
            if p.existing is not None and p.change.kind == UNCHANGED and p.imported_changed
        ]
        self._insert_new(new, cohort_id)
        self._update_changed(changed, cohort_id)
        self._store_imported_values(quiet)
        return len(new) + len(changed)

    def _advance(self, count: int) -> None:
        self.done += count
        self.tick(self.done)

    def _timeline(self, pupil_id: int, text: str) -> dict[str, Any]:
        return {
            "pupil_id": pupil_id,
            "at": self.now,
            "author": self.author,
            "kind": TimelineKind.GEBEURTENIS.value,
            "text": text,
        }

    def _insert_new(self, new: list[_Planned], cohort_id: int) -> None:
        pupils = _core(PupilRow)
        source = self.preview.table.source.name
        for batch in _batches(new):
            rows = []
            for planned in batch:
                row: dict[str, Any] = {
                    f.value: _column_value(f, planned.values.get(f, "")) for f in PUPIL_FIELDS
                }
                row.update(
                    cohort_id=cohort_id,
                    startkwalificatie=JaNeeOnbekend.ONBEKEND.value,
                    ondersteuningsbehoefte="",
                    archived=False,
                    imported_values=planned.imported,
                    created_at=self.now,
                    updated_at=self.now,
                    version=1,
                )
                rows.append(row)
            ids = (
                self.session.execute(
                    pupils.insert().returning(pupils.c.id, sort_by_parameter_order=True), rows
                )
                .scalars()
                .all()
            )
            self.session.execute(_core(RouteRow).insert(), [{"pupil_id": i} for i in ids])
            plan_new_pupils(
                self.session,
                [(i, Route.ONBEKEND) for i in ids],
                self.preview.cohort_label,
                self.now.date(),
            )
            guardians = [
                {"pupil_id": pupil_id, "position": position, **_full_guardian(texts)}
                for pupil_id, planned in zip(ids, batch, strict=True)
                for position in (0, 1)
                if any((texts := _guardian_texts(planned.values, position)).values())
            ]
            if guardians:
                self.session.execute(_core(GuardianRow).insert(), guardians)
            self.session.execute(
                _core(TimelineEntryRow).insert(),
                [self._timeline(i, f"Toegevoegd via import van {source}.") for i in ids],
            )
            self._advance(len(batch))

    def _update_changed(self, changed: list[_Planned], cohort_id: int) -> None:
        pupils = _core(PupilRow)
        c = pupils.c
        statement = (
            pupils.update()
            .where(c.id == bindparam("p_id"), c.version == bindparam("p_version"))
            .values(
                version=c.version + 1,
                cohort_id=bindparam("p_cohort_id", type_=c.cohort_id.type),
                updated_at=bindparam("p_updated_at", type_=c.updated_at.type),
                imported_values=bindparam("p_imported", type_=c.imported_values.type),
                **{
                    f.value: bindparam(f"p_{f.value}", type_=c[f.value].type)
                    for f in self.mapped_pupil_fields
                },
            )
        )
        for batch in _batches(changed):
            params = []
            timeline = []
            for planned in batch:
                assert planned.existing is not None
                params.append(
                    {
                        "p_id": planned.existing.id,
                        "p_version": planned.existing.version,
                        "p_cohort_id": cohort_id,
                        "p_updated_at": self.now,
                        "p_imported": planned.imported,
                        **{
                            f"p_{f.value}": _column_value(f, planned.values[f])
                            for f in self.mapped_pupil_fields
                        },
                    }
                )
                text = f"Bijgewerkt via import: {', '.join(_timeline_words(planned.change))}."
                if planned.change.kept:
                    kept = dict.fromkeys(
                        FIELD_LABELS["guardians" if k.field in GUARDIAN_FIELDS else k.field.value]
                        for k in planned.change.kept
                    )
                    text += f" Met de hand gewijzigd en bewaard: {', '.join(kept)}."
                timeline.append(self._timeline(planned.existing.id, text))
            result = self.session.connection().execute(statement, params)
            if result.rowcount != len(params):
                raise ConflictError(
                    "Een leerling is tijdens de import ergens anders gewijzigd. Er is niets "
                    "geïmporteerd. Probeer het opnieuw."
                )
            self._write_guardians(batch)
            self.session.execute(_core(TimelineEntryRow).insert(), timeline)
            self._advance(len(batch))

    def _write_guardians(self, batch: Sequence[_Planned]) -> None:
        table = _core(GuardianRow)
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        deletes: list[dict[str, Any]] = []
        for planned in batch:
            existing = planned.existing
            assert existing is not None
            for position in sorted(planned.guardians_changed):
                current = {
                    attribute: existing.values[f]
                    for f, (p, attribute) in GUARDIAN_FIELDS.items()
                    if p == position
                }
                texts = _full_guardian({**current, **_guardian_texts(planned.values, position)})
                if position < len(existing.guardian_ids):
                    guardian_id = existing.guardian_ids[position]
                    if any(texts.values()):
                        updates.append(
                            {"g_id": guardian_id, **{f"g_{k}": v for k, v in texts.items()}}
                        )
                    else:
                        deletes.append({"g_id": guardian_id})
                elif any(texts.values()):
                    after = (
                        existing.guardian_positions[-1] + 1 if existing.guardian_positions else 0
                    )
                    inserts.append(
                        {"pupil_id": existing.id, "position": max(position, after), **texts}
                    )
        c = table.c
        if updates:
            self.session.connection().execute(
                table.update()
                .where(c.id == bindparam("g_id"))
                .values(
                    name=bindparam("g_name"),
                    relation=bindparam("g_relation"),
                    phone=bindparam("g_phone"),
                    email=bindparam("g_email"),
                ),
                updates,
            )
        if deletes:
            self.session.connection().execute(
                table.delete().where(c.id == bindparam("g_id")), deletes
            )
        if inserts:
            self.session.execute(table.insert(), inserts)

    def _store_imported_values(self, quiet: list[_Planned]) -> None:
        """Pupils the import leaves as they are still learn what the file said, without a new
        version: a coordinator who has one of them open can save without a conflict."""
        pupils = _core(PupilRow)
        statement = (
            pupils.update()
            .where(pupils.c.id == bindparam("p_id"))
            .values(imported_values=bindparam("p_imported", type_=pupils.c.imported_values.type))
        )
        for batch in _batches(quiet):
            params = [
                {"p_id": p.existing.id, "p_imported": p.imported}
                for p in batch
                if p.existing is not None
            ]
            self.session.connection().execute(statement, params)
            self._advance(len(batch))


def _full_guardian(texts: Mapping[str, str]) -> dict[str, str]:
    return {
        attribute: texts.get(attribute, "") for attribute in ("name", "relation", "phone", "email")
    }
