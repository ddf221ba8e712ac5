"""Export the cohort to XLSX or CSV, with the same headers the import reads back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.model import Pupil
from uitstroom.domain.plural import counted
from uitstroom.services.access import require_coordinator
from uitstroom.services.audit import record
from uitstroom.services.errors import ServiceError
from uitstroom.services.files import atomic_output
from uitstroom.services.pupils import PupilService
from uitstroom.services.spreadsheet import Sheet, write_csv, write_xlsx

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


class ExportError(ServiceError):
    pass


def export_pupils(
    sessions: sessionmaker[Session],
    path: Path,
    user: Actor = LAPTOP_COORDINATOR,
) -> int:
    """Write every pupil to `path` (.xlsx or .csv); returns how many. Atomic: all or nothing.
    Logged in the audit trail. `user`: who is working (domain.actor); a list of every pupil is
    the coordinator's."""
    require_coordinator(user)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(
            f"{path.name}: kies een bestandsnaam die eindigt op .xlsx (Excel) of .csv."
        )
    pupils = PupilService(sessions).pupils()
    rows: list[list[object]] = [[value(p) for _, value in COLUMNS] for p in pupils]
    headers: list[object] = [header for header, _ in COLUMNS]
    with atomic_output(path) as stream:
        if suffix == ".xlsx":
            write_xlsx(stream, [Sheet("Leerlingen", [headers, *rows])])
        else:
            write_csv(stream, [headers, *rows])
        # Logged before the file takes its place: an export is never made without its line.
        record(
            sessions,
            user.name or None,  # the laptop's coordinator: as the settings name them
            AuditAction.EXPORTED,
            f"bestand: {path.name}, {counted(len(rows), 'leerling', 'leerlingen')} (zonder ondersteuningsbehoefte)",
        )
    return len(rows)
