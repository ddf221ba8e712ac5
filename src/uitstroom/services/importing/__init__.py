"""Import the cohort from a CSV or XLSX export of the pupil administration.

Two steps, the shape ExitService.import_file has too: `check` reads the file (or takes a
table already read, when the user chose the columns), checks every cell and compares the file
with the database; `apply` writes that preview in one transaction, or nothing. A re-import
overwrites a field only while it still holds what the last import wrote: what the coordinator
changed by hand stays. `read` alone is for a window that shows the columns before the check.

The package: shapes (what is handed around), files and workbook (reading), compare (the
preview and the write plan), writer (the batches of the write).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import TimelineKind
from uitstroom.domain.importing import ImportField, guess_mapping
from uitstroom.domain.plural import counted
from uitstroom.services.access import require_coordinator
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.errors import ConflictError
from uitstroom.services.importing.compare import Planner
from uitstroom.services.importing.files import read_table
from uitstroom.services.importing.shapes import (
    FieldChange,
    ImportCancelled,
    ImportFileError,
    ImportPreview,
    ImportTable,
    ProgressFn,
    PupilChange,
    Ticker,
    refused_message,
)
from uitstroom.services.importing.writer import Writer
from uitstroom.storage.models import (
    PupilRow,
    TimelineEntryRow,
)


class ImportService(Service):
    """The coordinator's import of the cohort (domain.actor): it shows and changes what is
    stored for pupils of every mentor."""

    def read(self, path: Path, progress: ProgressFn | None = None) -> ImportTable:
        """The file as a table of text, for choosing the columns. Raises ImportFileError with
        what to do."""
        return read_table(Path(path), progress)

    def check(
        self,
        source: Path | ImportTable,
        cohort_label: str,
        mapping: Mapping[ImportField, int] | None = None,
        progress: ProgressFn | None = None,
    ) -> ImportPreview:
        """Every problem of the file and, when there are none, what would change. `source` a
        file, or the table `read` gave; without `mapping` the columns are recognised by their
        headers (domain.importing.guess_mapping). Raises ImportFileError for a file that
        cannot be read at all."""
        require_coordinator(self._actor)
        table = source if isinstance(source, ImportTable) else read_table(Path(source), progress)
        chosen = dict(mapping) if mapping is not None else guess_mapping(table.headers)
        with self._sessions() as session:
            preview, _plan = Planner(
                table, chosen, cohort_label, self._clock().date(), Ticker(progress)
            ).run(session)
        return preview

    def apply(
        self,
        preview: ImportPreview,
        progress: ProgressFn | None = None,
        archive_missing: bool = False,
    ) -> int:
        """Write the import: all of it or nothing. Returns the number of pupils written.
        With archive_missing, the pupils of the cohort that are not in the file
        (preview.missing) are archived in the same step, with the reason
        MISSING_REASON; without it they stay as they are.

        The database may have changed since the check, so the comparison is made again
        inside the transaction; if the outcome differs, nothing is written."""
        require_coordinator(self._actor)
        author = self._author()
        if preview.problems:
            raise ImportFileError(refused_message(len(preview.problems)), preview.problems)
        now = self._clock()
        ticker = Ticker(progress)
        self._back_up_first()
        with self._sessions.begin() as session:
            planner = Planner(
                preview.table, preview.mapping, preview.cohort_label, now.date(), ticker
            )
            reuse = preview.checked if preview.checked_on == now.date() else None
            fresh, plan = planner.run(session, reuse)
            if fresh.problems:
                raise ImportFileError(refused_message(len(fresh.problems)), fresh.problems)
            if fresh.changes != preview.changes or (
                archive_missing and fresh.missing_ids != preview.missing_ids
            ):
                raise ConflictError(
                    "Terwijl het voorbeeld openstond, zijn er leerlingen gewijzigd. Er is niets "
                    "geïmporteerd. Bekijk het voorbeeld opnieuw en importeer dan."
                )
            written = Writer(session, plan, preview, author, now, ticker).run()
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
                kind=TimelineKind.GEBEURTENIS,
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


__all__ = [
    "MISSING_REASON",
    "FieldChange",
    "ImportCancelled",
    "ImportFileError",
    "ImportPreview",
    "ImportService",
    "ImportTable",
    "ProgressFn",
    "PupilChange",
]
