"""`uitstroom nazorg agenda` and `uitstroom report outcomes`: what the Nazorg view shows and
the anonymous figures, from a script."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from test_commands import run

from factories import TEST_PASSPHRASE, dump
from uitstroom.commands.nazorg import item_json
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService

DAY = date(2026, 11, 23)


def demo_file(tmp_path: Path) -> tuple[Path, list[dict[str, object]], list[str]]:
    """The demo with last year's leavers; the agenda the service gives the screen on DAY,
    and every name and leerlingnummer in the database."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        insert_demo_cohort(db.sessions, today=DAY, leavers=DEMO_LEAVERS)
        expected = [item_json(i) for i in NazorgService(db.sessions).agenda(DAY)]
        words = [
            word
            for pupil in PupilService(db.sessions).pupils()
            for word in (pupil.achternaam, pupil.leerlingnummer)
        ]
    finally:
        db.close()
    return path, expected, words


def test_the_agenda_as_json_is_what_the_service_gives_the_screen(tmp_path: Path) -> None:
    path, expected, _ = demo_file(tmp_path)
    result = run("--db", str(path), "nazorg", "agenda", "--date", DAY.isoformat(), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    assert expected and expected[0]["overdue"] is True

    text = run("--db", str(path), "nazorg", "agenda", "--date", DAY.isoformat())
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Te laat (") and "Deze week (" in text.stdout
    assert str(expected[0]["name"]) in text.stdout

    mentor = str(expected[0]["mentor"])
    mine = run(
        "--db",
        str(path),
        "nazorg",
        "agenda",
        "--date",
        DAY.isoformat(),
        "--mentor",
        mentor,
        "--json",
    )
    assert json.loads(mine.stdout) == [i for i in expected if i["mentor"] == mentor]

    wrong = run("--db", str(path), "nazorg", "agenda", "--date", "23-11-2026")
    assert wrong.returncode == 2 and "JJJJ-MM-DD" in wrong.stderr


def test_the_outcome_report_is_anonymous_and_refuses_a_cohort_without_leavers(
    tmp_path: Path,
) -> None:
    path, _, words = demo_file(tmp_path)
    target = tmp_path / "cijfers.xlsx"
    result = run(
        "--db", str(path), "report", "outcomes", "--cohort", "2025-2026", "--out", str(target)
    )
    assert result.returncode == 0, result.stderr
    assert "2025-2026" in result.stdout
    cells = [
        cell
        for sheet in load_workbook(target)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert not [c for c in cells if isinstance(c, int | float) and 0 < c < 5]
    text = "\n".join(str(c) for c in cells)
    assert not [w for w in words if w in text]

    before = dump(path, exclude=("audit_event",))
    missing = run(
        "--db",
        str(path),
        "report",
        "outcomes",
        "--cohort",
        "2019-2020",
        "--out",
        str(tmp_path / "x.xlsx"),
    )
    assert missing.returncode == 1 and "2019-2020" in missing.stderr
    bad = run("--db", str(path), "report", "outcomes", "--cohort", "2025", "--out", str(target))
    assert bad.returncode == 1 and "schooljaar" in bad.stderr
    assert dump(path, exclude=("audit_event",)) == before
    assert not (tmp_path / "x.xlsx").exists()
