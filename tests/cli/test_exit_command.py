"""`uitstroom exit import FILE` and `uitstroom report exits`: interviews recorded elsewhere,
checked like the cohort import, and the anonymous figures, from a script."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from test_commands import run

from factories import TEST_PASSPHRASE, dump, fixed_clock, make_pupil
from uitstroom.domain.enums import Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import InterviewState
from uitstroom.domain.model import SchoolSettings
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.exit import ExitService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService, SchoolService

HEADER = (
    "Studentnummer;Datum gesprek;Datum vertrek;Reden van vertrek;Reden uitval;Startkwalificatie;"
    "Vervolg;Vervolg toelichting;Telefoon na school;Nazorg gewenst"
)


def school_file(tmp_path: Path, count: int) -> Path:
    """An mbo school with `count` students; interviews are held last month."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        SchoolService(db.sessions).save_settings(
            SchoolSettings(name="ROC De Vaart", school_type=SchoolType.MBO)
        )
        pupils = PupilService(db.sessions, clock=fixed_clock(datetime(2026, 9, 1)))
        for n in range(1, count + 1):
            pupils.create(
                make_pupil(
                    leerlingnummer=f"5{n:05d}",
                    achternaam=f"Bakker{n}",
                    mbo_opleiding="Medewerker bakkerij" if n % 2 else "Logistiek medewerker",
                    mbo_niveau=Niveau.N2,
                    mbo_leerweg=Leerweg.BOL,
                ),
                "2026-2027",
            )
    finally:
        db.close()
    return path


def rows(count: int, held_on: date) -> list[str]:
    day = held_on.strftime("%d-%m-%Y")
    return [
        f"5{n:05d};{day};{day};"
        + ("uitval;Gezondheid;nee;nog niets;;" if n % 3 == 0 else "diploma;;ja;werk;Bakkerij;")
        + "06 11223344;"
        + ("ja" if n % 2 else "nee")
        for n in range(1, count + 1)
    ]


def test_import_dry_run_then_import_then_report(tmp_path: Path) -> None:
    path = school_file(tmp_path, 12)
    held_on = date.today().replace(day=1)
    csv = tmp_path / "exitgesprekken.csv"
    csv.write_text("\n".join([HEADER, *rows(12, held_on)]) + "\n", encoding="utf-8")
    before = dump(path)

    checked = run("--db", str(path), "exit", "import", str(csv), "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "Controle geslaagd (12 afgerond, 0 concept)" in checked.stdout
    assert dump(path) == before

    done = run("--db", str(path), "exit", "import", str(csv))
    assert done.returncode == 0, done.stderr
    assert "Geïmporteerd: 12 afgerond, 0 concept." in done.stdout
    db = open_database(path, vault.unlock(path, TEST_PASSPHRASE))
    try:
        states = {s for _, _, s in ExitService(db.sessions).open_students()}
        assert states == {InterviewState.AFGEROND}
        assert len(NazorgService(db.sessions).signals()) == 4
    finally:
        db.close()

    year = f"{held_on.year - (held_on.month < 8)}-{held_on.year + (held_on.month >= 8)}"
    out = tmp_path / "exits.xlsx"
    report = run("--db", str(path), "report", "exits", "--year", year, "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert str(out) in report.stdout
    cells = [
        c
        for sheet in load_workbook(out).worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    text = " ".join(map(str, cells))
    assert "Bakker1" not in text and "500001" not in text
    assert all(c >= 5 for c in cells if isinstance(c, int | float))


def test_a_bad_file_is_refused_by_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    path = school_file(tmp_path, 2)
    csv = tmp_path / "fout.csv"
    csv.write_text(
        "\n".join(
            [
                HEADER,
                "500001;32-01-2027;31-01-2027;diploma;;ja;werk;Bakkerij;06 1;ja",
                "512345;15-01-2027;31-01-2027;diploma;;ja;werk;Bakkerij;06 1;ja",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    before = dump(path)
    result = run("--db", str(path), "exit", "import", str(csv))
    assert result.returncode == 1
    assert "er is niets geïmporteerd" in result.stdout
    assert "rij 2, kolom 'Datum gesprek': De datum '32-01-2027' bestaat niet" in result.stdout
    assert "rij 3, kolom 'Studentnummer': Er is geen student met studentnummer 512345" in (
        result.stdout
    )
    assert dump(path) == before


def test_a_year_without_interviews_is_refused(tmp_path: Path) -> None:
    path = school_file(tmp_path, 1)
    out = tmp_path / "leeg.xlsx"
    result = run("--db", str(path), "report", "exits", "--year", "2020-2021", "--out", str(out))
    assert result.returncode == 1
    assert "nog geen exitgesprek afgerond" in result.stderr
    assert not out.exists()
