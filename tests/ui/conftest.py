"""Widgets on a real database: the main window on the demo cohort, and answers to dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QWidget,
)

from factories import fixed_clock, make_pupil
from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.domain.enums import Leerweg, Niveau, SchoolType
from uitstroom.domain.model import SchoolSettings
from uitstroom.services.database import Database
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.app_services import Services
from uitstroom.ui.desktop import prepare_application
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.worker import running_jobs

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True, scope="session")
def prepared_application(qapp: QApplication) -> QApplication:
    """What app.run_gui sets up on the program's application: windows that fit the screen, the wheel guard, the focus ring."""
    prepare_application(qapp)
    return qapp


@pytest.fixture(autouse=True)
def no_work_left_behind(qtbot) -> Iterator[None]:
    """Each test ends when the work it started in a thread has come back: a test that failed
    while the list was read behind its window took the whole run down ("QThread: Destroyed
    while thread is still running")."""
    yield
    if running_jobs():
        qtbot.waitUntil(lambda: running_jobs() == 0, timeout=30_000)


def services_for(db: Database, clock=None, actor: Actor = LAPTOP_COORDINATOR) -> Services:
    """`actor`: someone working in a shared database (domain.actor), by default the laptop's
    coordinator."""
    clock = clock or fixed_clock()
    return Services.build(db.sessions, db.location, actor=actor, clock=clock)


def open_window(qtbot, db: Database, today: date = TODAY) -> MainWindow:
    # Not qtbot.addWidget: pytest-qt closes those before our teardown could discard unsaved
    # edits, and the window would then ask about them.
    moment = fixed_clock(datetime.combine(today, time(9, 30)))
    # As app.py makes it: the list of all pupils read right after the first paint.
    window = MainWindow(services_for(db, moment), today=lambda: today, fill_later=True)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.cohort_is_read)
    window.activateWindow()
    return window


@pytest.fixture
def window(qtbot, demo_database: Database) -> Iterator[MainWindow]:
    opened = open_window(qtbot, demo_database)
    yield opened
    close_window(opened)


@pytest.fixture
def empty_window(qtbot, database: Database) -> Iterator[MainWindow]:
    opened = open_window(qtbot, database)
    yield opened
    close_window(opened)


def close_window(window: MainWindow) -> None:
    """Leave nothing unsaved behind, or closing the window would ask about it."""
    window.detail.show_empty("")
    window.close()
    window.deleteLater()


def button_with_text(widget: QWidget, text: str) -> QAbstractButton:
    found = [b for b in widget.findChildren(QAbstractButton) if b.text().replace("&", "") == text]
    assert found, f"no button '{text}' in {widget.windowTitle()}"
    return found[0]


class Dialogs:
    """Answers the next modal dialog the way a user would, and remembers what it said."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._pending: list[Callable[[QWidget], None]] = []
        self.errors: list[Exception] = []
        self._last: QWidget | None = None  # held, so a new dialog never looks like it

    def then(self, answer: Callable[[QWidget], None]) -> None:
        self._pending.append(answer)
        if len(self._pending) == 1:
            QTimer.singleShot(0, self._poll)

    def click(self, button_text: str) -> None:
        self.then(lambda dialog: button_with_text(dialog, button_text).click())

    @staticmethod
    def fill(dialog: QWidget, **values: str) -> None:
        fill(dialog, **values)

    def fill_and_click(self, button_text: str, **values: str) -> None:
        def answer(dialog: QWidget) -> None:
            fill(dialog, **values)
            button_with_text(dialog, button_text).click()

        self.then(answer)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        # A progress dialog is nobody's question: it closes by itself. On a busy machine it
        # is still open when the answer is due, and answering it would cancel the work.
        if dialog is None or dialog is self._last or isinstance(dialog, QProgressDialog):
            QTimer.singleShot(10, self._poll)
            return
        self._last = dialog
        if isinstance(dialog, QMessageBox):
            self.seen.append(f"{dialog.text()} {dialog.informativeText()}".strip())
        else:
            self.seen.append(dialog.windowTitle())
        answer = self._pending.pop(0)
        try:
            answer(dialog)
        except Exception as exc:
            self.errors.append(exc)
            dialog.close()
        if self._pending:
            QTimer.singleShot(0, self._poll)


@pytest.fixture
def dialogs() -> Iterator[Dialogs]:
    answers = Dialogs()
    yield answers
    if answers.errors:
        raise answers.errors[0]
    assert not answers._pending, f"a dialog was expected but never opened: {answers.seen}"


def fill(dialog: QWidget, **values: str) -> None:
    """Type into a form dialog's fields, by field name."""
    for name, text in values.items():
        editor = dialog.findChild(QWidget, name)
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        else:
            assert isinstance(editor, QLineEdit), name
            editor.setText(text)


# --- an mbo school -----------------------------------------------------------------------------
MBO_DAY = date(2027, 3, 15)
MBO_OPLEIDINGEN = (
    ("Medewerker bakkerij", "25180", Niveau.N2, Leerweg.BOL),
    ("Logistiek medewerker", "25889", Niveau.N2, Leerweg.BBL),
    ("Entree assistent", "25258", Niveau.ENTREE, Leerweg.BOL),
    ("Verzorgende IG", "25491", Niveau.N3, Leerweg.BBL),
)
MBO_NAMES = (
    ("Noa", "", "Bakker"),
    ("Daan", "de", "Vries"),
    ("Yasmina", "", "El Idrissi"),
    ("Kevin", "van", "Dijk"),
    ("Sem", "", "Çelik"),
    ("Lotte", "", "Jansen"),
)


def add_student(db: Database, n: int = 0, **changes: object) -> int:
    """A student of ROC De Vaart, 20 years old, with Sanne de Wit as SLB'er."""
    opleiding, crebo, niveau, leerweg = MBO_OPLEIDINGEN[n % len(MBO_OPLEIDINGEN)]
    roepnaam, tussenvoegsel, achternaam = MBO_NAMES[n % len(MBO_NAMES)]
    values: dict[str, object] = {
        "leerlingnummer": f"5{n:05d}",
        "roepnaam": roepnaam,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "geboortedatum": date(2007, 2, 1),
        "klas": "BAK2A",
        "mentor": "Sanne de Wit" if n % 3 else "Ahmed Yilmaz",
        "telefoon": "06 12345678",
        "mbo_opleiding": opleiding,
        "mbo_crebo": crebo,
        "mbo_niveau": niveau,
        "mbo_leerweg": leerweg,
        **changes,
    }
    record = PupilService(db.sessions, clock=fixed_clock(datetime(2026, 9, 1))).create(
        make_pupil(**values), "2026-2027"
    )
    assert record.pupil.id is not None
    return record.pupil.id


@pytest.fixture
def mbo_database(database: Database) -> Database:
    """ROC De Vaart, an mbo school, with six students in this year's cohort."""
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="ROC De Vaart", school_type=SchoolType.MBO, coordinator_name="Sanne")
    )
    for n in range(len(MBO_NAMES)):
        add_student(database, n)
    return database


@pytest.fixture
def mbo_window(qtbot, mbo_database: Database) -> Iterator[MainWindow]:
    opened = open_window(qtbot, mbo_database, MBO_DAY)
    yield opened
    close_window(opened)
