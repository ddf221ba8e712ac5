from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from factories import fixed_clock, make_database, make_pupil
from pg import Backend
from uitstroom.services.export import ExportError, export_pupils
from uitstroom.services.files import FileWriteError
from uitstroom.services.pupils import PupilService


@pytest.fixture
def db(tmp_path: Path, backend: Backend):
    database = make_database(tmp_path, backend=backend)
    service = PupilService(database.sessions, clock=fixed_clock())
    service.create(make_pupil(ondersteuningsbehoefte="Dyslexie; extra tijd"), "2026-2027")
    service.create(
        make_pupil(leerlingnummer="200002", roepnaam="=HYPERLINK(1)", achternaam="Çelik"),
        "2026-2027",
    )
    yield database
    database.close()


def test_xlsx_export_reads_back_without_support_needs(db, tmp_path: Path) -> None:
    target = tmp_path / "leerlingen.xlsx"
    assert export_pupils(db.sessions, target) == 2
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam"]
    assert {r[3] for r in rows[1:]} == {"Meer", "Çelik"}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "Dyslexie" not in str(rows)


def test_csv_export_is_excel_friendly_and_safe(db, tmp_path: Path) -> None:
    target = tmp_path / "leerlingen.csv"
    export_pupils(db.sessions, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    names = {row[1] for row in rows[1:]}
    assert names == {"Zoë", "'=HYPERLINK(1)"}
    assert rows[1][4] in ("14-05-2009", "")


def test_wrong_extension_and_unwritable_folder_leave_no_file(db, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_pupils(db.sessions, tmp_path / "leerlingen.txt")
    with pytest.raises(FileWriteError, match="bestaat niet"):
        export_pupils(db.sessions, tmp_path / "geen-map" / "leerlingen.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".txt")) == []
