"""Issue 18.7: a log for after a crash, with no names in it, and a calm message instead of a
program that vanishes."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from test_commands import run

from uitstroom import logbook
from uitstroom.services.demo import ACHTERNAMEN, MENTOREN, ROEPNAMEN
from uitstroom.ui.crash_dialog import CrashDialog, show_crash

NAME = "Aïsha Bouzid"


def names_in(text: str) -> list[str]:
    """Every demo name (first names, surnames, mentors) that occurs as a word in `text`."""
    names = {*ROEPNAMEN, *(surname for _tussenvoegsel, surname in ACHTERNAMEN), *MENTOREN}
    return sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text))


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(logbook.threading, "excepthook", logbook.threading.excepthook)
    path = logbook.start_log(tmp_path / "log")
    assert path is not None
    yield path
    logbook.stop_log()


def unexpected(message: str) -> None:
    """An error nobody catches, as a bug would raise it, through the installed hook."""
    try:
        {}[message]
    except KeyError as error:
        sys.excepthook(type(error), error, error.__traceback__)


def test_a_demo_session_through_the_installed_program_logs_no_name(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    env = {"UITSTROOM_LOG_DIR": str(folder)}
    db = tmp_path / "school.db"
    bad = tmp_path / "leerlingen.csv"
    bad.write_text(f"voornaam;achternaam\n{NAME.split()[0]};{NAME.split()[1]}\n", encoding="utf-8")
    steps = [
        (0, ("--db", str(db), "demo", "--aantal", "12")),
        (
            0,
            (
                "--db",
                str(db),
                "document",
                "paspoort",
                "--pupil",
                "100001",
                "--out",
                str(tmp_path / "p.pdf"),
            ),
        ),
        (0, ("--db", str(db), "audit")),
        (None, ("--db", str(db), "import", str(bad))),  # refused: wrong columns
        (None, ("--db", str(db), "document", "paspoort", "--pupil", "999999")),  # no such pupil
    ]
    for code, argv in steps:
        result = run(*argv, extra_env=env)
        assert code is None or result.returncode == code, (argv, result.stderr)
    log = (folder / logbook.LOG_FILENAME).read_text(encoding="utf-8")
    assert log.count("start: Uitstroom") == len(steps)
    assert "opdracht: document" in log and "opdracht: import" in log
    # The scan does find a name where there is one.
    assert names_in(f"x {ROEPNAMEN[0]} {ACHTERNAMEN[0][1]}.") == sorted(
        [ROEPNAMEN[0], ACHTERNAMEN[0][1]]
    )
    assert names_in(log) == []
    assert NAME.split()[1] not in log


def test_an_unexpected_error_is_logged_as_where_it_went_without_its_message(started: Path) -> None:
    logbook.catch_unexpected(show=None)
    unexpected(f"Geen leerling '{NAME}'")
    # A library's message about a pupil below WARNING is not kept either.
    logging.getLogger("sqlalchemy.engine").info("SELECT ... %s", NAME)
    text = started.read_text(encoding="utf-8")
    assert (
        "onverwachte fout: KeyError at test_logbook.py:" in text
    )  # the file and line, not the message
    assert "in unexpected" in text
    assert NAME not in text and "Bouzid" not in text
    assert started.stat().st_mode & 0o077 == 0  # only the user reads it


def test_an_error_in_the_window_shows_a_calm_message_with_a_diagnosis(started: Path, qtbot) -> None:
    seen: list[CrashDialog] = []

    def answer() -> None:
        # Not activeModalWidget(): a dialog an earlier test left behind may be the active one.
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
        dialog = next(w for w in shown if w.isVisible() and w.isModal())
        seen.append(dialog)
        dialog.grab().save(str(started.parent / "crash.png"))
        dialog.copy_button.click()  # copies, and the message stays
        assert dialog.isVisible()
        dialog.close_button.click()

    logbook.catch_unexpected(show=show_crash)
    QTimer.singleShot(0, answer)
    unexpected(f"Geen leerling '{NAME}'")
    assert len(seen) == 1
    assert "Wat u al had opgeslagen, is bewaard" in seen[0].text()
    copied = QApplication.clipboard().text()
    assert "onverwachte fout: KeyError at" in copied
    assert str(started) in copied  # where the helpdesk finds the whole log
    assert NAME not in copied and "Bouzid" not in copied


def test_no_log_folder_no_log_but_the_program_goes_on(tmp_path: Path) -> None:
    blocked = tmp_path / "vol"
    blocked.write_text("", encoding="utf-8")  # a file where the folder should be
    assert logbook.start_log(blocked / "log") is None
    assert logbook.log_tail() == "(geen logboek)"
