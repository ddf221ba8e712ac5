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
    QWidget,
)

from factories import fixed_clock
from uitstroom.services.database import Database
from uitstroom.services.handover import HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.main_window import MainWindow, Services

TODAY = date(2026, 11, 23)


def services_for(db: Database, clock=None) -> Services:
    clock = clock or fixed_clock()
    return Services(
        school=SchoolService(db.sessions),
        pupils=PupilService(db.sessions, clock=clock),
        sessions=db.sessions,
        location=db.location,
        planning=PlanningService(db.sessions, clock=clock),
        handover=HandoverService(db.sessions, clock=clock),
        nazorg=NazorgService(db.sessions, clock=clock),
    )


def open_window(qtbot, db: Database, today: date = TODAY) -> MainWindow:
    # Not qtbot.addWidget: pytest-qt closes those before our teardown could discard unsaved
    # edits, and the window would then ask about them.
    moment = fixed_clock(datetime.combine(today, time(9, 30)))
    window = MainWindow(services_for(db, moment), today=lambda: today)
    window.show()
    qtbot.waitExposed(window)
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
        if dialog is None or dialog is self._last:
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
