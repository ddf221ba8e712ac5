"""Generated benchmark data: fictional pupils only, cached between runs."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from uitstroom.domain.enums import SchoolType
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import bulk_insert_pupils, demo_pupils, seed_demo_school

TODAY = date(2026, 11, 23)
FOLDER = Path(tempfile.gettempdir()) / "uitstroom-bench"


PASSPHRASE = "benchmark herstelwachtwoord"


def passphrase_file() -> Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / "wachtwoord.txt"
    path.write_text(PASSPHRASE, encoding="utf-8")
    return path


def cohort_database(count: int, today: date = TODAY, name: str = "cohort") -> tuple[Path, bytes]:
    """An encrypted database with `count` pupils planned as of `today` (made once, then
    reused), and its key."""
    path = FOLDER / f"{name}-{count}.db"
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        key = vault.set_up(path, PASSPHRASE)
        db = open_database(path, key)
        seed_demo_school(db.sessions, SchoolType.PRO)
        bulk_insert_pupils(db.sessions, count, today)
        db.close()
    return path, vault.unlock(path, PASSPHRASE)


def cohort_xlsx(count: int) -> Path:
    """An administration export as Magister writes it: one sheet, Dutch headers, date cells."""
    path = FOLDER / f"export-{count}.xlsx"
    if path.exists():
        return path
    FOLDER.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leerlingen")
    sheet.append(
        [
            "Stamnummer",
            "Roepnaam",
            "Tussenvoegsel",
            "Achternaam",
            "Geboortedatum",
            "Klas",
            "Mentor",
            "Woonplaats",
            "Mobiel",
            "E-mail",
        ]
    )
    for pupil in demo_pupils(count, SchoolYear.of(TODAY), seed=7):
        sheet.append(
            [
                pupil["leerlingnummer"],
                pupil["roepnaam"],
                pupil["tussenvoegsel"],
                pupil["achternaam"],
                pupil["geboortedatum"],
                pupil["klas"],
                pupil["mentor"],
                pupil["woongemeente"],
                pupil["telefoon"],
                pupil["email"],
            ]
        )
    workbook.save(path)
    return path
